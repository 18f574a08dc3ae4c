import { addDays, addMonths, addWeeks, compareDates, daysBetween, isIsoDate, type IsoDate } from '@agir/common';
import type { StatutParcours } from '../entities';
import { formaterDate, formaterJours } from './format';
import { AVANT_SORTIE, DUREE_MAX_CONTRAT_MOIS, DUREE_MAX_REINTEGRATION_MOIS, dateFinContratEffective } from './parcours-state';

/**
 * The programme's deadlines for one parcours, and the alerts a referent or the coordination should
 * see today. Pure: the caller gives a snapshot of the parcours (its statut and dates) and today's
 * date; nothing is read or written here.
 *
 * Deadlines (`echeances`) are dated tasks: the diagnostic within a month of the CIR (seed 001), the
 * contract within three weeks of the commission (seed 002), the mid-course evaluation (seed 001),
 * the end of the accompaniment (24 months, seed 000/001), the follow-ups at 3 and 6 months after the
 * exit (seed 000/001). A due date is the last day on time: a task done on it is kept, and it is late
 * from the next day on.
 */

/** The dated deadlines. */
export type CodeEcheance = 'DIAGNOSTIC' | 'CONTRACTUALISATION' | 'EVALUATION_MI_PARCOURS' | 'FIN_ACCOMPAGNEMENT' | 'SUIVI_3_MOIS' | 'SUIVI_6_MOIS';

/** The alerts: the deadlines, and three conditions that need someone's attention. */
export type CodeAlerte = CodeEcheance | 'BINOME_NON_DESIGNE' | 'SANS_ACTIVITE' | 'EXCLUSION_POSSIBLE';

/** The individual evaluations (seed 001 "Évaluation individuelle : (entrée, mi-parcours, sortie)"). */
export type TypeEvaluation = 'ENTREE' | 'MI_PARCOURS' | 'SORTIE';

/**
 * RESPECTEE: done on or before its due date; NON_RESPECTEE: done after it; A_VENIR: not done and
 * not yet due; EN_RETARD: not done and past due.
 */
export type EtatEcheance = 'RESPECTEE' | 'NON_RESPECTEE' | 'A_VENIR' | 'EN_RETARD';

export type NiveauAlerte = 'EN_RETARD' | 'BIENTOT';

/**
 * A snapshot of one parcours, as Coordination knows it (plus the count of refused housing offers,
 * which comes from Droits & Logement). Absent dates are not known, and a deadline counted from an
 * unknown date is not computed.
 */
export interface ParcoursEcheances {
  statut: StatutParcours;
  dateSignatureCir?: IsoDate | null;
  dateOrientation?: IsoDate | null;
  dateDiagnostic?: IsoDate | null;
  dateCommission?: IsoDate | null;
  /** Signature of the contrat d'engagement réciproque. */
  dateContrat?: IsoDate | null;
  /** The end written in the contract, when earlier than 24 months. */
  dateFinContrat?: IsoDate | null;
  dateReintegration?: IsoDate | null;
  dateSortie?: IsoDate | null;
  dateSuivi3Mois?: IsoDate | null;
  dateSuivi6Mois?: IsoDate | null;
  evaluations?: Partial<Record<TypeEvaluation, IsoDate | null>> | null;
  /** True when the commission has named that referent of the binôme (a referent id is recorded). */
  referentDroitsLogementDesigne?: boolean | null;
  referentEmploiFormationDesigne?: boolean | null;
  /** The last recorded interview, workshop or step of any domain. */
  dateDerniereActivite?: IsoDate | null;
  nombreRefusLogement?: number | null;
  dateDernierRefusLogement?: IsoDate | null;
}

/** One deadline of a parcours. */
export interface Echeance {
  code: CodeEcheance;
  /** What is due, in French. */
  libelle: string;
  dateEcheance: IsoDate;
  dateRealisation: IsoDate | null;
  etat: EtatEcheance;
  /** Days from today to the due date (negative once late); null when the task is done. */
  joursRestants: number | null;
  /** Where the due date comes from, in French, with its dates. */
  explication: string;
}

