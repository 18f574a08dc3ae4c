/**
 * Housing rules of the Droits & Logement domain, as pure functions over plain values.
 *
 * Three concerns live here:
 * - what a housing situation is worth for the exit of the programme (seed 000, "Sortie du
 *   dispositif": "un logement pérenne dans lequel l'installation pourra se faire de façon durable et
 *   autonome ou bien [...] un logement temporaire (résidence sociale, FJT ou IML)");
 * - which situation of a parcours is in force on a given date, and whether a history of situations
 *   is coherent (no overlap, no end before start);
 * - housing offers and refusals, and the exclusion alert at two refusals (seed 001: "Une exclusion
 *   peut être décidée en cas de non respect des engagements (deux refus de logement)").
 *
 * Dates are calendar dates 'YYYY-MM-DD' (see the calendar of `@agir/common`). A situation's
 * `dateFin` is the last day of that situation (inclusive); `null` means it is still going on.
 */
import { compareDates, isIsoDate, today, type IsoDate } from '@agir/common';
import { CATEGORIE_PAR_TYPE, type CategorieLogement, type TypeLogement } from '../entities';

// ---------------------------------------------------------------------------------------------
// Housing situations
// ---------------------------------------------------------------------------------------------

/** Every precise housing type, in the order of `CATEGORIE_PAR_TYPE` (from the street to autonomy). */
export const TYPES_LOGEMENT = Object.keys(CATEGORIE_PAR_TYPE) as TypeLogement[];

/**
 * The housing types that count as durable housing for the exit of the programme.
 *
 * Seed 000 asks for "un logement pérenne dans lequel l'installation pourra se faire de façon durable
 * et autonome": the two kinds of logement autonome (social and private rented sector).
 *
 * Decision (the seeds are silent): PENSION_DE_FAMILLE is durable too. A pension de famille (maison
 * relais) is a form of logement adapté with no time limit: the resident holds a private dwelling,
 * pays a redevance and may stay as long as they wish; it is the durable answer for people for whom
 * a fully autonomous tenancy is not (yet) suitable. Its category, for the entry indicators of seed
 * 002, remains LOGEMENT_ACCOMPAGNE_ADAPTE: only its value for the exit is decided here.
 */
export const TYPES_LOGEMENT_DURABLE: readonly TypeLogement[] = ['PARC_SOCIAL', 'PARC_PRIVE', 'PENSION_DE_FAMILLE'];

/**
 * The temporary housing types that seed 000 accepts for the exit of the programme, and only these:
 * "un logement temporaire (résidence sociale, FJT ou IML)".
 */
export const TYPES_LOGEMENT_TEMPORAIRE_ACCEPTE: readonly TypeLogement[] = ['RESIDENCE_SOCIALE', 'FJT', 'IML'];

/** French wording of each housing type, for the messages addressed to referents. */
export const LIBELLE_TYPE_LOGEMENT: Readonly<Record<TypeLogement, string>> = {
  SANS_ABRI: 'sans abri',
  SQUAT: 'squat',
  HEBERGEMENT_TIERS: 'hébergement chez un tiers',
  CADA: 'CADA',
  HUDA: 'HUDA',
  CPH: 'CPH',
  AUTRE_DNA: 'autre hébergement du DNA',
  HOTEL: 'hôtel',
  CHRS: 'CHRS',
  HEBERGEMENT_URGENCE: "hébergement d'urgence",
  RESIDENCE_SOCIALE: 'résidence sociale',
  FJT: 'foyer de jeunes travailleurs (FJT)',
  IML: 'intermédiation locative (IML)',
  PENSION_DE_FAMILLE: 'pension de famille',
  PARC_SOCIAL: 'logement du parc social',
  PARC_PRIVE: 'logement du parc privé',
};

/**
 * One period of housing or accommodation of a parcours: the precise type, its first day and its
 * last day (`null` while it goes on). Rows of the store, with more fields, fit this shape.
 */
export interface PeriodeLogement {
  type: TypeLogement;
  dateDebut: IsoDate;
  dateFin: IsoDate | null;
}

/**
 * What a housing situation is worth for the exit of the programme.
 * - `categorie`: its category among the five of seed 002 (from `CATEGORIE_PAR_TYPE`);
 * - `durable`: the type is durable housing (see `TYPES_LOGEMENT_DURABLE`);
 * - `temporaireAccepte`: the type is one of the temporary housings accepted by seed 000;
 * - `compteePourSortie`: the type is durable or accepted AND the situation is in force on the
 *   evaluation date;
 * - `raison`: a French sentence explaining the verdict, for the referent.
 */
