/**
 * Rights procedures ("démarches d'accès aux droits") of the Droits & Logement domain: their types,
 * their status machine and the time they take to open a right, as pure functions.
 *
 * Seed 000, "Accompagnement social": "droit au séjour, reconstitution de l'état civil auprès de
 * l'OFPRA, accès à la réunification familiale, accès aux prestations sociales, appui à la mobilité,
 * accompagnement vers le soin, ouverture d'un compte bancaire, etc." Seed 004 asks the analysis of a
 * département to expose the "Blocages administratifs dans l'ouverture des droits": hence a BLOQUE
 * status carrying a typed motif, and the time from start to obtaining a right.
 */
import { compareDates, daysBetween, isIsoDate, type IsoDate } from '@agir/common';
import type { DemarcheDroitRow } from '../entities';
import type { StatutDemarche as StatutDemarcheSdl, TypeDemarcheDroit as TypeDemarcheDroitSdl } from '../generated/resolvers-types';

/**
 * The types of procedure, exactly those of the SDL enum `TypeDemarcheDroit` (a compile-time check
 * below and a test against `droits-logement.graphql` keep them equal).
 *
 * ACCOMPAGNEMENT_SOIN (seed 000: "accompagnement vers le soin") only records that an orientation
 * towards care exists and how far it has gone. No diagnosis, pathology, treatment or other health
 * detail is ever stored, in this domain or elsewhere in the hub (data minimisation, DESIGN.md §2):
 * neither in the procedure, nor in its `organisme`, nor in a blockage comment.
 */
export const TYPES_DEMARCHE_DROIT = [
  'TITRE_SEJOUR',
  'ETAT_CIVIL_OFPRA',
  'REUNIFICATION_FAMILIALE',
  'CAF_PRESTATIONS_FAMILIALES',
  'RSA',
  'ASSURANCE_MALADIE',
  'ACCOMPAGNEMENT_SOIN',
  'COMPTE_BANCAIRE',
  'DOMICILIATION',
  'ECHANGE_PERMIS_CONDUIRE',
  'MOBILITE',
  'AUTRE',
] as const;

/** A type of rights procedure (see `TYPES_DEMARCHE_DROIT`). */
export type TypeDemarcheDroit = (typeof TYPES_DEMARCHE_DROIT)[number];

/** The status of a procedure, the same as the store's column and the SDL enum `StatutDemarche`. */
export type StatutDemarche = DemarcheDroitRow['statut'];

/** Every status of a procedure, in the order of the SDL. */
export const STATUTS_DEMARCHE: readonly StatutDemarche[] = ['A_ENGAGER', 'EN_COURS', 'OBTENU', 'BLOQUE', 'ABANDONNE'];

// Compile-time guard: the lists above and the generated SDL types must be the same sets.
type MemesValeurs<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const typesAlignes: MemesValeurs<TypeDemarcheDroit, TypeDemarcheDroitSdl> = true;
const statutsAlignes: MemesValeurs<StatutDemarche, StatutDemarcheSdl> = true;
void typesAlignes;
void statutsAlignes;

/**
 * The status machine. A procedure to start (A_ENGAGER) is started or dropped; a procedure under
 * way (EN_COURS) is obtained, blocked or dropped; a blocked one (BLOQUE) is unblocked (back to
 * EN_COURS), obtained or dropped. OBTENU and ABANDONNE are final: nothing leaves them.
 */
export const TRANSITIONS_DEMARCHE: Readonly<Record<StatutDemarche, readonly StatutDemarche[]>> = {
  A_ENGAGER: ['EN_COURS', 'ABANDONNE'],
  EN_COURS: ['OBTENU', 'BLOQUE', 'ABANDONNE'],
  BLOQUE: ['EN_COURS', 'OBTENU', 'ABANDONNE'],
  OBTENU: [],
  ABANDONNE: [],
};

/** The final statuses: the procedure is closed and its `dateFin` is set. */
export const STATUTS_FINAUX_DEMARCHE: readonly StatutDemarche[] = ['OBTENU', 'ABANDONNE'];

/** True when `de` may go to `vers` according to `TRANSITIONS_DEMARCHE`. */
export function transitionPermise(de: StatutDemarche, vers: StatutDemarche): boolean {
  return (TRANSITIONS_DEMARCHE[de] ?? []).includes(vers);
}

/**
 * Why a procedure is blocked. Seed 004 names "Blocages administratifs dans l'ouverture des droits";
 * the other motifs separate what the person can act on (a missing document) from the waiting on
 * an organisation (CAF, préfecture, OFPRA ...).
 */
export type MotifBlocage = 'BLOCAGE_ADMINISTRATIF' | 'PIECE_MANQUANTE' | 'DELAI_ORGANISME' | 'AUTRE';

