import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CATEGORIE_PAR_TYPE, type TypeLogement } from '../../entities';
import {
  alerteExclusion,
  compterRefus,
  evaluerLogementCourant,
  evaluerSituationLogement,
  HistoriqueLogementInvalide,
  nommerPeriode,
  PropositionLogementInvalide,
  situationCourante,
  SEUIL_REFUS_EXCLUSION,
  TYPES_LOGEMENT,
  validerHistorique,
  validerProposition,
  type PeriodeLogement,
  type PropositionLogement,
} from '..';

const SDL = readFileSync(path.join(__dirname, '..', '..', 'droits-logement.graphql'), 'utf8');

function enumSdl(name: string): string[] {
  const match = new RegExp(`enum ${name} \\{([^}]*)\\}`).exec(SDL);
  if (!match) throw new Error(`enum ${name} not found in the SDL`);
  return match[1]!.split(/\s+/).filter(Boolean);
}

const AUJOURDHUI = '2024-03-15';
const enCours = (type: TypeLogement): PeriodeLogement => ({ type, dateDebut: '2024-01-01', dateFin: null });

describe('evaluerSituationLogement', () => {
  it('knows exactly the housing types of the SDL', () => {
    expect([...TYPES_LOGEMENT].sort()).toEqual(enumSdl('TypeLogement').sort());
  });

  // [type, categorie, durable, temporaireAccepte, compteePourSortie] for a situation in force.
  const attendu: [TypeLogement, string, boolean, boolean, boolean][] = [
    ['SANS_ABRI', 'SANS_ABRI_HEBERGEMENT_PRECAIRE', false, false, false],
    ['SQUAT', 'SANS_ABRI_HEBERGEMENT_PRECAIRE', false, false, false],
    ['HEBERGEMENT_TIERS', 'SANS_ABRI_HEBERGEMENT_PRECAIRE', false, false, false],
    ['CADA', 'DNA', false, false, false],
    ['HUDA', 'DNA', false, false, false],
    ['CPH', 'DNA', false, false, false],
    ['AUTRE_DNA', 'DNA', false, false, false],
    ['HOTEL', 'HEBERGEMENT_TEMPORAIRE', false, false, false],
    ['CHRS', 'HEBERGEMENT_TEMPORAIRE', false, false, false],
    ['HEBERGEMENT_URGENCE', 'HEBERGEMENT_TEMPORAIRE', false, false, false],
    ['RESIDENCE_SOCIALE', 'LOGEMENT_ACCOMPAGNE_ADAPTE', false, true, true],
    ['FJT', 'LOGEMENT_ACCOMPAGNE_ADAPTE', false, true, true],
    ['IML', 'LOGEMENT_ACCOMPAGNE_ADAPTE', false, true, true],
    ['PENSION_DE_FAMILLE', 'LOGEMENT_ACCOMPAGNE_ADAPTE', true, false, true],
    ['PARC_SOCIAL', 'LOGEMENT_AUTONOME', true, false, true],
    ['PARC_PRIVE', 'LOGEMENT_AUTONOME', true, false, true],
  ];

  it('has an expectation for every type', () => {
    expect(attendu.map(([t]) => t).sort()).toEqual([...TYPES_LOGEMENT].sort());
  });

  it.each(attendu)('%s in force: %s, durable %s, temporaire accepté %s, comptée %s', (type, categorie, durable, temporaireAccepte, comptee) => {
    const evaluation = evaluerSituationLogement(enCours(type), AUJOURDHUI);
    expect(evaluation).toMatchObject({ categorie, durable, temporaireAccepte, compteePourSortie: comptee });
    expect(evaluation.categorie).toBe(CATEGORIE_PAR_TYPE[type]);
  });

  it('explains each verdict in French', () => {
    expect(evaluerSituationLogement(enCours('PARC_SOCIAL'), AUJOURDHUI).raison).toBe(
      'Logement du parc social : logement pérenne, compte pour la sortie du dispositif.',
    );
    expect(evaluerSituationLogement(enCours('FJT'), AUJOURDHUI).raison).toBe(
      'Foyer de jeunes travailleurs (FJT) : logement temporaire accepté (résidence sociale, FJT ou IML), compte pour la sortie du dispositif.',
    );
    expect(evaluerSituationLogement(enCours('CADA'), AUJOURDHUI).raison).toBe(
      'CADA : ne compte pas pour la sortie du dispositif, qui demande un logement pérenne ou un logement temporaire accepté (résidence sociale, FJT ou IML).',
    );
  });

  it('does not count a situation that ended before the evaluation date', () => {
    const terminee = { type: 'PARC_PRIVE', dateDebut: '2023-01-01', dateFin: '2024-03-14' } as const;
    expect(evaluerSituationLogement(terminee, AUJOURDHUI)).toEqual({
      categorie: 'LOGEMENT_AUTONOME',
      durable: true,
      temporaireAccepte: false,
      compteePourSortie: false,
      raison:
        "Situation « logement du parc privé » terminée le 2024-03-14 : ce n'est plus la situation en cours au 2024-03-15, elle ne compte pas pour la sortie du dispositif.",
    });
  });

  it('counts a situation on its last day and on its first day', () => {
    expect(evaluerSituationLogement({ type: 'IML', dateDebut: '2023-01-01', dateFin: AUJOURDHUI }, AUJOURDHUI).compteePourSortie).toBe(true);
    expect(evaluerSituationLogement({ type: 'IML', dateDebut: AUJOURDHUI, dateFin: null }, AUJOURDHUI).compteePourSortie).toBe(true);
  });

  it('does not count a situation that has not started yet', () => {
    const evaluation = evaluerSituationLogement({ type: 'RESIDENCE_SOCIALE', dateDebut: '2024-03-16', dateFin: null }, AUJOURDHUI);
    expect(evaluation.compteePourSortie).toBe(false);
    expect(evaluation.temporaireAccepte).toBe(true);
    expect(evaluation.raison).toBe(
      'Situation « résidence sociale » qui commence le 2024-03-16 : pas encore en cours au 2024-03-15, elle ne compte pas encore pour la sortie du dispositif.',
    );
  });

  it('refuses an unknown type', () => {
    expect(() => evaluerSituationLogement({ type: 'CABANE' as TypeLogement, dateDebut: '2024-01-01', dateFin: null }, AUJOURDHUI)).toThrow(
      "Type de logement inconnu : 'CABANE'.",
    );
  });
});

