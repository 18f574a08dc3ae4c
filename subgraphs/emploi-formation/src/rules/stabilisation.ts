import { addDays, addMonths, compareDates, isIsoDate, type IsoDate } from '@agir/common';
import type { CategorieSituationProfessionnelle } from '../entities';

/**
 * The professional situation of a beneficiary, computed from the contracts and trainings the
 * Emploi & Formation referent records, and whether it is "stabilised" in the sense of the exit
 * criterion (seed 000, "Sortie du dispositif"): "la situation professionnelle du BPI est stabilisée
 * pour une durée de six mois minimum (formation qualifiante ou certifiante, contrat en alternance,
 * CDD de plus de six mois, CDI)". Pure functions on calendar dates ('YYYY-MM-DD').
 *
 * Periods are inclusive: an activity from `dateDebut` to `dateFin` is in progress on both days;
 * `dateFin` null means no end date is known (a CDI, a training whose end is not fixed yet).
 */

/** The kinds of employment contract (and of service civique engagement) the referent records. */
export type TypeContrat =
  | 'CDI'
  | 'CDD'
  | 'INTERIM'
  | 'APPRENTISSAGE'
  | 'PROFESSIONNALISATION'
  | 'IAE_ACI'
  | 'IAE_EI'
  | 'IAE_ETTI'
  | 'IAE_GEIQ'
  | 'SERVICE_CIVIQUE'
  | 'AUTRE';

/** The kinds of training the referent records. */
export type TypeFormation = 'LINGUISTIQUE' | 'PRE_QUALIFIANTE' | 'QUALIFIANTE' | 'CERTIFIANTE' | 'UNIVERSITAIRE';

/** Every contract type, in the order of the type (for validation and forms). */
export const TYPES_CONTRAT: readonly TypeContrat[] = [
  'CDI',
  'CDD',
  'INTERIM',
  'APPRENTISSAGE',
  'PROFESSIONNALISATION',
  'IAE_ACI',
  'IAE_EI',
  'IAE_ETTI',
  'IAE_GEIQ',
  'SERVICE_CIVIQUE',
  'AUTRE',
];

/** Every training type, in the order of the type. */
export const TYPES_FORMATION: readonly TypeFormation[] = ['LINGUISTIQUE', 'PRE_QUALIFIANTE', 'QUALIFIANTE', 'CERTIFIANTE', 'UNIVERSITAIRE'];

/** An employment contract or a service civique engagement. */
export interface ContratTravail {
  type: TypeContrat;
  dateDebut: IsoDate;
  /** Last day of the contract, inclusive; null when the contract has no known end (a CDI). */
  dateFin: IsoDate | null;
}

/** A training followed by the beneficiary. */
export interface Formation {
  type: TypeFormation;
  dateDebut: IsoDate;
  /** Last day of the training, inclusive; null when not fixed yet. */
  dateFin: IsoDate | null;
  /**
   * True when the training leads to a national diploma or a certification registered in the RNCP
   * (licence, BUT, master...). Only read for UNIVERSITAIRE: a "DU passerelle" (seed 002, Monsieur
   * J.) is a university's own preparatory diploma and is recorded with `diplomante` false.
   */
  diplomante?: boolean;
}

/** A contract or a training: what the professional situation is computed from. */
export type Activite = ContratTravail | Formation;

/** The result of `situationProfessionnelle`. */
export interface Situation {
  categorie: CategorieSituationProfessionnelle;
  /** True when the activity retained counts under the exit criterion of seed 000. */
  stabilise: boolean;
  /**
   * When `stabilise`: the first day of the uninterrupted run of stabilising activities that reaches
   * the evaluation date (an apprenticeship followed the next day by a CDI counts from the
   * apprenticeship's start). Null when not stabilised.
   */
  depuis: IsoDate | null;
  /** The activity that gives the category (the input object itself), or null for SANS_ACTIVITE. */
  activiteRetenue: Activite | null;
}

/** An activity was refused: unknown type, a date that is not a calendar date, or an end before the start. */
export class ActiviteInvalide extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ActiviteInvalide';
  }
}

const CONTRATS = new Set<string>(TYPES_CONTRAT);
const FORMATIONS = new Set<string>(TYPES_FORMATION);