/** Every blockage motif. */
export const MOTIFS_BLOCAGE: readonly MotifBlocage[] = ['BLOCAGE_ADMINISTRATIF', 'PIECE_MANQUANTE', 'DELAI_ORGANISME', 'AUTRE'];

/**
 * A blockage: its motif and a free comment. The comment describes the administrative obstacle
 * only; it must never hold health information (see ACCOMPAGNEMENT_SOIN above).
 */
export interface Blocage {
  motif: MotifBlocage;
  commentaire: string | null;
}

/**
 * A rights procedure as the rules see it. Besides the store's fields (`dateDebut`: first day it
 * went EN_COURS; `dateFin`: day it was obtained or dropped), it carries its blockage while BLOQUE
 * (`bloqueeDepuis`, `blocage`, both `null` otherwise) and the day of its last change
 * (`dernierChangement`, `null` for a procedure recorded before that field existed).
 */
export interface Demarche {
  type: TypeDemarcheDroit;
  statut: StatutDemarche;
  dateDebut: IsoDate | null;
  dateFin: IsoDate | null;
  bloqueeDepuis: IsoDate | null;
  blocage: Blocage | null;
  dernierChangement: IsoDate | null;
}

/**
 * A new procedure to start (A_ENGAGER), created on `date`. Further fields (id, parcours, organisme)
 * are the caller's.
 */
export function nouvelleDemarche(type: TypeDemarcheDroit, date: IsoDate): Demarche {
  verifierDate(date);
  if (!TYPES_DEMARCHE_DROIT.includes(type)) {
    throw new ChangementDemarcheInvalide(
      'TYPE_INCONNU',
      'type',
      `Type de démarche inconnu : '${String(type)}'. Types possibles : ${TYPES_DEMARCHE_DROIT.join(', ')}.`,
    );
  }
  return { type, statut: 'A_ENGAGER', dateDebut: null, dateFin: null, bloqueeDepuis: null, blocage: null, dernierChangement: date };
}

/**
 * Thrown when a status change is not in `TRANSITIONS_DEMARCHE`. Carries the current status, the
 * requested one and the statuses allowed from the current one (empty for a final status).
 */
export class TransitionDemarcheInvalide extends Error {
  override readonly name = 'TransitionDemarcheInvalide';
  constructor(
    readonly statutActuel: StatutDemarche,
    readonly statutDemande: StatutDemarche,
    readonly statutsPermis: readonly StatutDemarche[],
    typeDemarche?: string,
  ) {
    const sujet = typeDemarche ? `La démarche ${typeDemarche}` : 'La démarche';
    super(
      statutsPermis.length === 0
        ? `${sujet} est au statut ${statutActuel}, qui est final : elle ne peut plus passer au statut ${statutDemande}. Créez une nouvelle démarche si besoin.`
        : `${sujet} est au statut ${statutActuel} et ne peut pas passer au statut ${statutDemande}. Statuts possibles depuis ${statutActuel} : ${statutsPermis.join(', ')}.`,
    );
  }
}

/** What is wrong with a status change other than the transition itself. */
export type ProblemeChangementDemarche =
  | 'BLOCAGE_MANQUANT'
  | 'MOTIF_BLOCAGE_INCONNU'
  | 'COMMENTAIRE_BLOCAGE_MANQUANT'
  | 'BLOCAGE_INATTENDU'
  | 'DATE_INVALIDE'
  | 'DATE_ANTERIEURE'
  | 'TYPE_INCONNU';

/**
 * Thrown when a status change is allowed by the machine but its details are not acceptable.
 * `probleme` says what is wrong and `champ` names the field at fault (`blocage`, `date`, `type`).
 */
export class ChangementDemarcheInvalide extends Error {
  override readonly name = 'ChangementDemarcheInvalide';
  constructor(
    readonly probleme: ProblemeChangementDemarche,
    readonly champ: 'blocage' | 'date' | 'type',
    message: string,
  ) {
    super(message);
  }
}

/** Details of a status change: the day it happens and, to go BLOQUE, the blockage. */
export interface ChangementStatut {
  date: IsoDate;
  blocage?: Blocage | null;
}

/**
 * Moves a procedure to `nouveauStatut` on `date` and returns the updated procedure (a copy: the
 * input is not modified; fields the rules do not know, such as an id, are kept).
 *
 * - The transition must be in `TRANSITIONS_DEMARCHE`, otherwise `TransitionDemarcheInvalide`.
 * - `date` must be a calendar date and not before the procedure's last change (`dernierChangement`,
 *   or when unknown the latest of its dates); several changes on the same day are fine.
 * - Going EN_COURS sets `dateDebut` the first time only (a procedure unblocked keeps its start).
 * - Going BLOQUE requires a blockage with a known motif (a comment too when the motif is AUTRE)
 *   and sets `bloqueeDepuis`; leaving BLOQUE, for any status, clears `bloqueeDepuis` and
 *   `blocage` (the history of blockages is the caller's event log: the input still holds it).
 * - Going OBTENU or ABANDONNE sets `dateFin`.
 * - A blockage given for any other status than BLOQUE is refused rather than ignored.
 * Other problems throw `ChangementDemarcheInvalide`.
 */