describe('situationCourante', () => {
  const cada: PeriodeLogement = { type: 'CADA', dateDebut: '2023-01-10', dateFin: '2023-06-30' };
  const fjt: PeriodeLogement = { type: 'FJT', dateDebut: '2023-06-30', dateFin: '2023-12-31' };
  const social: PeriodeLogement = { type: 'PARC_SOCIAL', dateDebut: '2024-02-01', dateFin: null };
  // Given out of order on purpose: the rule does not depend on the order of the history.
  const historique = [social, cada, fjt];

  it.each([
    ['2023-01-09', null],
    ['2023-01-10', 'CADA'],
    ['2023-06-29', 'CADA'],
    ['2023-06-30', 'FJT'], // the day CADA ends and FJT starts: the newer one
    ['2023-07-01', 'FJT'],
    ['2023-12-31', 'FJT'], // FJT's last day
    ['2024-01-01', null], // gap between FJT and the social housing
    ['2024-01-31', null],
    ['2024-02-01', 'PARC_SOCIAL'],
    ['2030-01-01', 'PARC_SOCIAL'],
  ])('on %s the situation in force is %s', (date, type) => {
    expect(situationCourante(historique, date)?.type ?? null).toBe(type);
  });

  it('returns the very object of the history, with its other fields', () => {
    const avecId = [{ ...social, id: 'abc' }];
    expect(situationCourante(avecId, '2024-02-01')).toBe(avecId[0]);
  });

  it('returns null for an empty history', () => {
    expect(situationCourante([], AUJOURDHUI)).toBeNull();
  });

  it('stays deterministic on an incoherent history: latest start, then the open one', () => {
    const a: PeriodeLogement = { type: 'HOTEL', dateDebut: '2023-01-01', dateFin: null };
    const b: PeriodeLogement = { type: 'CHRS', dateDebut: '2023-03-01', dateFin: '2023-04-01' };
    const c: PeriodeLogement = { type: 'SQUAT', dateDebut: '2023-03-01', dateFin: null };
    expect(situationCourante([a, b], '2023-03-15')?.type).toBe('CHRS');
    expect(situationCourante([a, b], '2023-05-01')?.type).toBe('HOTEL');
    expect(situationCourante([b, c], '2023-03-15')?.type).toBe('SQUAT');
    expect(situationCourante([c, b], '2023-03-15')?.type).toBe('SQUAT');
  });

  it('evaluates the situation in force', () => {
    expect(evaluerLogementCourant(historique, '2023-07-01')?.compteePourSortie).toBe(true);
    expect(evaluerLogementCourant(historique, '2023-06-29')?.compteePourSortie).toBe(false);
    expect(evaluerLogementCourant(historique, '2024-01-15')).toBeNull();
    expect(evaluerLogementCourant(historique, '2024-02-01')).toMatchObject({ categorie: 'LOGEMENT_AUTONOME', durable: true, compteePourSortie: true });
  });
});