export interface EvaluationLogement {
  categorie: CategorieLogement;
  durable: boolean;
  temporaireAccepte: boolean;
  compteePourSortie: boolean;
  raison: string;
}

/**
 * Evaluates a housing situation for the exit criterion of seed 000.
 *
 * `durable` and `temporaireAccepte` describe the type and do not depend on dates. The situation
 * counts for the exit only when it is also in force on `aujourdhui` (default: today in
 * Europe/Paris): a situation that ended before that day (dateFin < aujourdhui), or that has not
 * started yet (dateDebut > aujourdhui), is not the person's housing and counts for nothing.
 * Street, squat, third party, the DNA (CADA, HUDA, CPH, other), hotel, CHRS and emergency shelter
 * never count (seed 000 lists the only temporary housings accepted).
 *
 * Throws a `TypeError` for an unknown type or a malformed date.
 */
export function evaluerSituationLogement(situation: PeriodeLogement, aujourdhui: IsoDate = today()): EvaluationLogement {
  const { type } = situation;
  if (!Object.prototype.hasOwnProperty.call(CATEGORIE_PAR_TYPE, type)) {
    throw new TypeError(`Type de logement inconnu : '${String(type)}'. Types possibles : ${TYPES_LOGEMENT.join(', ')}.`);
  }
  const categorie = CATEGORIE_PAR_TYPE[type];
  const durable = TYPES_LOGEMENT_DURABLE.includes(type);
  const temporaireAccepte = TYPES_LOGEMENT_TEMPORAIRE_ACCEPTE.includes(type);
  const libelle = LIBELLE_TYPE_LOGEMENT[type];

  const pasEncore = compareDates(situation.dateDebut, aujourdhui) > 0;
  const terminee = situation.dateFin !== null && compareDates(situation.dateFin, aujourdhui) < 0;
  const enCours = !pasEncore && !terminee;

  let raison: string;
  if (!durable && !temporaireAccepte) {
    raison =
      `${majuscule(libelle)} : ne compte pas pour la sortie du dispositif, qui demande un logement pérenne ` +
      `ou un logement temporaire accepté (résidence sociale, FJT ou IML).`;
  } else if (terminee) {
    raison = `Situation « ${libelle} » terminée le ${situation.dateFin} : ce n'est plus la situation en cours au ${aujourdhui}, elle ne compte pas pour la sortie du dispositif.`;
  } else if (pasEncore) {
    raison = `Situation « ${libelle} » qui commence le ${situation.dateDebut} : pas encore en cours au ${aujourdhui}, elle ne compte pas encore pour la sortie du dispositif.`;
  } else if (durable) {
    raison = `${majuscule(libelle)} : logement pérenne, compte pour la sortie du dispositif.`;
  } else {
    raison = `${majuscule(libelle)} : logement temporaire accepté (résidence sociale, FJT ou IML), compte pour la sortie du dispositif.`;
  }
  return { categorie, durable, temporaireAccepte, compteePourSortie: (durable || temporaireAccepte) && enCours, raison };
}

/**
 * The situation in force on `date`: among the periods that started on or before `date` and whose
 * end is null or on or after `date` (the last day is included), the one that started latest.
 * `null` when no period covers the date (before the first one, in a gap, after the last ended).
 *
 * The day one period ends and the next starts (a move: `validerHistorique` accepts that shared
 * day), the new one is in force. For a history that `validerHistorique` would refuse, the choice
 * stays deterministic: on equal starts the period ending latest (open first), then the last given.
 * Throws a `TypeError` for a malformed date.
 */
export function situationCourante<P extends PeriodeLogement>(historique: readonly P[], date: IsoDate): P | null {
  let courante: P | null = null;
  for (const periode of historique) {
    if (compareDates(periode.dateDebut, date) > 0) continue;
    if (periode.dateFin !== null && compareDates(periode.dateFin, date) < 0) continue;
    if (courante === null) {
      courante = periode;
      continue;
    }
    const parDebut = compareDates(periode.dateDebut, courante.dateDebut);
    if (parDebut > 0 || (parDebut === 0 && compareFins(periode.dateFin, courante.dateFin) >= 0)) courante = periode;
  }
  return courante;
}

/**
 * Evaluates the situation in force on `date` in a history (see `situationCourante` and
 * `evaluerSituationLogement`); `null` when no situation covers that date.
 */
