import { addDays, addMonths, compareDates, isIsoDate, type IsoDate } from '@agir/common';
import type { StatutParcours } from '../entities';
import { formaterDate } from './format';

/**
 * The parcours state machine: which action moves a parcours from which statut to which, and the
 * conditions ("gardes") some moves need. Pure: the caller loads the parcours, asks here whether the
 * move is allowed, and saves the new statut and the dates returned.
 *
 * The path (seed 002 "Process d'admission", seed 001 "Modalité et délais d'accès"): orientation,
 * convocation, diagnostic, commission d'attribution, contractualisation, accompaniment of at most
 * 24 months, exit, follow-ups at 3 and 6 months, closing. Its ends: refusal of the contract and
 * abandonment ("Tout refus d'engagement contractuel ou arrêt est définitif", seed 002), exclusion
 * (seed 001), end of rights at the contract's end, and the exceptional reintegration of 12 months
 * (seed 001).
 */

export type { StatutParcours };

/** What each statut means, in French; keyed by every statut so a new one cannot be forgotten. */
export const LIBELLE_STATUT: Readonly<Record<StatutParcours, string>> = {
  ORIENTE: 'orienté vers le programme',
  CONVOQUE: "convoqué à l'entretien diagnostic",
  DIAGNOSTIC_REALISE: 'diagnostic réalisé',
  COMMISSION_REALISEE: "commission d'attribution réalisée",
  CONTRACTUALISE: "contrat d'engagement réciproque signé, accompagnement en cours",
  SORTI: 'sorti du programme',
  SUIVI_3_MOIS: 'suivi à 3 mois réalisé',
  SUIVI_6_MOIS: 'suivi à 6 mois réalisé',
  CLOS: 'parcours clos',
  REFUS_CONTRACTUALISATION: 'contrat refusé (définitif)',
  ABANDON: 'accompagnement arrêté par la personne (définitif)',
  EXCLU: 'exclu du programme',
  FIN_DE_DROITS: "fin de droits : durée maximale de l'accompagnement atteinte",
};

/** Every statut, in the order of the parcours. */
export const STATUTS_PARCOURS = Object.keys(LIBELLE_STATUT) as StatutParcours[];

/** The moves of the parcours, as French verbs. */
export type ActionParcours =
  | 'CONVOQUER'
  | 'REALISER_DIAGNOSTIC'
  | 'TENIR_COMMISSION'
  | 'CONTRACTUALISER'
  | 'SORTIR'
  | 'REALISER_SUIVI_3_MOIS'
  | 'REALISER_SUIVI_6_MOIS'
  | 'CLORE'
  | 'REINTEGRER'
  | 'CONSTATER_FIN_DE_DROITS'
  | 'REFUSER_CONTRAT'
  | 'EXCLURE'
  | 'ABANDONNER';

/** The reasons for an exclusion (seed 001, "Une exclusion peut être décidée en cas de ..."). */
export type MotifExclusion = 'DEUX_REFUS_LOGEMENT' | 'VIOLENCE_MENACES' | 'NON_ADHESION' | 'COMPORTEMENT_DELICTUEUX';

/** Every exclusion motif, in the order seed 001 lists them. */
export const MOTIFS_EXCLUSION: readonly MotifExclusion[] = ['DEUX_REFUS_LOGEMENT', 'VIOLENCE_MENACES', 'NON_ADHESION', 'COMPORTEMENT_DELICTUEUX'];

/**
 * The statuts before an exit: the accompaniment is running (from which the person may stop, seed
 * 002 "à tout moment"; in which inactivity is worth an alert; during which the same person cannot
 * start another parcours; which make a referent's caseload).
 */
export const AVANT_SORTIE: readonly StatutParcours[] = ['ORIENTE', 'CONVOQUE', 'DIAGNOSTIC_REALISE', 'COMMISSION_REALISEE', 'CONTRACTUALISE'];

/**
 * The transition table: for each action, the statuts it may start from and the statut it leads to.
 * Its order is the order in which the allowed actions are listed to the user.
 */
