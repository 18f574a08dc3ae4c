import {
  NIVEAUX_CECRL,
  NiveauCecrlInconnu,
  PARCOURS_LINGUISTIQUES_CIR,
  ParcoursCirInvalide,
  comparerNiveaux,
  estNiveauCecrl,
  estParcoursCir,
  progression,
  progressionParcoursCir,
  rangCecrl,
  validerParcoursCir,
} from '../langue';
import type { NiveauCecrl } from '../../entities';

describe('CECRL levels', () => {
  it('are ordered from non-reader non-writer to C2', () => {
    expect(NIVEAUX_CECRL).toEqual(['NON_LECTEUR_NON_SCRIPTEUR', 'A1', 'A2', 'B1', 'B2', 'C1', 'C2']);
    expect(NIVEAUX_CECRL.map(rangCecrl)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('compare by rank', () => {
    expect(comparerNiveaux('NON_LECTEUR_NON_SCRIPTEUR', 'A1')).toBe(-1);
    expect(comparerNiveaux('B1', 'B1')).toBe(0);
    expect(comparerNiveaux('C2', 'A2')).toBe(4);
    const melanges: NiveauCecrl[] = ['B2', 'A1', 'C2', 'NON_LECTEUR_NON_SCRIPTEUR', 'B1', 'C1', 'A2'];
    expect([...melanges].sort(comparerNiveaux)).toEqual([...NIVEAUX_CECRL]);
  });

  it('recognise only the seven values', () => {
    expect(estNiveauCecrl('A1')).toBe(true);
    expect(estNiveauCecrl('NON_LECTEUR_NON_SCRIPTEUR')).toBe(true);
    expect(estNiveauCecrl('a1')).toBe(false);
    expect(estNiveauCecrl('A0')).toBe(false);
    expect(estNiveauCecrl(1)).toBe(false);
    expect(estNiveauCecrl(undefined)).toBe(false);
  });
});

describe('progression', () => {
  it.each<[NiveauCecrl, NiveauCecrl, number]>([
    ['A1', 'B1', 2],
    ['A1', 'A1', 0],
    ['NON_LECTEUR_NON_SCRIPTEUR', 'A1', 1],
    ['NON_LECTEUR_NON_SCRIPTEUR', 'C2', 6],
    ['B1', 'A2', -1],
    ['C2', 'NON_LECTEUR_NON_SCRIPTEUR', -6],
  ])('from %s to %s: %i', (entree, actuel, attendu) => {
    expect(progression(entree, actuel)).toBe(attendu);
  });

  it('refuses a value that is not a level, listing the levels', () => {
    expect(() => progression('A3' as NiveauCecrl, 'B1')).toThrow(
      new NiveauCecrlInconnu('A3'),
    );
    expect(() => progression('A1', 'b1' as NiveauCecrl)).toThrow(
      'Le niveau "b1" n\'est pas un niveau du CECRL. Niveaux acceptés, du plus bas au plus haut : NON_LECTEUR_NON_SCRIPTEUR, A1, A2, B1, B2, C1, C2.',
    );
    expect(() => rangCecrl('' as NiveauCecrl)).toThrow(NiveauCecrlInconnu);
  });
});

describe('CIR language paths', () => {
  it('are 100, 200, 400 and 600 hours', () => {
    expect(PARCOURS_LINGUISTIQUES_CIR).toEqual([100, 200, 400, 600]);
    for (const heures of [100, 200, 400, 600]) {
      expect(estParcoursCir(heures)).toBe(true);
      expect(validerParcoursCir(heures)).toBe(heures);
    }
  });

  it.each([0, 50, 150, 300, 500, 800, -100, 100.5, Number.NaN])('%d hours is not a CIR path', (heures) => {
    expect(estParcoursCir(heures)).toBe(false);
    expect(() => validerParcoursCir(heures)).toThrow(
      new ParcoursCirInvalide(`Le parcours linguistique du CIR de ${String(heures)} heures n'existe pas : l'OFII prescrit un parcours de 100, 200, 400, 600 heures.`),
    );
  });

  it('estParcoursCir refuses non-numbers', () => {
    expect(estParcoursCir('100')).toBe(false);
    expect(estParcoursCir(null)).toBe(false);
  });
});

describe('progressionParcoursCir', () => {
  it.each<[number, number, number]>([
    [100, 0, 0],
    [100, 100, 100], // Monsieur J.'s "Cours de français OFII 100H" (seed 002), completed
    [100, 37, 37],
    [200, 75, 37.5],
    [200, 199, 99.5],
    [400, 1, 0.2],
    [400, 399, 99.7],
    [600, 100, 16.6],
    [600, 599, 99.8],
    [600, 600, 100],
    [100, 1.5, 1.5],
    [100, 0.57, 0.5],
    [100, 56.99, 56.9],
    [100, 32.3, 32.3], // 32.3 * 1000 / 100 is 322.99999999999994 in floating point
    [600, 130.2, 21.7], // 130.2 * 1000 / 600 is 216.99999999999997
  ])('path of %i h, %d h done: %d %', (prevues, realisees, attendu) => {
    expect(progressionParcoursCir(prevues, realisees)).toBe(attendu);
  });

  it('reaches 100 only when every hour is done', () => {
    expect(progressionParcoursCir(600, 599.99)).toBe(99.9);
  });

  it('refuses more hours than the path holds', () => {
    expect(() => progressionParcoursCir(100, 101)).toThrow(
      new ParcoursCirInvalide(
        "101 heures réalisées dépassent le parcours de 100 heures : corrigez les heures, ou le volume du parcours s'il a été prolongé vers un parcours plus long.",
      ),
    );
    expect(() => progressionParcoursCir(200, 200.5)).toThrow(ParcoursCirInvalide);
  });

  it('refuses negative or non-numeric hours', () => {
    expect(() => progressionParcoursCir(100, -1)).toThrow(new ParcoursCirInvalide("Le nombre d'heures réalisées ne peut pas être négatif (reçu : -1)."));
    expect(() => progressionParcoursCir(100, Number.NaN)).toThrow(new ParcoursCirInvalide("Le nombre d'heures réalisées doit être un nombre (reçu : NaN)."));
    expect(() => progressionParcoursCir(100, Number.POSITIVE_INFINITY)).toThrow(ParcoursCirInvalide);
    expect(() => progressionParcoursCir(100, '50' as unknown as number)).toThrow(ParcoursCirInvalide);
  });

  it('refuses a path that is not a CIR path', () => {
    expect(() => progressionParcoursCir(300, 10)).toThrow(
      new ParcoursCirInvalide("Le parcours linguistique du CIR de 300 heures n'existe pas : l'OFII prescrit un parcours de 100, 200, 400, 600 heures."),
    );
  });

  it('ParcoursCirInvalide is a RangeError with its own name', () => {
    const error = new ParcoursCirInvalide('x');
    expect(error).toBeInstanceOf(RangeError);
    expect(error.name).toBe('ParcoursCirInvalide');
  });
});
