import type { NiveauCecrl } from '../entities';

/**
 * French language rules: the CECRL levels (Cadre européen commun de référence pour les langues)
 * the referent evaluates at entry, mid-course and exit (seed 001, "Évaluation individuelle"), and
 * the language path prescribed by the OFII with the CIR (seed 002, Monsieur J.: "Cours de français
 * OFII 100H"), of 100, 200, 400 or 600 hours.
 */

/**
 * The CECRL levels in increasing order. NON_LECTEUR_NON_SCRIPTEUR (a person who does not yet read
 * or write) comes below A1: it is the level the 600-hour CIR path is meant for.
 */
export const NIVEAUX_CECRL: readonly NiveauCecrl[] = ['NON_LECTEUR_NON_SCRIPTEUR', 'A1', 'A2', 'B1', 'B2', 'C1', 'C2'];

/** The volumes, in hours, of the CIR language paths the OFII prescribes. */
export const PARCOURS_LINGUISTIQUES_CIR = [100, 200, 400, 600] as const;

/** One of the CIR language path volumes. */
export type HeuresParcoursCir = (typeof PARCOURS_LINGUISTIQUES_CIR)[number];

/** A value that is not a CECRL level of `NIVEAUX_CECRL`. */
export class NiveauCecrlInconnu extends Error {
  constructor(valeur: unknown) {
    super(`Le niveau "${String(valeur)}" n'est pas un niveau du CECRL. Niveaux acceptés, du plus bas au plus haut : ${NIVEAUX_CECRL.join(', ')}.`);
    this.name = 'NiveauCecrlInconnu';
  }
}

/** A CIR path volume or a number of hours that cannot be accepted; the French message says why. */
export class ParcoursCirInvalide extends RangeError {
  constructor(message: string) {
    super(message);
    this.name = 'ParcoursCirInvalide';
  }
}

/** True when the value is one of the CECRL levels. */
export function estNiveauCecrl(valeur: unknown): valeur is NiveauCecrl {
  return typeof valeur === 'string' && (NIVEAUX_CECRL as readonly string[]).includes(valeur);
}

/** The rank of a level: 0 for NON_LECTEUR_NON_SCRIPTEUR, 1 for A1, ... 6 for C2. Throws `NiveauCecrlInconnu`. */
export function rangCecrl(niveau: NiveauCecrl): number {
  if (!estNiveauCecrl(niveau)) throw new NiveauCecrlInconnu(niveau);
  return NIVEAUX_CECRL.indexOf(niveau);
}

/** Compares two levels: negative when `a` is below `b`, zero when equal, positive when above. */
export function comparerNiveaux(a: NiveauCecrl, b: NiveauCecrl): number {
  return rangCecrl(a) - rangCecrl(b);
}

/**
 * The number of levels gained between the entry evaluation and the current one: A1 → B1 is 2,
 * no change is 0, and a regression (B1 → A2, as an evaluation may well show) is negative, -1.
 * Throws `NiveauCecrlInconnu` for a value that is not a level.
 */
export function progression(entree: NiveauCecrl, actuel: NiveauCecrl): number {
  return rangCecrl(actuel) - rangCecrl(entree);
}

/** True when the number of hours is one of the CIR language path volumes (100, 200, 400, 600). */
export function estParcoursCir(heures: unknown): heures is HeuresParcoursCir {
  return typeof heures === 'number' && (PARCOURS_LINGUISTIQUES_CIR as readonly number[]).includes(heures);
}

/** Returns the volume when it is a CIR language path, or throws `ParcoursCirInvalide` saying which volumes exist. */
export function validerParcoursCir(heures: number): HeuresParcoursCir {
  if (!estParcoursCir(heures)) {
    throw new ParcoursCirInvalide(
      `Le parcours linguistique du CIR de ${String(heures)} heures n'existe pas : l'OFII prescrit un parcours de ${PARCOURS_LINGUISTIQUES_CIR.join(', ')} heures.`,
    );
  }
  return heures;
}

/**
 * How far a CIR language path has gone: the percentage of the prescribed hours done, floored to
 * the tenth of a percent so that 100 means every hour is done (75 h of 200 → 37.5; 100 h of 600 →
 * 16.6). Hours done may be fractional (sessions of an hour and a half) but must be a finite number
 * between 0 and the path's volume. Throws `ParcoursCirInvalide` for a volume that is not a CIR path,
 * for negative or non-finite hours, and for more hours than the path holds.
 */
export function progressionParcoursCir(heuresPrevues: number, heuresRealisees: number): number {
  const prevues = validerParcoursCir(heuresPrevues);
  if (typeof heuresRealisees !== 'number' || !Number.isFinite(heuresRealisees)) {
    throw new ParcoursCirInvalide(`Le nombre d'heures réalisées doit être un nombre (reçu : ${String(heuresRealisees)}).`);
  }
  if (heuresRealisees < 0) {
    throw new ParcoursCirInvalide(`Le nombre d'heures réalisées ne peut pas être négatif (reçu : ${heuresRealisees}).`);
  }
  if (heuresRealisees > prevues) {
    throw new ParcoursCirInvalide(
      `${heuresRealisees} heures réalisées dépassent le parcours de ${prevues} heures : corrigez les heures, ou le volume du parcours s'il a été prolongé vers un parcours plus long.`,
    );
  }
  // The epsilon absorbs binary rounding (0.57 * 100 is 56.99999999999999 in floating point).
  return Math.floor((heuresRealisees * 1000) / prevues + 1e-9) / 10;
}