/** True when the activity is a contract (its type is one of `TYPES_CONTRAT`). */
export function estContrat(activite: Activite): activite is ContratTravail {
  return CONTRATS.has(activite.type);
}

/** True when the activity is a training (its type is one of `TYPES_FORMATION`). */
export function estFormation(activite: Activite): activite is Formation {
  return FORMATIONS.has(activite.type);
}

/**
 * Checks an activity's type and dates and throws `ActiviteInvalide` with a French message saying
 * what to correct. Every exported function of this module calls it on its input.
 */
export function verifierActivite(activite: Activite): void {
  if (!activite || typeof activite !== 'object') throw new ActiviteInvalide("L'activité est absente : un contrat ou une formation est attendu.");
  if (!estContrat(activite) && !estFormation(activite)) {
    throw new ActiviteInvalide(
      `Le type d'activité "${String((activite as { type?: unknown }).type)}" est inconnu. Types de contrat : ${TYPES_CONTRAT.join(', ')} ; types de formation : ${TYPES_FORMATION.join(', ')}.`,
    );
  }
  if (typeof activite.dateDebut !== 'string' || !isIsoDate(activite.dateDebut)) {
    throw new ActiviteInvalide(`La date de début "${String(activite.dateDebut)}" n'est pas une date du calendrier au format AAAA-MM-JJ.`);
  }
  if (activite.dateFin !== null) {
    if (typeof activite.dateFin !== 'string' || !isIsoDate(activite.dateFin)) {
      throw new ActiviteInvalide(`La date de fin "${String(activite.dateFin)}" n'est pas une date du calendrier au format AAAA-MM-JJ (ou null si elle n'est pas connue).`);
    }
    if (compareDates(activite.dateFin, activite.dateDebut) < 0) {
      throw new ActiviteInvalide(`La date de fin (${activite.dateFin}) est antérieure à la date de début (${activite.dateDebut}).`);
    }
  }
}

/**
 * True when a CDD runs MORE than six months (seed 000: "CDD de plus de six mois"): its last day is
 * after `addMonths(dateDebut, 6)`. So 2023-01-15 → 2023-07-15 is exactly six months and does not
 * count, 2023-01-15 → 2023-07-16 does; 2023-08-31 + 6 months is 2024-02-29 (month ends clamp), so a
 * CDD from 2023-08-31 must end on 2024-03-01 or later. A CDD without an end date does not count:
 * a fixed-term contract without a known term (a "CDD à terme imprécis", e.g. a replacement) cannot
 * be shown to last more than six months; the referent records the end date when it is known.
 */
function cddDePlusDeSixMois(contrat: ContratTravail): boolean {
  return contrat.dateFin !== null && compareDates(contrat.dateFin, addMonths(contrat.dateDebut, 6)) > 0;
}

/**
 * Whether one contract or training counts as a stabilised professional situation under the list
 * of seed 000 ("formation qualifiante ou certifiante, contrat en alternance, CDD de plus de six
 * mois, CDI"). Counted:
 *   - CDI;
 *   - CDD of more than six months (see the boundary above; a CDD with no end date does not count);
 *   - alternance: APPRENTISSAGE, PROFESSIONNALISATION, and IAE_GEIQ, since a GEIQ hires through a
 *     contrat de professionnalisation or d'apprentissage (seed 002, Madame B.: "contrat
 *     professionnel avec le GEIQ propreté" counts whichever of the two types the referent chose);
 *   - trainings QUALIFIANTE and CERTIFIANTE;
 *   - UNIVERSITAIRE only when `diplomante` (a national diploma is a certifying training; a "DU
 *     passerelle", seed 002 Monsieur J., is not).
 * Not counted, as absent from the list: INTERIM, IAE_ACI, IAE_EI, IAE_ETTI, SERVICE_CIVIQUE (even
 * of eight months, seed 002 Monsieur J.: it is an engagement, not an employment contract), AUTRE
 * (a contract the referent could not name cannot be shown to be on the list), trainings
 * LINGUISTIQUE and PRE_QUALIFIANTE. The six-month duration is applied only where the seed states it
 * (the CDD); an alternance contract lasts six months at least by law anyway (Code du travail,
 * L6222-7-1 and L6325-11), and a qualifying training counts whatever its length.
 */