export const TRANSITIONS: Readonly<Record<ActionParcours, { readonly depuis: readonly StatutParcours[]; readonly vers: StatutParcours }>> = {
  CONVOQUER: { depuis: ['ORIENTE'], vers: 'CONVOQUE' },
  REALISER_DIAGNOSTIC: { depuis: ['CONVOQUE'], vers: 'DIAGNOSTIC_REALISE' },
  TENIR_COMMISSION: { depuis: ['DIAGNOSTIC_REALISE'], vers: 'COMMISSION_REALISEE' },
  CONTRACTUALISER: { depuis: ['COMMISSION_REALISEE'], vers: 'CONTRACTUALISE' },
  SORTIR: { depuis: ['CONTRACTUALISE'], vers: 'SORTI' },
  REALISER_SUIVI_3_MOIS: { depuis: ['SORTI'], vers: 'SUIVI_3_MOIS' },
  REALISER_SUIVI_6_MOIS: { depuis: ['SUIVI_3_MOIS'], vers: 'SUIVI_6_MOIS' },
  CLORE: { depuis: ['SUIVI_6_MOIS'], vers: 'CLOS' },
  // Seed 001: "une réintégration au dispositif est possible avec accord du représentant de l'Etat du
  // département pour 12 mois au maximum", after an exit (at any point of the follow-up or after it)
  // or after the rights ended; not after a refusal, an abandonment or an exclusion.
  REINTEGRER: { depuis: ['SORTI', 'SUIVI_3_MOIS', 'SUIVI_6_MOIS', 'CLOS', 'FIN_DE_DROITS'], vers: 'CONTRACTUALISE' },
  CONSTATER_FIN_DE_DROITS: { depuis: ['CONTRACTUALISE'], vers: 'FIN_DE_DROITS' },
  // Seed 002: the contract is proposed after the diagnostic; the person may refuse it at the
  // diagnostic or at the contract appointment. "Tout refus d'engagement contractuel ... est définitif."
  REFUSER_CONTRAT: { depuis: ['DIAGNOSTIC_REALISE', 'COMMISSION_REALISEE'], vers: 'REFUS_CONTRACTUALISATION' },
  EXCLURE: { depuis: ['CONTRACTUALISE'], vers: 'EXCLU' },
  ABANDONNER: { depuis: AVANT_SORTIE, vers: 'ABANDON' },
};

/** Every action, in the order of the table. */
export const ACTIONS_PARCOURS = Object.keys(TRANSITIONS) as ActionParcours[];

/** The statuts no action leaves: refusal, abandonment and exclusion are definitive (seed 002, 001). */
export const STATUTS_DEFINITIFS: readonly StatutParcours[] = STATUTS_PARCOURS.filter((s) => ACTIONS_PARCOURS.every((a) => !TRANSITIONS[a].depuis.includes(s)));

/** Seed 000 "une durée pouvant aller jusqu'à 24 mois", seed 001 "24 mois maximum". */
export const DUREE_MAX_CONTRAT_MOIS = 24;
/** Seed 001 "réintégration ... pour 12 mois au maximum". */
export const DUREE_MAX_REINTEGRATION_MOIS = 12;
/**
 * Days by which a follow-up interview may come before its 3- or 6-month date. The seeds say "à 3
 * mois puis à 6 mois" without a margin; 15 days lets an interview be booked in the fortnight before.
 */
export const TOLERANCE_SUIVI_JOURS = 15;

/** The conditions a guard may check, named so that callers can react to each. */
export type GardeTransition =
  | 'CRITERES_SORTIE'
  | 'DATE_FIN_CONTRAT'
  | 'DATE_SORTIE'
  | 'DELAI_SUIVI'
  | 'DEJA_REINTEGRE'
  | 'REFERENCE_ACCORD_PREFET'
  | 'MOTIF_EXCLUSION'
  | 'REFUS_LOGEMENT';

/**
 * What the guards need to know. `aujourdhui` is the date the action takes effect (today, or the
 * date of the event when it is recorded afterwards).
 */
export interface ContexteTransition {
  aujourdhui: IsoDate;
  /** Signature of the contrat d'engagement réciproque. */
  dateContrat?: IsoDate | null;
  /** The end written in the contract, when shorter than the maximum. */
  dateFinContrat?: IsoDate | null;
  /** The reintegration date, when the parcours was reintegrated (then it cannot be again). */
  dateReintegration?: IsoDate | null;
  dateSortie?: IsoDate | null;
  /** The caller's answer to `criteresSortie(...)`: true only when every exit criterion is met. */
  criteresSortieRemplis?: boolean | null;
  dejaReintegre?: boolean | null;
  /** The reference of the prefect's agreement, for REINTEGRER. */
  referenceAccordPrefet?: string | null;
  /** The reason, for EXCLURE. */
  motifExclusion?: MotifExclusion | null;
  /** For EXCLURE on DEUX_REFUS_LOGEMENT: the refused offers Droits & Logement counts (null: unknown). */
  refusLogement?: number | null;
}