describe('validerHistorique', () => {
  function problemes(historique: PeriodeLogement[]) {
    try {
      validerHistorique(historique);
    } catch (error) {
      expect(error).toBeInstanceOf(HistoriqueLogementInvalide);
      return (error as HistoriqueLogementInvalide).problemes;
    }
    throw new Error('expected the history to be refused');
  }

  it('accepts an empty history, consecutive periods, gaps, a move on the same day and one-day periods', () => {
    expect(() => validerHistorique([])).not.toThrow();
    expect(() =>
      validerHistorique([
        { type: 'PARC_SOCIAL', dateDebut: '2024-02-01', dateFin: null },
        { type: 'SANS_ABRI', dateDebut: '2022-12-01', dateFin: '2022-12-31' },
        { type: 'HEBERGEMENT_URGENCE', dateDebut: '2023-01-01', dateFin: '2023-01-01' },
        { type: 'CADA', dateDebut: '2023-01-02', dateFin: '2023-06-30' },
        { type: 'FJT', dateDebut: '2023-06-30', dateFin: '2023-12-31' },
      ]),
    ).not.toThrow();
  });

  it('refuses overlapping periods, naming them', () => {
    const cada: PeriodeLogement = { type: 'CADA', dateDebut: '2023-01-10', dateFin: '2023-06-30' };
    const fjt: PeriodeLogement = { type: 'FJT', dateDebut: '2023-06-29', dateFin: null };
    expect(() => validerHistorique([fjt, cada])).toThrow(
      "Historique de logement incohérent : Les périodes CADA du 2023-01-10 au 2023-06-30 et FJT depuis le 2023-06-29 se chevauchent : une personne n'a qu'une situation de logement à la fois (la nouvelle peut commencer le jour où la précédente se termine).",
    );
    const [probleme, ...autres] = problemes([fjt, cada]);
    expect(autres).toEqual([]);
    expect(probleme).toMatchObject({ nature: 'CHEVAUCHEMENT', periodes: [cada, fjt] });
  });

  it('refuses a period that follows an open one, and two periods starting the same day', () => {
    const ouverte: PeriodeLogement = { type: 'HOTEL', dateDebut: '2023-01-01', dateFin: null };
    const apres: PeriodeLogement = { type: 'CHRS', dateDebut: '2023-05-01', dateFin: '2023-06-01' };
    expect(problemes([ouverte, apres]).map((p) => p.nature)).toEqual(['CHEVAUCHEMENT']);
    const a: PeriodeLogement = { type: 'SQUAT', dateDebut: '2023-01-01', dateFin: '2023-01-01' };
    const b: PeriodeLogement = { type: 'HEBERGEMENT_TIERS', dateDebut: '2023-01-01', dateFin: '2023-02-01' };
    expect(problemes([a, b]).map((p) => p.nature)).toEqual(['CHEVAUCHEMENT']);
  });

  it('refuses a period nested in another one', () => {
    const longue: PeriodeLogement = { type: 'CADA', dateDebut: '2023-01-01', dateFin: '2023-12-31' };
    const interne: PeriodeLogement = { type: 'HOTEL', dateDebut: '2023-03-01', dateFin: '2023-03-10' };
    const suivante: PeriodeLogement = { type: 'PARC_PRIVE', dateDebut: '2023-12-31', dateFin: null };
    const trouves = problemes([longue, interne, suivante]);
    expect(trouves).toHaveLength(1);
    expect(trouves[0]!.periodes).toEqual([longue, interne]);
  });

  it('refuses an end before the start', () => {
    const inversee: PeriodeLogement = { type: 'IML', dateDebut: '2023-05-10', dateFin: '2023-05-09' };
    expect(() => validerHistorique([inversee])).toThrow(
      'Historique de logement incohérent : La période IML du 2023-05-10 au 2023-05-09 se termine avant de commencer : la date de fin doit être égale ou postérieure à la date de début.',
    );
  });

  it('refuses malformed dates', () => {
    const trouves = problemes([{ type: 'IML', dateDebut: '2023-02-30', dateFin: null }]);
    expect(trouves.map((p) => p.nature)).toEqual(['DATE_INVALIDE']);
    expect(trouves[0]!.message).toBe('La période IML depuis le 2023-02-30 a une date invalide (2023-02-30) : indiquez des dates AAAA-MM-JJ.');
  });

  it('reports every problem at once', () => {
    const trouves = problemes([
      { type: 'IML', dateDebut: '2023-05-10', dateFin: '2023-05-01' },
      { type: 'CADA', dateDebut: '2022-01-01', dateFin: '2022-12-31' },
      { type: 'HUDA', dateDebut: '2022-06-01', dateFin: '2023-01-31' },
      { type: 'PARC_SOCIAL', dateDebut: '2023-01-15', dateFin: null },
    ]);
    expect(trouves.map((p) => p.nature)).toEqual(['FIN_AVANT_DEBUT', 'CHEVAUCHEMENT', 'CHEVAUCHEMENT']);
    expect(trouves.slice(1).map((p) => p.periodes.map(nommerPeriode))).toEqual([
      ['CADA du 2022-01-01 au 2022-12-31', 'HUDA du 2022-06-01 au 2023-01-31'],
      ['HUDA du 2022-06-01 au 2023-01-31', 'PARC_SOCIAL depuis le 2023-01-15'],
    ]);
  });
});