export function estStabilisant(activite: Activite): boolean {
  verifierActivite(activite);
  switch (activite.type) {
    case 'CDI':
    case 'APPRENTISSAGE':
    case 'PROFESSIONNALISATION':
    case 'IAE_GEIQ':
    case 'QUALIFIANTE':
    case 'CERTIFIANTE':
      return true;
    case 'CDD':
      return cddDePlusDeSixMois(activite);
    case 'UNIVERSITAIRE':
      return activite.diplomante === true;
    case 'INTERIM':
    case 'IAE_ACI':
    case 'IAE_EI':
    case 'IAE_ETTI':
    case 'SERVICE_CIVIQUE':
    case 'AUTRE':
    case 'LINGUISTIQUE':
    case 'PRE_QUALIFIANTE':
      return false;
  }
}

/**
 * The category of professional situation one activity gives (the categories of the GraphQL enum
 * `CategorieSituationProfessionnelle`): CDI and CDD of more than six months → EMPLOI_DURABLE; other
 * CDD, INTERIM and AUTRE → EMPLOI_COURT; APPRENTISSAGE, PROFESSIONNALISATION, IAE_GEIQ →
 * ALTERNANCE; IAE_ACI, IAE_EI, IAE_ETTI → INSERTION_ACTIVITE_ECONOMIQUE; SERVICE_CIVIQUE →
 * SERVICE_CIVIQUE; LINGUISTIQUE → FORMATION_LINGUISTIQUE; PRE_QUALIFIANTE, QUALIFIANTE, CERTIFIANTE
 * → FORMATION_PROFESSIONNELLE; UNIVERSITAIRE → ETUDES.
 */
export function categorieActivite(activite: Activite): Exclude<CategorieSituationProfessionnelle, 'SANS_ACTIVITE'> {
  verifierActivite(activite);
  switch (activite.type) {
    case 'CDI':
      return 'EMPLOI_DURABLE';
    case 'CDD':
      return cddDePlusDeSixMois(activite) ? 'EMPLOI_DURABLE' : 'EMPLOI_COURT';
    case 'INTERIM':
    case 'AUTRE':
      return 'EMPLOI_COURT';
    case 'APPRENTISSAGE':
    case 'PROFESSIONNALISATION':
    case 'IAE_GEIQ':
      return 'ALTERNANCE';
    case 'IAE_ACI':
    case 'IAE_EI':
    case 'IAE_ETTI':
      return 'INSERTION_ACTIVITE_ECONOMIQUE';
    case 'SERVICE_CIVIQUE':
      return 'SERVICE_CIVIQUE';
    case 'LINGUISTIQUE':
      return 'FORMATION_LINGUISTIQUE';
    case 'PRE_QUALIFIANTE':
    case 'QUALIFIANTE':
    case 'CERTIFIANTE':
      return 'FORMATION_PROFESSIONNELLE';
    case 'UNIVERSITAIRE':
      return 'ETUDES';
  }
}

/** True when the activity is in progress on `jour`: started on or before it, and not ended before it. */
export function estEnCours(activite: Activite, jour: IsoDate): boolean {
  verifierActivite(activite);
  return compareDates(activite.dateDebut, jour) <= 0 && (activite.dateFin === null || compareDates(jour, activite.dateFin) <= 0);
}

/**
 * Order of preference among the categories when several activities are in progress on the same
 * day, most favourable first (the seed gives no order; this one goes from the most durable
 * situation to the furthest from employment). Stabilising activities always come before the
 * others, so a qualifying training wins over a short CDD while a pre-qualifying one does not:
 *   stabilising: EMPLOI_DURABLE, ALTERNANCE, FORMATION_PROFESSIONNELLE, ETUDES;
 *   not stabilising: EMPLOI_COURT, INSERTION_ACTIVITE_ECONOMIQUE, SERVICE_CIVIQUE,
 *   FORMATION_PROFESSIONNELLE, ETUDES, FORMATION_LINGUISTIQUE.
 * Between two activities of the same rank, the one that runs longer wins (no end date first, then
 * the later end), then the one that started earlier, then the first given.
 */