/** The outcome of an allowed action: the new statut and the dates the caller should record. */
export interface ResultatTransition {
  statut: StatutParcours;
  action: ActionParcours;
  /** The date the action took effect (`contexte.aujourdhui`). */
  date: IsoDate;
  /** CONTRACTUALISER and REINTEGRER: the end of the (new) contract. */
  dateFinContrat?: IsoDate;
  /** REINTEGRER: the reintegration date. */
  dateReintegration?: IsoDate;
  /** REINTEGRER: the reference of the prefect's agreement. */
  referenceAccordPrefet?: string;
  /** EXCLURE: the reason. */
  motifExclusion?: MotifExclusion;
}

/**
 * Raised when an action is not allowed: either it does not start from the current statut, or a
 * guard fails (then `garde` names it and `raison` says why). The message is French, names the
 * current statut and lists the actions allowed now, so that it can be shown as it is.
 */
export class TransitionInvalide extends Error {
  readonly statutActuel: StatutParcours;
  readonly action: string;
  readonly actionsPermises: ActionParcours[];
  readonly garde: GardeTransition | null;
  readonly raison: string | null;

  constructor(statutActuel: StatutParcours, action: string, actionsPermises: ActionParcours[], garde: GardeTransition | null = null, raison: string | null = null) {
    super(messageTransitionInvalide(statutActuel, action, actionsPermises, raison));
    this.name = 'TransitionInvalide';
    this.statutActuel = statutActuel;
    this.action = action;
    this.actionsPermises = actionsPermises;
    this.garde = garde;
    this.raison = raison;
  }
}

function messageTransitionInvalide(statut: StatutParcours, action: string, permises: ActionParcours[], raison: string | null): string {
  const possibles = permises.length > 0 ? `actions possibles : ${permises.join(', ')}` : STATUTS_DEFINITIFS.includes(statut) ? 'aucune action possible (statut définitif)' : "aucune action possible pour l'instant";
  if (raison) return `Transition impossible : l'action ${action} n'est pas permise au statut ${statut} : ${raison} Le parcours reste au statut ${statut} ; ${possibles}.`;
  const inconnue = (ACTIONS_PARCOURS as string[]).includes(action) ? '' : `l'action ${action} n'existe pas ; `;
  return `Transition impossible : ${inconnue}le parcours est au statut ${statut} ; ${possibles}.`;
}

/**
 * The end of the accompaniment in force: 24 months after the contract's signature, or 12 months
 * after a reintegration (which starts a new period), or the end written in the contract when it
 * comes earlier (seed 000 "jusqu'à 24 mois": a maximum, never extended). Null when neither the
 * signature nor the reintegration nor a written end is known.
 */
export function dateFinContratEffective(dates: { dateContrat?: IsoDate | null; dateReintegration?: IsoDate | null; dateFinContrat?: IsoDate | null }): IsoDate | null {
  const maximum =
    dates.dateReintegration != null
      ? addMonths(dates.dateReintegration, DUREE_MAX_REINTEGRATION_MOIS)
      : dates.dateContrat != null
        ? addMonths(dates.dateContrat, DUREE_MAX_CONTRAT_MOIS)
        : null;
  // A written end from before the reintegration belongs to the former contract.
  const ecrite =
    dates.dateFinContrat != null && (dates.dateReintegration == null || compareDates(dates.dateFinContrat, dates.dateReintegration) > 0) ? dates.dateFinContrat : null;
  if (maximum == null) return ecrite;
  if (ecrite == null) return maximum;
  return compareDates(ecrite, maximum) < 0 ? ecrite : maximum;
}

/**
 * The first day a follow-up interview `mois` months after the exit may take place: the exit date
 * plus `mois` months (clamped to the month's end), minus the tolerance of `TOLERANCE_SUIVI_JOURS`.
 */
export function datePlusTotSuivi(dateSortie: IsoDate, mois: 3 | 6): IsoDate {
  return addDays(addMonths(dateSortie, mois), -TOLERANCE_SUIVI_JOURS);
}