/** One alert: what needs doing, by when, and how urgent it is. */
export interface Alerte {
  code: CodeAlerte;
  message: string;
  dateEcheance: IsoDate;
  niveau: NiveauAlerte;
  /** Days from today to the due date (negative once late). */
  joursRestants: number;
}

export interface OptionsAlertes {
  /** An upcoming deadline is announced (BIENTOT) this many days ahead; 14 unless told. */
  joursAvantEcheance?: number;
  /** A parcours is "without activity" after this many days with nothing recorded; 60 unless told. */
  joursSansActivite?: number;
}

/** Default notice for an upcoming deadline, in days (the brief's two weeks). */
export const JOURS_AVANT_ECHEANCE_DEFAUT = 14;
/** Default number of days without any recorded activity before a parcours is flagged. */
export const JOURS_SANS_ACTIVITE_DEFAUT = 60;
/** Seed 001 "dans un délai d'un mois maximum après la signature du CIR". */
export const DELAI_DIAGNOSTIC_MOIS = 1;
/** Seed 002 "Rendez-vous de contractualisation sous 3 semaines". */
export const DELAI_CONTRACTUALISATION_SEMAINES = 3;
/** Seed 001 "deux refus de logement". */
export const REFUS_LOGEMENT_EXCLUSION = 2;


/** For each deadline, the statuts in which it is still to be done. */
const STATUTS_EN_ATTENTE: Readonly<Record<CodeEcheance, readonly StatutParcours[]>> = {
  DIAGNOSTIC: ['ORIENTE', 'CONVOQUE'],
  CONTRACTUALISATION: ['COMMISSION_REALISEE'],
  EVALUATION_MI_PARCOURS: ['CONTRACTUALISE'],
  FIN_ACCOMPAGNEMENT: ['CONTRACTUALISE'],
  SUIVI_3_MOIS: ['SORTI'],
  SUIVI_6_MOIS: ['SORTI', 'SUIVI_3_MOIS'],
};

/**
 * The halfway date between the start and the end of an accompaniment: a whole number of months in
 * from the start when the period is an even number of months (24 → 12, so a referent finds the date
 * where they expect it), otherwise half the days, rounded down.
 */
export function dateMiParcours(debut: IsoDate, fin: IsoDate): IsoDate {
  for (let mois = 2; mois <= 2 * DUREE_MAX_CONTRAT_MOIS; mois += 2) {
    if (addMonths(debut, mois) === fin) return addMonths(debut, mois / 2);
  }
  return addDays(debut, Math.floor(daysBetween(debut, fin) / 2));
}

/**
 * The deadlines of `parcours` seen on `aujourdhui`, by due date: those already met or missed (so a
 * dashboard can count deadlines kept), and those still to be done in the current statut. A deadline
 * whose task no longer applies (the contract after an abandonment, say) is left out rather than
 * reported late.
 */