export const ORDRE_PREFERENCE: {
  readonly stabilisant: readonly CategorieSituationProfessionnelle[];
  readonly nonStabilisant: readonly CategorieSituationProfessionnelle[];
} = {
  stabilisant: ['EMPLOI_DURABLE', 'ALTERNANCE', 'FORMATION_PROFESSIONNELLE', 'ETUDES'],
  nonStabilisant: ['EMPLOI_COURT', 'INSERTION_ACTIVITE_ECONOMIQUE', 'SERVICE_CIVIQUE', 'FORMATION_PROFESSIONNELLE', 'ETUDES', 'FORMATION_LINGUISTIQUE'],
};

function comparerPreference(a: Activite, b: Activite): number {
  const stabA = estStabilisant(a);
  const stabB = estStabilisant(b);
  if (stabA !== stabB) return stabA ? -1 : 1;
  const ordre = stabA ? ORDRE_PREFERENCE.stabilisant : ORDRE_PREFERENCE.nonStabilisant;
  const rang = ordre.indexOf(categorieActivite(a)) - ordre.indexOf(categorieActivite(b));
  if (rang !== 0) return rang;
  if (a.dateFin !== b.dateFin) {
    if (a.dateFin === null) return -1;
    if (b.dateFin === null) return 1;
    return -compareDates(a.dateFin, b.dateFin);
  }
  return compareDates(a.dateDebut, b.dateDebut);
}

/**
 * The professional situation on `aujourdhui`, from all the contracts and trainings recorded
 * (past, current and future ones: only those in progress that day are considered; a contract
 * signed for next month does not count yet, an ended one no longer counts).
 *   - `categorie`: that of the most favourable activity in progress (see `ORDRE_PREFERENCE`), or
 *     SANS_ACTIVITE when none is;
 *   - `stabilise`: whether that activity counts under seed 000 (`estStabilisant`). Stabilisation
 *     starts on the first day of a stabilising activity, never before: in seed 002, Madame B. is
 *     stabilised from the start of her GEIQ contract (October 2023), not during her CDD de
 *     remplacement (May 2023, a few months) nor between the two;
 *   - `depuis`: the first day of the uninterrupted run of stabilising activities (each starting
 *     at the latest the day after the previous one ends) that reaches `aujourdhui`; null when not
 *     stabilised;
 *   - `activiteRetenue`: the activity retained (the object given), or null.
 * Throws `ActiviteInvalide` for an invalid activity and for an `aujourdhui` that is not a date.
 */
export function situationProfessionnelle(activites: readonly Activite[], aujourdhui: IsoDate): Situation {
  if (typeof aujourdhui !== 'string' || !isIsoDate(aujourdhui)) {
    throw new ActiviteInvalide(`La date d'évaluation "${String(aujourdhui)}" n'est pas une date du calendrier au format AAAA-MM-JJ.`);
  }
  activites.forEach(verifierActivite);
  const enCours = activites.filter((a) => estEnCours(a, aujourdhui));
  if (enCours.length === 0) return { categorie: 'SANS_ACTIVITE', stabilise: false, depuis: null, activiteRetenue: null };

  // A stable sort keeps the input order between activities that compare equal.
  const retenue = [...enCours].sort(comparerPreference)[0]!;
  const stabilise = estStabilisant(retenue);
  return {
    categorie: categorieActivite(retenue),
    stabilise,
    depuis: stabilise ? debutStabilisation(activites, retenue) : null,
    activiteRetenue: retenue,
  };
}

/**
 * Walks back from the retained stabilising activity through the stabilising activities that
 * overlap it or end the day before it starts, and returns the earliest start reached.
 */
function debutStabilisation(activites: readonly Activite[], retenue: Activite): IsoDate {
  const stabilisantes = activites.filter(estStabilisant);
  let depuis = retenue.dateDebut;
  for (let change = true; change; ) {
    change = false;
    const veille = addDays(depuis, -1);
    for (const a of stabilisantes) {
      if (compareDates(a.dateDebut, depuis) < 0 && (a.dateFin === null || compareDates(a.dateFin, veille) >= 0)) {
        depuis = a.dateDebut;
        change = true;
      }
    }
  }
  return depuis;
}