/** The actions the table lets start from `statut`, guards not considered, in table order. */
export function actionsDepuis(statut: StatutParcours): ActionParcours[] {
  verifierStatut(statut);
  return ACTIONS_PARCOURS.filter((a) => TRANSITIONS[a].depuis.includes(statut));
}

/**
 * The actions allowed now from `statut`: those of the table whose guards on the situation (exit
 * criteria, dates, an earlier reintegration) hold in `contexte`. The motif of an exclusion and the
 * prefect's reference of a reintegration are what the user supplies with the action, so they are
 * not required here; `appliquerTransition` checks them.
 */
export function actionsPermises(statut: StatutParcours, contexte: ContexteTransition): ActionParcours[] {
  verifierContexte(contexte);
  return actionsDepuis(statut).filter((action) => gardeSituation(action, contexte) == null);
}

/**
 * Applies `action` to a parcours at `statut`. Returns the new statut and the dates to record, or
 * throws a `TransitionInvalide` naming the current statut and the allowed actions, with the failed
 * guard and its reason when the move exists but its conditions do not hold.
 */
export function appliquerTransition(statut: StatutParcours, action: ActionParcours, contexte: ContexteTransition): ResultatTransition {
  const permises = actionsPermises(statut, contexte);
  const transition = (ACTIONS_PARCOURS as string[]).includes(action) ? TRANSITIONS[action] : undefined;
  if (!transition || !transition.depuis.includes(statut)) throw new TransitionInvalide(statut, action, permises);
  const echec = gardeSituation(action, contexte) ?? gardeParametres(action, contexte);
  if (echec) throw new TransitionInvalide(statut, action, permises, echec.garde, echec.raison);

  const { aujourdhui } = contexte;
  const resultat: ResultatTransition = { statut: transition.vers, action, date: aujourdhui };
  if (action === 'CONTRACTUALISER') {
    resultat.dateFinContrat = dateFinContratEffective({ dateContrat: aujourdhui, dateFinContrat: finEcriteApres(contexte.dateFinContrat, aujourdhui) })!;
  } else if (action === 'REINTEGRER') {
    resultat.dateReintegration = aujourdhui;
    resultat.dateFinContrat = addMonths(aujourdhui, DUREE_MAX_REINTEGRATION_MOIS);
    resultat.referenceAccordPrefet = contexte.referenceAccordPrefet!.trim();
  } else if (action === 'EXCLURE') {
    resultat.motifExclusion = contexte.motifExclusion!;
  }
  return resultat;
}

/** A written end counts for a new contract only when it is after the signature. */
function finEcriteApres(fin: IsoDate | null | undefined, signature: IsoDate): IsoDate | null {
  return fin != null && compareDates(fin, signature) > 0 ? fin : null;
}

interface EchecGarde {
  garde: GardeTransition;
  raison: string;
}