export function echeances(parcours: ParcoursEcheances, aujourdhui: IsoDate): Echeance[] {
  verifierDates(parcours, aujourdhui);
  const resultat: Echeance[] = [];
  const enAttente = (code: CodeEcheance) => STATUTS_EN_ATTENTE[code].includes(parcours.statut);
  const ajouter = (code: CodeEcheance, libelle: string, dateEcheance: IsoDate, dateRealisation: IsoDate | null, explication: string) => {
    if (dateRealisation == null && !enAttente(code)) return;
    const etat: EtatEcheance =
      dateRealisation != null
        ? compareDates(dateRealisation, dateEcheance) <= 0
          ? 'RESPECTEE'
          : 'NON_RESPECTEE'
        : compareDates(aujourdhui, dateEcheance) > 0
          ? 'EN_RETARD'
          : 'A_VENIR';
    resultat.push({ code, libelle, dateEcheance, dateRealisation, etat, joursRestants: dateRealisation == null ? daysBetween(aujourdhui, dateEcheance) : null, explication });
  };

  // Diagnostic: seed 001 counts the month from the CIR signature. A person oriented later through a
  // fiche de liaison (BPI of year N-1, seed 002) signed the CIR long before the programme knew them:
  // the month then runs from the orientation, the later of the two dates.
  const depart = plusTardive(parcours.dateSignatureCir, parcours.dateOrientation);
  if (depart != null) {
    const depuisCir = depart === parcours.dateSignatureCir;
    ajouter(
      'DIAGNOSTIC',
      'Entretien diagnostic',
      addMonths(depart, DELAI_DIAGNOSTIC_MOIS),
      parcours.dateDiagnostic ?? null,
      depuisCir ? `un mois au plus après la signature du CIR le ${formaterDate(depart)}` : `un mois au plus après l'orientation du ${formaterDate(depart)}`,
    );
  }

  if (parcours.dateCommission != null) {
    ajouter(
      'CONTRACTUALISATION',
      "Signature du contrat d'engagement réciproque",
      addWeeks(parcours.dateCommission, DELAI_CONTRACTUALISATION_SEMAINES),
      parcours.dateContrat ?? null,
      `sous 3 semaines après la commission d'attribution du ${formaterDate(parcours.dateCommission)}`,
    );
  }

  const debut = parcours.dateReintegration ?? parcours.dateContrat ?? null;
  const fin = dateFinContratEffective(parcours);
  if (debut != null && fin != null) {
    const mi = parcours.evaluations?.MI_PARCOURS ?? null;
    // An evaluation from before a reintegration belongs to the former period.
    const miDansPeriode = mi != null && compareDates(mi, debut) >= 0 ? mi : null;
    ajouter(
      'EVALUATION_MI_PARCOURS',
      'Évaluation à mi-parcours',
      dateMiParcours(debut, fin),
      miDansPeriode,
      `à la moitié de l'accompagnement, du ${formaterDate(debut)} au ${formaterDate(fin)}`,
    );
  }
  if (fin != null) {
    ajouter('FIN_ACCOMPAGNEMENT', "Fin de l'accompagnement", fin, null, origineFin(parcours, fin));
  }

  if (parcours.dateSortie != null) {
    const sortie = parcours.dateSortie;
    const fait = (date: IsoDate | null | undefined) => (date != null && compareDates(date, sortie) >= 0 ? date : null);
    ajouter('SUIVI_3_MOIS', 'Entretien de suivi à 3 mois', addMonths(sortie, 3), fait(parcours.dateSuivi3Mois), `3 mois après la sortie du ${formaterDate(sortie)}`);
    ajouter('SUIVI_6_MOIS', 'Entretien de suivi à 6 mois', addMonths(sortie, 6), fait(parcours.dateSuivi6Mois), `6 mois après la sortie du ${formaterDate(sortie)}`);
  }

  return resultat.sort((a, b) => compareDates(a.dateEcheance, b.dateEcheance));
}

/**
 * The alerts of `parcours` on `aujourdhui`: every deadline still to be done that is late
 * (EN_RETARD) or due within `options.joursAvantEcheance` days (BIENTOT, the due day included), and
 * the conditions of the current statut: a binôme incomplete after the commission, no recorded
 * activity for `options.joursSansActivite` days, two or more refused housing offers during the
 * accompaniment. The last two conditions and the binôme are reported EN_RETARD as soon as they hold;
 * inactivity is also announced BIENTOT before its limit. Sorted by due date.
 */