export function evaluerLogementCourant(historique: readonly PeriodeLogement[], date: IsoDate): EvaluationLogement | null {
  const courante = situationCourante(historique, date);
  return courante === null ? null : evaluerSituationLogement(courante, date);
}

/** What is wrong in a housing history: a period ending before it starts, or two overlapping periods. */
export type NatureProblemeHistorique = 'DATE_INVALIDE' | 'FIN_AVANT_DEBUT' | 'CHEVAUCHEMENT';

/** One problem found by `validerHistorique`: its nature, the periods at fault and a French message. */
export interface ProblemeHistorique<P extends PeriodeLogement = PeriodeLogement> {
  nature: NatureProblemeHistorique;
  periodes: P[];
  message: string;
}

/**
 * Thrown by `validerHistorique`: the history is not coherent. `problemes` lists every problem,
 * and the message joins their French messages so that the referent can fix them all at once.
 */
export class HistoriqueLogementInvalide<P extends PeriodeLogement = PeriodeLogement> extends Error {
  override readonly name = 'HistoriqueLogementInvalide';
  constructor(readonly problemes: ProblemeHistorique<P>[]) {
    super(`Historique de logement incohérent : ${problemes.map((p) => p.message).join(' ')}`);
  }
}

/**
 * Checks that a housing history is coherent and throws `HistoriqueLogementInvalide` otherwise:
 * every date is a calendar date, no period ends before it starts (a one-day period, start = end,
 * is fine), and no two periods overlap. A person is in one housing situation at a time.
 *
 * Decision (the seeds are silent): a period may start on the very day the previous one ends (the
 * day of a move, recorded as the last day of the old housing and the first of the new); sharing
 * any further day, sharing the first day, or following a period that has no end is an overlap.
 * The input order does not matter.
 */
export function validerHistorique<P extends PeriodeLogement>(historique: readonly P[]): void {
  const problemes: ProblemeHistorique<P>[] = [];
  const datees: P[] = [];
  for (const periode of historique) {
    const mauvaises = [periode.dateDebut, periode.dateFin].filter((d) => d !== null && !isIsoDate(String(d)));
    if (mauvaises.length > 0) {
      problemes.push({
        nature: 'DATE_INVALIDE',
        periodes: [periode],
        message: `La période ${nommerPeriode(periode)} a une date invalide (${mauvaises.join(', ')}) : indiquez des dates AAAA-MM-JJ.`,
      });
    } else if (periode.dateFin !== null && compareDates(periode.dateFin, periode.dateDebut) < 0) {
      problemes.push({
        nature: 'FIN_AVANT_DEBUT',
        periodes: [periode],
        message: `La période ${nommerPeriode(periode)} se termine avant de commencer : la date de fin doit être égale ou postérieure à la date de début.`,
      });
    } else {
      datees.push(periode);
    }
  }
  const triees = [...datees].sort((a, b) => compareDates(a.dateDebut, b.dateDebut));
  for (let i = 0; i < triees.length; i++) {
    for (let j = i + 1; j < triees.length; j++) {
      const premiere = triees[i]!;
      const suivante = triees[j]!;
      const chevauche =
        premiere.dateDebut === suivante.dateDebut || premiere.dateFin === null || compareDates(suivante.dateDebut, premiere.dateFin) < 0;
      if (chevauche) {
        problemes.push({
          nature: 'CHEVAUCHEMENT',
          periodes: [premiere, suivante],
          message:
            `Les périodes ${nommerPeriode(premiere)} et ${nommerPeriode(suivante)} se chevauchent : ` +
            `une personne n'a qu'une situation de logement à la fois (la nouvelle peut commencer le jour où la précédente se termine).`,
        });
      }
    }
  }
  if (problemes.length > 0) throw new HistoriqueLogementInvalide(problemes);
}

/** Names a period in French for messages: "CADA du 2023-01-01 au 2023-05-10" or "PARC_SOCIAL depuis le 2023-05-10". */
export function nommerPeriode(periode: PeriodeLogement): string {
  return periode.dateFin === null
    ? `${periode.type} depuis le ${periode.dateDebut}`
    : `${periode.type} du ${periode.dateDebut} au ${periode.dateFin}`;
}

// ---------------------------------------------------------------------------------------------
// Housing offers and refusals
// ---------------------------------------------------------------------------------------------

/** The person's answer to a housing offer. */
export type ReponseProposition = 'EN_ATTENTE' | 'ACCEPTEE' | 'REFUSEE';

/** Every answer to a housing offer. */
export const REPONSES_PROPOSITION: readonly ReponseProposition[] = ['EN_ATTENTE', 'ACCEPTEE', 'REFUSEE'];

