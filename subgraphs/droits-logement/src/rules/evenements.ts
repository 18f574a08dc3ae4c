/**
 * The dated events of the Droits & Logement domain, for the unified chronologie of a parcours
 * (DESIGN.md §1: the vignettes of seed 002 are "real parcours with dated events across all three
 * domains"). Derived from the domain's records, not stored: each procedure's start, blockage and
 * outcome, each entry into a housing situation, the social-housing application and its renewals,
 * each offer and its answer, support measures and incidents.
 *
 * The wording is built from codes and reference names only (types, communes): never from free
 * text typed about the person (a refusal motif, a blockage comment, an organisation's name), so
 * that the chronologie can be shown to anyone who may see the parcours.
 */
import { compareDates, type IsoDate } from '@agir/common';
import type {
  CategorieLogement,
  DemandeLogementSocialRow,
  DemarcheDroitRow,
  IncidentLogementRow,
  MesureLogementRow,
  PropositionLogementRow,
  SituationLogementRow,
} from '../entities';
import type { TypeDemarcheDroit } from './demarches';
import { LIBELLE_TYPE_LOGEMENT } from './logement';

/** The domain of every event this subgraph emits. */
export const DOMAINE_DROITS_LOGEMENT = 'DROITS_LOGEMENT';

/** The event codes, in the order events of one day are listed. */
export const TYPES_EVENEMENT = [
  'LOGEMENT_ENTREE',
  'DEMANDE_LOGEMENT_SOCIAL_DEPOSEE',
  'DEMANDE_LOGEMENT_SOCIAL_RENOUVELEE',
  'PROPOSITION_LOGEMENT',
  'PROPOSITION_ACCEPTEE',
  'PROPOSITION_REFUSEE',
  'MESURE_ACCOMPAGNEMENT_LOGEMENT',
  'INCIDENT_LOGEMENT',
  'INCIDENT_LOGEMENT_RESOLU',
  'DEMARCHE_ENGAGEE',
  'DEMARCHE_BLOQUEE',
  'DEMARCHE_OBTENUE',
  'DEMARCHE_ABANDONNEE',
] as const;
export type TypeEvenement = (typeof TYPES_EVENEMENT)[number];

export interface EvenementDroitsLogement {
  date: IsoDate;
  domaine: typeof DOMAINE_DROITS_LOGEMENT;
  type: TypeEvenement;
  libelle: string;
}

/** French wording of each procedure type. */
export const LIBELLE_TYPE_DEMARCHE: Readonly<Record<TypeDemarcheDroit, string>> = {
  TITRE_SEJOUR: 'titre de séjour',
  ETAT_CIVIL_OFPRA: "état civil (OFPRA)",
  REUNIFICATION_FAMILIALE: 'réunification familiale',
  CAF_PRESTATIONS_FAMILIALES: 'prestations familiales (CAF)',
  RSA: 'RSA',
  ASSURANCE_MALADIE: 'assurance maladie',
  ACCOMPAGNEMENT_SOIN: 'accompagnement vers le soin',
  COMPTE_BANCAIRE: 'compte bancaire',
  DOMICILIATION: 'domiciliation',
  ECHANGE_PERMIS_CONDUIRE: 'échange du permis de conduire',
  MOBILITE: 'mobilité',
  AUTRE: 'autre démarche',
};

const LIBELLE_CATEGORIE: Readonly<Record<CategorieLogement, string>> = {
  SANS_ABRI_HEBERGEMENT_PRECAIRE: 'sans abri / hébergement précaire',
  DNA: 'DNA',
  HEBERGEMENT_TEMPORAIRE: 'hébergement temporaire',
  LOGEMENT_ACCOMPAGNE_ADAPTE: 'logement accompagné / adapté',
  LOGEMENT_AUTONOME: 'logement autonome',
};

const LIBELLE_MESURE: Readonly<Record<MesureLogementRow['type'], string>> = {
  AVDL: 'AVDL (accompagnement vers et dans le logement)',
  ASLL: 'ASLL (accompagnement social lié au logement)',
  FSL_ACCES: "FSL accès (aide à l'entrée dans le logement)",
  FSL_MAINTIEN: 'FSL maintien (aide au maintien dans le logement)',
  AUTRE: 'autre mesure',
};

const LIBELLE_INCIDENT: Readonly<Record<IncidentLogementRow['type'], string>> = {
  IMPAYE_LOYER: 'impayé de loyer',
  TROUBLE_VOISINAGE: 'trouble de voisinage',
  PROCEDURE_EXPULSION: "procédure d'expulsion",
  AUTRE: 'autre incident',
};