export function alertes(parcours: ParcoursEcheances, aujourdhui: IsoDate, options: OptionsAlertes = {}): Alerte[] {
  const joursAvant = entierPositif(options.joursAvantEcheance, JOURS_AVANT_ECHEANCE_DEFAUT, 'joursAvantEcheance');
  const joursSansActivite = entierPositif(options.joursSansActivite, JOURS_SANS_ACTIVITE_DEFAUT, 'joursSansActivite');
  const resultat: Alerte[] = [];

  for (const e of echeances(parcours, aujourdhui)) {
    if (e.dateRealisation != null || e.joursRestants == null) continue;
    const niveau = niveauDe(e.joursRestants, joursAvant);
    if (niveau) resultat.push({ code: e.code, message: messageEcheance(e, niveau), dateEcheance: e.dateEcheance, niveau, joursRestants: e.joursRestants });
  }

  // Seed 002: the commission names the référent parcours, a binôme (seed 000 "un binôme de référents
  // dédiés à l'accès aux droits et au logement ainsi qu'à l'accès à l'emploi et à la formation").
  if ((parcours.statut === 'COMMISSION_REALISEE' || parcours.statut === 'CONTRACTUALISE') && (!parcours.referentDroitsLogementDesigne || !parcours.referentEmploiFormationDesigne)) {
    const manquants = [
      parcours.referentDroitsLogementDesigne ? null : 'le référent Droits & Logement',
      parcours.referentEmploiFormationDesigne ? null : 'le référent Emploi & Formation',
    ].filter((m): m is string => m != null);
    const depuis = parcours.dateCommission ?? aujourdhui;
    const commission = parcours.dateCommission != null ? ` lors de la commission d'attribution du ${formaterDate(parcours.dateCommission)}` : " lors de la commission d'attribution";
    resultat.push({
      code: 'BINOME_NON_DESIGNE',
      message: `Binôme de référents incomplet : ${manquants.join(' et ')} ${manquants.length > 1 ? 'auraient dû être désignés' : 'aurait dû être désigné'}${commission}.`,
      dateEcheance: depuis,
      niveau: 'EN_RETARD',
      joursRestants: daysBetween(aujourdhui, depuis),
    });
  }

  if (AVANT_SORTIE.includes(parcours.statut)) {
    const derniere = plusTardive(
      parcours.dateDerniereActivite,
      parcours.dateOrientation,
      parcours.dateDiagnostic,
      parcours.dateCommission,
      parcours.dateContrat,
      parcours.dateReintegration,
      parcours.evaluations?.ENTREE,
      parcours.evaluations?.MI_PARCOURS,
    );
    if (derniere != null) {
      const limite = addDays(derniere, joursSansActivite);
      const jours = daysBetween(aujourdhui, limite);
      const niveau = niveauDe(jours, joursAvant);
      if (niveau) {
        const inactif = daysBetween(derniere, aujourdhui);
        const message =
          niveau === 'EN_RETARD'
            ? `Parcours sans activité : rien n'est enregistré depuis le ${formaterDate(derniere)} (${formaterJours(inactif)}, au-delà de ${formaterJours(joursSansActivite)}) ; reprendre contact avec la personne.`
            : `Parcours bientôt sans activité : rien n'est enregistré depuis le ${formaterDate(derniere)} ; le seuil de ${formaterJours(joursSansActivite)} sera atteint le ${formaterDate(limite)}${jours === 0 ? " (aujourd'hui)" : ` (dans ${formaterJours(jours)})`}.`;
        resultat.push({ code: 'SANS_ACTIVITE', message, dateEcheance: limite, niveau, joursRestants: jours });
      }
    }
  }

  // Seed 001: "Une exclusion peut être décidée en cas de non respect des engagements (deux refus de
  // logement)". Refusals count only while the contract binds the person.
  const refus = parcours.nombreRefusLogement ?? 0;
  if (parcours.statut === 'CONTRACTUALISE' && refus >= REFUS_LOGEMENT_EXCLUSION) {
    const depuis = parcours.dateDernierRefusLogement ?? aujourdhui;
    const dernier = parcours.dateDernierRefusLogement != null ? `, le dernier le ${formaterDate(parcours.dateDernierRefusLogement)}` : '';
    resultat.push({
      code: 'EXCLUSION_POSSIBLE',
      message: `La personne a refusé ${refus} propositions de logement${dernier} : une exclusion peut être décidée pour non-respect des engagements (deux refus de logement).`,
      dateEcheance: depuis,
      niveau: 'EN_RETARD',
      joursRestants: daysBetween(aujourdhui, depuis),
    });
  }

  return resultat.sort((a, b) => compareDates(a.dateEcheance, b.dateEcheance) || a.code.localeCompare(b.code));
}