/**
 * A housing offer made to the person: the day it was made, the answer, and the reason given for a
 * refusal (`null` unless refused).
 */
export interface PropositionLogement {
  date: IsoDate;
  reponse: ReponseProposition;
  motifRefus: string | null;
}

/**
 * The number of refusals after which the exclusion alert is raised (seed 001: "Une exclusion peut
 * être décidée en cas de non respect des engagements (deux refus de logement)").
 */
export const SEUIL_REFUS_EXCLUSION = 2;

/**
 * The number of refused offers. Offers still pending or accepted do not count. Every refusal
 * counts, whatever its motif: the seed does not qualify "deux refus de logement", and judging
 * whether a refusal was legitimate is the commission's role, not this count's.
 */
export function compterRefus(propositions: readonly Pick<PropositionLogement, 'reponse'>[]): number {
  return propositions.filter((p) => p.reponse === 'REFUSEE').length;
}

/**
 * True when the person has refused two offers or more (seed 001). This is an alert for the
 * referents and the commission, never a decision: the seed says an exclusion "peut être décidée".
 */
export function alerteExclusion(propositions: readonly Pick<PropositionLogement, 'reponse'>[]): boolean {
  return compterRefus(propositions) >= SEUIL_REFUS_EXCLUSION;
}

/** What is wrong with an offer: missing refusal motif, motif on an offer not refused, bad answer or date. */
export type ProblemeProposition = 'MOTIF_REFUS_MANQUANT' | 'MOTIF_REFUS_INATTENDU' | 'REPONSE_INCONNUE' | 'DATE_INVALIDE';

/**
 * Thrown by `validerProposition`. `probleme` says what is wrong and `champ` names the field at
 * fault (`motifRefus`, `reponse` or `date`) so that a form, or a GraphQL error, can point at it.
 */
export class PropositionLogementInvalide extends Error {
  override readonly name = 'PropositionLogementInvalide';
  constructor(
    readonly probleme: ProblemeProposition,
    readonly champ: 'motifRefus' | 'reponse' | 'date',
    message: string,
  ) {
    super(message);
  }
}

/**
 * Checks a housing offer before it is recorded and throws `PropositionLogementInvalide` when it is
 * not acceptable: the date must be a calendar date, the answer one of `REPONSES_PROPOSITION`, and a
 * refusal must carry a motif (non-blank), since a refusal may lead to exclusion (seed 001) and the
 * commission needs to know why.
 *
 * Decision (the seeds are silent): a motif on an offer that is pending or accepted is refused
 * rather than silently kept, as it would describe a refusal that did not happen; a blank motif
 * counts as none.
 */
export function validerProposition(proposition: PropositionLogement): void {
  if (typeof proposition.date !== 'string' || !isIsoDate(proposition.date)) {
    throw new PropositionLogementInvalide(
      'DATE_INVALIDE',
      'date',
      `Date de proposition invalide : '${String(proposition.date)}'. Indiquez une date AAAA-MM-JJ.`,
    );
  }
  if (!REPONSES_PROPOSITION.includes(proposition.reponse)) {
    throw new PropositionLogementInvalide(
      'REPONSE_INCONNUE',
      'reponse',
      `Réponse inconnue : '${String(proposition.reponse)}'. Réponses possibles : ${REPONSES_PROPOSITION.join(', ')}.`,
    );
  }
  const motif = proposition.motifRefus?.trim() ?? '';
  if (proposition.reponse === 'REFUSEE' && motif === '') {
    throw new PropositionLogementInvalide(
      'MOTIF_REFUS_MANQUANT',
      'motifRefus',
      `Le refus de la proposition du ${proposition.date} doit être motivé : indiquez le motif du refus (deux refus peuvent conduire à une exclusion).`,
    );
  }
  if (proposition.reponse !== 'REFUSEE' && motif !== '') {
    throw new PropositionLogementInvalide(
      'MOTIF_REFUS_INATTENDU',
      'motifRefus',
      `La proposition du ${proposition.date} n'est pas refusée (réponse ${proposition.reponse}) : retirez le motif de refus, ou indiquez la réponse REFUSEE.`,
    );
  }
}

// ---------------------------------------------------------------------------------------------

function majuscule(texte: string): string {
  return texte.charAt(0).toUpperCase() + texte.slice(1);
}

/** Orders two ends, `null` (still going on) being the latest. */
function compareFins(a: IsoDate | null, b: IsoDate | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return compareDates(a, b);
}