export function changerStatutDemarche<D extends Demarche>(demarche: D, nouveauStatut: StatutDemarche, changement: ChangementStatut): D {
  const permis = TRANSITIONS_DEMARCHE[demarche.statut] ?? [];
  if (!permis.includes(nouveauStatut)) {
    throw new TransitionDemarcheInvalide(demarche.statut, nouveauStatut, permis, demarche.type);
  }
  const { date } = changement;
  verifierDate(date);
  const precedent = dateDernierChangement(demarche);
  if (precedent !== null && compareDates(date, precedent) < 0) {
    throw new ChangementDemarcheInvalide(
      'DATE_ANTERIEURE',
      'date',
      `Le changement de statut du ${date} est antérieur au dernier changement de la démarche (${precedent}) : indiquez une date égale ou postérieure au ${precedent}.`,
    );
  }
  const blocage = changement.blocage ?? null;
  if (nouveauStatut === 'BLOQUE') verifierBlocage(blocage);
  else if (blocage !== null) {
    throw new ChangementDemarcheInvalide(
      'BLOCAGE_INATTENDU',
      'blocage',
      `Un motif de blocage ne s'indique que pour passer au statut BLOQUE, pas au statut ${nouveauStatut} : retirez le blocage.`,
    );
  }

  const suivante: D = { ...demarche, statut: nouveauStatut, dernierChangement: date };
  if (nouveauStatut === 'EN_COURS' && suivante.dateDebut === null) suivante.dateDebut = date;
  if (nouveauStatut === 'BLOQUE') {
    suivante.bloqueeDepuis = date;
    suivante.blocage = { motif: blocage!.motif, commentaire: blocage!.commentaire?.trim() || null };
  } else {
    suivante.bloqueeDepuis = null;
    suivante.blocage = null;
  }
  if (STATUTS_FINAUX_DEMARCHE.includes(nouveauStatut)) suivante.dateFin = date;
  return suivante;
}

/**
 * The day of the procedure's last change: `dernierChangement` when known, otherwise the latest of
 * `dateDebut`, `bloqueeDepuis` and `dateFin`; `null` when the procedure carries no date at all.
 */
export function dateDernierChangement(demarche: Pick<Demarche, 'dateDebut' | 'dateFin' | 'bloqueeDepuis' | 'dernierChangement'>): IsoDate | null {
  if (demarche.dernierChangement) return demarche.dernierChangement;
  const dates = [demarche.dateDebut, demarche.dateFin, demarche.bloqueeDepuis].filter((d): d is IsoDate => d !== null && d !== undefined);
  return dates.length === 0 ? null : dates.reduce((a, b) => (compareDates(a, b) >= 0 ? a : b));
}

/**
 * The time it took to open a right: days from `dateDebut` to `dateFin` for an OBTENU procedure
 * (0 when obtained the day it started), `null` for any other status or when a date is missing.
 * Feeds indicators such as the median time to open CAF rights.
 */
export function delaiOuvertureDroits(demarche: Pick<Demarche, 'statut' | 'dateDebut' | 'dateFin'>): number | null {
  if (demarche.statut !== 'OBTENU' || !demarche.dateDebut || !demarche.dateFin) return null;
  return daysBetween(demarche.dateDebut, demarche.dateFin);
}

// ---------------------------------------------------------------------------------------------

function verifierDate(date: IsoDate): void {
  if (typeof date !== 'string' || !isIsoDate(date)) {
    throw new ChangementDemarcheInvalide('DATE_INVALIDE', 'date', `Date invalide : '${String(date)}'. Indiquez une date AAAA-MM-JJ.`);
  }
}

function verifierBlocage(blocage: Blocage | null): void {
  if (blocage === null) {
    throw new ChangementDemarcheInvalide(
      'BLOCAGE_MANQUANT',
      'blocage',
      `Pour passer une démarche au statut BLOQUE, indiquez le motif du blocage (${MOTIFS_BLOCAGE.join(', ')}).`,
    );
  }
  if (!MOTIFS_BLOCAGE.includes(blocage.motif)) {
    throw new ChangementDemarcheInvalide(
      'MOTIF_BLOCAGE_INCONNU',
      'blocage',
      `Motif de blocage inconnu : '${String(blocage.motif)}'. Motifs possibles : ${MOTIFS_BLOCAGE.join(', ')}.`,
    );
  }
  if (blocage.motif === 'AUTRE' && !blocage.commentaire?.trim()) {
    throw new ChangementDemarcheInvalide(
      'COMMENTAIRE_BLOCAGE_MANQUANT',
      'blocage',
      'Le motif de blocage AUTRE demande un commentaire qui décrit le blocage (sans information de santé).',
    );
  }
}