describe('housing offers', () => {
  const proposition = (reponse: PropositionLogement['reponse'], motifRefus: string | null = null): PropositionLogement => ({
    date: '2024-01-10',
    reponse,
    motifRefus,
  });
  const refus = proposition('REFUSEE', 'Trop loin du lieu de formation');

  it('counts refusals only', () => {
    expect(compterRefus([])).toBe(0);
    expect(compterRefus([refus])).toBe(1);
    expect(compterRefus([refus, refus])).toBe(2);
    expect(compterRefus([proposition('ACCEPTEE')])).toBe(0);
    expect(compterRefus([proposition('EN_ATTENTE')])).toBe(0);
    expect(compterRefus([refus, proposition('ACCEPTEE'), proposition('EN_ATTENTE'), refus, refus])).toBe(3);
  });

  it('raises the exclusion alert at two refusals (seed 001)', () => {
    expect(SEUIL_REFUS_EXCLUSION).toBe(2);
    expect(alerteExclusion([])).toBe(false);
    expect(alerteExclusion([refus])).toBe(false);
    expect(alerteExclusion([refus, refus])).toBe(true);
    expect(alerteExclusion([refus, refus, refus])).toBe(true);
  });

  it('does not raise it for accepted or pending offers', () => {
    expect(alerteExclusion([refus, proposition('ACCEPTEE')])).toBe(false);
    expect(alerteExclusion([refus, proposition('EN_ATTENTE')])).toBe(false);
    expect(alerteExclusion([proposition('ACCEPTEE'), proposition('EN_ATTENTE'), proposition('ACCEPTEE')])).toBe(false);
  });

  it('accepts a motivated refusal and offers without motif', () => {
    expect(() => validerProposition(refus)).not.toThrow();
    expect(() => validerProposition(proposition('ACCEPTEE'))).not.toThrow();
    expect(() => validerProposition(proposition('EN_ATTENTE', '   '))).not.toThrow();
  });

  function erreur(p: PropositionLogement): PropositionLogementInvalide {
    try {
      validerProposition(p);
    } catch (error) {
      expect(error).toBeInstanceOf(PropositionLogementInvalide);
      return error as PropositionLogementInvalide;
    }
    throw new Error('expected the offer to be refused');
  }

  it.each([[null], [''], ['  ']])('refuses a refusal without motif (%p)', (motif) => {
    const e = erreur(proposition('REFUSEE', motif));
    expect(e.probleme).toBe('MOTIF_REFUS_MANQUANT');
    expect(e.champ).toBe('motifRefus');
    expect(e.message).toBe(
      'Le refus de la proposition du 2024-01-10 doit être motivé : indiquez le motif du refus (deux refus peuvent conduire à une exclusion).',
    );
  });

  it('refuses a motif on an offer that is not refused', () => {
    const e = erreur(proposition('ACCEPTEE', 'Trop petit'));
    expect([e.probleme, e.champ]).toEqual(['MOTIF_REFUS_INATTENDU', 'motifRefus']);
    expect(e.message).toBe(
      "La proposition du 2024-01-10 n'est pas refusée (réponse ACCEPTEE) : retirez le motif de refus, ou indiquez la réponse REFUSEE.",
    );
  });

  it('refuses an unknown answer and a malformed date', () => {
    const inconnue = erreur({ date: '2024-01-10', reponse: 'PEUT_ETRE' as PropositionLogement['reponse'], motifRefus: null });
    expect([inconnue.probleme, inconnue.champ]).toEqual(['REPONSE_INCONNUE', 'reponse']);
    const date = erreur({ date: '10/01/2024', reponse: 'ACCEPTEE', motifRefus: null });
    expect([date.probleme, date.champ, date.message]).toEqual([
      'DATE_INVALIDE',
      'date',
      "Date de proposition invalide : '10/01/2024'. Indiquez une date AAAA-MM-JJ.",
    ]);
  });
});