/** What a parcours holds in this domain, as the loaders return it. */
export interface DossierDroitsLogement {
  historique: readonly SituationLogementRow[];
  demarches: readonly DemarcheDroitRow[];
  demande: DemandeLogementSocialRow | null;
  propositions: readonly PropositionLogementRow[];
  mesures: readonly MesureLogementRow[];
  incidents: readonly IncidentLogementRow[];
}

/**
 * The events of one parcours, oldest first; events of the same day in the order of
 * `TYPES_EVENEMENT` (a housing entry before the procedures it allows), then in input order.
 * A procedure still A_ENGAGER has no event (nothing has happened yet); a blockage appears while
 * the procedure is BLOQUE (`bloqueeDepuis`), a blocked procedure recorded without that day does not.
 */
export function evenementsDroitsLogement(dossier: DossierDroitsLogement): EvenementDroitsLogement[] {
  const evenements: EvenementDroitsLogement[] = [];
  const ajouter = (date: IsoDate | null | undefined, type: TypeEvenement, libelle: string) => {
    if (date) evenements.push({ date, domaine: DOMAINE_DROITS_LOGEMENT, type, libelle });
  };
  const a = (commune: string | null) => (commune ? ` à ${commune}` : '');

  for (const s of dossier.historique) {
    ajouter(s.dateDebut, 'LOGEMENT_ENTREE', `Entrée : ${LIBELLE_TYPE_LOGEMENT[s.type]}${a(s.communeNom)} (${LIBELLE_CATEGORIE[s.categorie]})`);
  }
  if (dossier.demande) {
    ajouter(dossier.demande.dateDepot, 'DEMANDE_LOGEMENT_SOCIAL_DEPOSEE', 'Demande de logement social déposée');
    for (const date of dossier.demande.renouvellements) ajouter(date, 'DEMANDE_LOGEMENT_SOCIAL_RENOUVELEE', 'Demande de logement social renouvelée');
  }
  for (const p of dossier.propositions) {
    const logement = `${p.typologie.replace('_ET_PLUS', ' ou plus')}${a(p.communeNom)}`;
    ajouter(p.date, 'PROPOSITION_LOGEMENT', `Proposition de logement : ${logement}`);
    if (p.reponse === 'ACCEPTEE') ajouter(p.dateReponse, 'PROPOSITION_ACCEPTEE', `Proposition de logement acceptée : ${logement}`);
    if (p.reponse === 'REFUSEE') ajouter(p.dateReponse, 'PROPOSITION_REFUSEE', `Proposition de logement refusée : ${logement}`);
  }
  for (const m of dossier.mesures) ajouter(m.dateDebut, 'MESURE_ACCOMPAGNEMENT_LOGEMENT', `Mesure d'accompagnement : ${LIBELLE_MESURE[m.type]}`);
  for (const i of dossier.incidents) {
    ajouter(i.date, 'INCIDENT_LOGEMENT', `Incident dans le logement : ${LIBELLE_INCIDENT[i.type]}`);
    ajouter(i.dateResolution, 'INCIDENT_LOGEMENT_RESOLU', `Incident résolu : ${LIBELLE_INCIDENT[i.type]}`);
  }
  for (const d of dossier.demarches) {
    const libelle = LIBELLE_TYPE_DEMARCHE[d.type as TypeDemarcheDroit] ?? d.type;
    ajouter(d.dateDebut, 'DEMARCHE_ENGAGEE', `Démarche engagée : ${libelle}`);
    if (d.statut === 'BLOQUE') ajouter(d.bloqueeDepuis, 'DEMARCHE_BLOQUEE', `Démarche bloquée : ${libelle}`);
    if (d.statut === 'OBTENU') ajouter(d.dateFin, 'DEMARCHE_OBTENUE', `Droit obtenu : ${libelle}`);
    if (d.statut === 'ABANDONNE') ajouter(d.dateFin, 'DEMARCHE_ABANDONNEE', `Démarche abandonnée : ${libelle}`);
  }
  const rang = (t: TypeEvenement) => TYPES_EVENEMENT.indexOf(t);
  return evenements
    .map((e, i) => ({ e, i }))
    .sort((x, y) => compareDates(x.e.date, y.e.date) || rang(x.e.type) - rang(y.e.type) || x.i - y.i)
    .map(({ e }) => e);
}