function gardeSituation(action: ActionParcours, contexte: ContexteTransition): EchecGarde | null {
  const { aujourdhui } = contexte;
  switch (action) {
    case 'SORTIR':
      // Seed 000: exit "lorsque le bénéficiaire dispose d'un logement pérenne ... ou bien d'un logement
      // temporaire (résidence sociale, FJT ou IML) et lorsque la situation professionnelle du BPI est
      // stabilisée pour une durée de six mois minimum". Unknown criteria do not allow it.
      if (contexte.criteresSortieRemplis === true) return null;
      return {
        garde: 'CRITERES_SORTIE',
        raison: `les critères de sortie ${contexte.criteresSortieRemplis === false ? 'ne sont pas remplis' : 'ne sont pas établis'} (un logement pérenne, ou temporaire en résidence sociale, FJT ou IML, et une situation professionnelle stabilisée pour six mois au moins).`,
      };
    case 'CONSTATER_FIN_DE_DROITS': {
      const fin = dateFinContratEffective(contexte);
      if (fin == null) {
        return { garde: 'DATE_FIN_CONTRAT', raison: "la date de fin du contrat est inconnue (ni la signature du contrat ni une réintégration ne sont datées)." };
      }
      if (compareDates(aujourdhui, fin) < 0) {
        return {
          garde: 'DATE_FIN_CONTRAT',
          raison: `le contrat court jusqu'au ${formaterDate(fin)} (${origineFin(contexte)}) ; la fin de droits ne peut être constatée qu'à partir de cette date.`,
        };
      }
      return null;
    }
    case 'REALISER_SUIVI_3_MOIS':
    case 'REALISER_SUIVI_6_MOIS': {
      const mois = action === 'REALISER_SUIVI_3_MOIS' ? 3 : 6;
      if (contexte.dateSortie == null) return { garde: 'DATE_SORTIE', raison: `la date de sortie n'est pas renseignée : le suivi à ${mois} mois se compte à partir d'elle.` };
      const auPlusTot = datePlusTotSuivi(contexte.dateSortie, mois);
      if (compareDates(aujourdhui, auPlusTot) < 0) {
        return {
          garde: 'DELAI_SUIVI',
          raison: `le suivi à ${mois} mois ne peut pas avoir lieu avant le ${formaterDate(auPlusTot)} (${mois} mois après la sortie du ${formaterDate(contexte.dateSortie)}, moins ${TOLERANCE_SUIVI_JOURS} jours de tolérance).`,
        };
      }
      return null;
    }
    case 'REINTEGRER':
      // Seed 001 speaks of "une réintégration", exceptional: one per parcours.
      if (contexte.dejaReintegre === true || contexte.dateReintegration != null) {
        const le = contexte.dateReintegration != null ? ` le ${formaterDate(contexte.dateReintegration)}` : '';
        return { garde: 'DEJA_REINTEGRE', raison: `le parcours a déjà été réintégré${le} ; la réintégration, exceptionnelle, n'est possible qu'une fois.` };
      }
      return null;
    default:
      return null;
  }
}

function gardeParametres(action: ActionParcours, contexte: ContexteTransition): EchecGarde | null {
  if (action === 'REINTEGRER' && !contexte.referenceAccordPrefet?.trim()) {
    return {
      garde: 'REFERENCE_ACCORD_PREFET',
      raison: "la référence de l'accord du représentant de l'État est requise : la réintégration n'est possible qu'avec son accord.",
    };
  }
  if (action === 'EXCLURE' && (contexte.motifExclusion == null || !MOTIFS_EXCLUSION.includes(contexte.motifExclusion))) {
    return { garde: 'MOTIF_EXCLUSION', raison: `un motif d'exclusion est requis, parmi : ${MOTIFS_EXCLUSION.join(', ')}.` };
  }
  // Seed 001: exclusion "après deux refus de proposition de logement"; the count is Droits &
  // Logement's, and an unknown count does not allow it.
  if (action === 'EXCLURE' && contexte.motifExclusion === 'DEUX_REFUS_LOGEMENT' && !(typeof contexte.refusLogement === 'number' && contexte.refusLogement >= 2)) {
    return {
      garde: 'REFUS_LOGEMENT',
      raison:
        typeof contexte.refusLogement === 'number'
          ? `Droits & Logement compte ${contexte.refusLogement} proposition(s) de logement refusée(s) pour ce parcours ; l'exclusion pour ce motif en demande deux.`
          : "le nombre de propositions de logement refusées n'a pas pu être lu auprès de Droits & Logement ; l'exclusion pour ce motif en demande deux, réessayez plus tard.",
    };
  }
  return null;
}

function origineFin(contexte: ContexteTransition): string {
  if (contexte.dateReintegration != null) return `réintégration du ${formaterDate(contexte.dateReintegration)}, 12 mois au maximum`;
  if (contexte.dateContrat != null) return `contrat signé le ${formaterDate(contexte.dateContrat)}, 24 mois au maximum`;
  return 'date de fin inscrite au contrat';
}

function verifierStatut(statut: StatutParcours): void {
  if (!STATUTS_PARCOURS.includes(statut)) throw new TypeError(`Unknown parcours statut '${String(statut)}'`);
}

function verifierContexte(contexte: ContexteTransition): void {
  const dates: (keyof ContexteTransition)[] = ['aujourdhui', 'dateContrat', 'dateFinContrat', 'dateReintegration', 'dateSortie'];
  for (const name of dates) {
    const value = contexte[name];
    if ((name === 'aujourdhui' || value != null) && (typeof value !== 'string' || !isIsoDate(value))) {
      throw new TypeError(`${name}: expected a calendar date 'YYYY-MM-DD', received '${String(value)}'`);
    }
  }
}