function niveauDe(joursRestants: number, joursAvant: number): NiveauAlerte | null {
  if (joursRestants < 0) return 'EN_RETARD';
  if (joursRestants <= joursAvant) return 'BIENTOT';
  return null;
}

function messageEcheance(e: Echeance, niveau: NiveauAlerte): string {
  const date = formaterDate(e.dateEcheance);
  const jours = e.joursRestants ?? 0;
  if (e.code === 'FIN_ACCOMPAGNEMENT') {
    return niveau === 'EN_RETARD'
      ? `Fin de l'accompagnement dépassée : l'accompagnement a pris fin le ${date} (${e.explication}), il y a ${formaterJours(jours)} ; constater la sortie ou la fin de droits.`
      : `Fin de l'accompagnement le ${date} (${e.explication})${jours === 0 ? ", aujourd'hui" : `, dans ${formaterJours(jours)}`} ; préparer la sortie.`;
  }
  return niveau === 'EN_RETARD'
    ? `${e.libelle} en retard : à réaliser au plus tard le ${date} (${e.explication}), ${formaterJours(jours)} de retard.`
    : `${e.libelle} à réaliser au plus tard le ${date} (${e.explication})${jours === 0 ? ", c'est-à-dire aujourd'hui" : `, dans ${formaterJours(jours)}`}.`;
}

function origineFin(parcours: ParcoursEcheances, fin: IsoDate): string {
  if (parcours.dateReintegration != null && fin === addMonths(parcours.dateReintegration, DUREE_MAX_REINTEGRATION_MOIS)) {
    return `12 mois au plus après la réintégration du ${formaterDate(parcours.dateReintegration)}`;
  }
  if (parcours.dateReintegration == null && parcours.dateContrat != null && fin === addMonths(parcours.dateContrat, DUREE_MAX_CONTRAT_MOIS)) {
    return `24 mois au plus après la signature du contrat le ${formaterDate(parcours.dateContrat)}`;
  }
  return 'date de fin inscrite au contrat';
}

function plusTardive(...dates: (IsoDate | null | undefined)[]): IsoDate | null {
  let max: IsoDate | null = null;
  for (const d of dates) if (d != null && (max == null || compareDates(d, max) > 0)) max = d;
  return max;
}

function entierPositif(valeur: number | undefined, defaut: number, nom: string): number {
  if (valeur === undefined) return defaut;
  if (!Number.isInteger(valeur) || valeur < 0) throw new RangeError(`${nom} must be a non-negative whole number of days, received ${valeur}`);
  return valeur;
}

function verifierDates(parcours: ParcoursEcheances, aujourdhui: IsoDate): void {
  const champs: [string, unknown][] = [['aujourdhui', aujourdhui]];
  for (const [nom, valeur] of Object.entries(parcours)) if (nom.startsWith('date')) champs.push([nom, valeur]);
  for (const [nom, valeur] of Object.entries(parcours.evaluations ?? {})) champs.push([`evaluations.${nom}`, valeur]);
  for (const [nom, valeur] of champs) {
    if ((nom === 'aujourdhui' || valeur != null) && (typeof valeur !== 'string' || !isIsoDate(valeur))) {
      throw new TypeError(`${nom}: expected a calendar date 'YYYY-MM-DD', received '${String(valeur)}'`);
    }
  }
}
