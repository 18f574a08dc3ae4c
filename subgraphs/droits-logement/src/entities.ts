import { EntitySchema } from 'typeorm';

export type CategorieLogement =
  | 'SANS_ABRI_HEBERGEMENT_PRECAIRE'
  | 'DNA'
  | 'HEBERGEMENT_TEMPORAIRE'
  | 'LOGEMENT_ACCOMPAGNE_ADAPTE'
  | 'LOGEMENT_AUTONOME';

/** The precise kind of housing, each in exactly one category. */
export const CATEGORIE_PAR_TYPE = {
  SANS_ABRI: 'SANS_ABRI_HEBERGEMENT_PRECAIRE',
  SQUAT: 'SANS_ABRI_HEBERGEMENT_PRECAIRE',
  HEBERGEMENT_TIERS: 'SANS_ABRI_HEBERGEMENT_PRECAIRE',
  CADA: 'DNA',
  HUDA: 'DNA',
  CPH: 'DNA',
  AUTRE_DNA: 'DNA',
  HOTEL: 'HEBERGEMENT_TEMPORAIRE',
  CHRS: 'HEBERGEMENT_TEMPORAIRE',
  HEBERGEMENT_URGENCE: 'HEBERGEMENT_TEMPORAIRE',
  RESIDENCE_SOCIALE: 'LOGEMENT_ACCOMPAGNE_ADAPTE',
  FJT: 'LOGEMENT_ACCOMPAGNE_ADAPTE',
  IML: 'LOGEMENT_ACCOMPAGNE_ADAPTE',
  PENSION_DE_FAMILLE: 'LOGEMENT_ACCOMPAGNE_ADAPTE',
  PARC_SOCIAL: 'LOGEMENT_AUTONOME',
  PARC_PRIVE: 'LOGEMENT_AUTONOME',
} as const satisfies Record<string, CategorieLogement>;
export type TypeLogement = keyof typeof CATEGORIE_PAR_TYPE;

/** The domain's own record that it follows a parcours (no identity: only the parcours id). */
export interface DossierRow {
  parcoursId: string;
  departement: string;
  ouvertLe: string;
}

export interface SituationLogementRow {
  id: string;
  parcoursId: string;
  categorie: CategorieLogement;
  type: TypeLogement;
  communeInsee: string | null;
  communeNom: string | null;
  dateDebut: string;
  dateFin: string | null;
}

export interface DemarcheDroitRow {
  id: string;
  parcoursId: string;
  type: string;
  statut: 'A_ENGAGER' | 'EN_COURS' | 'OBTENU' | 'BLOQUE' | 'ABANDONNE';
  organisme: string | null;
  dateDebut: string | null;
  dateFin: string | null;
  // Optional so that rows built before issue #4 (demo data, fixtures) still type-check; the store
  // always reads them (null when unset).
  /** While BLOQUE: why (null for a procedure blocked before motifs were recorded). */
  motifBlocage?: MotifBlocage | null;
  commentaireBlocage?: string | null;
  /** While BLOQUE: the day it was blocked. */
  bloqueeDepuis?: string | null;
  /** The day of its creation or last status change (null for procedures recorded before). */
  dernierChangement?: string | null;
}

export type MotifBlocage = 'BLOCAGE_ADMINISTRATIF' | 'PIECE_MANQUANTE' | 'DELAI_ORGANISME' | 'AUTRE';
export type TypologieLogement = 'T1' | 'T2' | 'T3' | 'T4' | 'T5_ET_PLUS';

/** The social-housing application of a parcours (one at most), by its numéro unique. */
export interface DemandeLogementSocialRow {
  id: string;
  parcoursId: string;
  numeroUnique: string;
  dateDepot: string;
  /** INSEE codes of the communes wished, in the order given. */
  communesSouhaitees: string[];
  typologiesSouhaitees: TypologieLogement[];
  /** Renewal days, oldest first. */
  renouvellements: string[];
}

/** A housing offer made to the person, and their answer. */
export interface PropositionLogementRow {
  id: string;
  parcoursId: string;
  date: string;
  bailleur: string;
  typologie: TypologieLogement;
  communeInsee: string;
  communeNom: string;
  reponse: 'EN_ATTENTE' | 'ACCEPTEE' | 'REFUSEE';
  dateReponse: string | null;
  motifRefus: string | null;
}

/** A support measure towards or in housing (AVDL, ASLL, FSL ...). */
export interface MesureLogementRow {
  id: string;
  parcoursId: string;
  type: 'AVDL' | 'ASLL' | 'FSL_ACCES' | 'FSL_MAINTIEN' | 'AUTRE';
  dateDebut: string;
  dateFin: string | null;
}

/** An incident in housing (rent arrears ...) and the day it was resolved. */
export interface IncidentLogementRow {
  id: string;
  parcoursId: string;
  type: 'IMPAYE_LOYER' | 'TROUBLE_VOISINAGE' | 'PROCEDURE_EXPULSION' | 'AUTRE';
  date: string;
  dateResolution: string | null;
}

export const Dossier = new EntitySchema<DossierRow>({
  name: 'Dossier',
  tableName: 'dossier',
  columns: {
    parcoursId: { type: 'uuid', primary: true, name: 'parcours_id' },
    departement: { type: 'text' },
    ouvertLe: { type: 'date', name: 'ouvert_le' },
  },
});

export const SituationLogement = new EntitySchema<SituationLogementRow>({
  name: 'SituationLogement',
  tableName: 'situation_logement',
  columns: {
    id: { type: 'uuid', primary: true, generated: 'uuid' },
    parcoursId: { type: 'uuid', name: 'parcours_id' },
    categorie: { type: 'text' },
    type: { type: 'text' },
    communeInsee: { type: 'text', name: 'commune_insee', nullable: true },
    communeNom: { type: 'text', name: 'commune_nom', nullable: true },
    dateDebut: { type: 'date', name: 'date_debut' },
    dateFin: { type: 'date', name: 'date_fin', nullable: true },
  },
});

export const DemarcheDroit = new EntitySchema<DemarcheDroitRow>({
  name: 'DemarcheDroit',
  tableName: 'demarche_droit',
  columns: {
    id: { type: 'uuid', primary: true, generated: 'uuid' },
    parcoursId: { type: 'uuid', name: 'parcours_id' },
    type: { type: 'text' },
    statut: { type: 'text' },
    organisme: { type: 'text', nullable: true },
    dateDebut: { type: 'date', name: 'date_debut', nullable: true },
    dateFin: { type: 'date', name: 'date_fin', nullable: true },
    motifBlocage: { type: 'text', name: 'motif_blocage', nullable: true },
    commentaireBlocage: { type: 'text', name: 'commentaire_blocage', nullable: true },
    bloqueeDepuis: { type: 'date', name: 'bloquee_depuis', nullable: true },
    dernierChangement: { type: 'date', name: 'dernier_changement', nullable: true },
  },
});

export const DemandeLogementSocial = new EntitySchema<DemandeLogementSocialRow>({
  name: 'DemandeLogementSocial',
  tableName: 'demande_logement_social',
  columns: {
    id: { type: 'uuid', primary: true, generated: 'uuid' },
    parcoursId: { type: 'uuid', name: 'parcours_id' },
    numeroUnique: { type: 'text', name: 'numero_unique' },
    dateDepot: { type: 'date', name: 'date_depot' },
    communesSouhaitees: { type: 'text', array: true, name: 'communes_souhaitees' },
    typologiesSouhaitees: { type: 'text', array: true, name: 'typologies_souhaitees' },
    renouvellements: { type: 'date', array: true },
  },
});

export const PropositionLogement = new EntitySchema<PropositionLogementRow>({
  name: 'PropositionLogement',
  tableName: 'proposition_logement',
  columns: {
    id: { type: 'uuid', primary: true, generated: 'uuid' },
    parcoursId: { type: 'uuid', name: 'parcours_id' },
    date: { type: 'date' },
    bailleur: { type: 'text' },
    typologie: { type: 'text' },
    communeInsee: { type: 'text', name: 'commune_insee' },
    communeNom: { type: 'text', name: 'commune_nom' },
    reponse: { type: 'text' },
    dateReponse: { type: 'date', name: 'date_reponse', nullable: true },
    motifRefus: { type: 'text', name: 'motif_refus', nullable: true },
  },
});

export const MesureLogement = new EntitySchema<MesureLogementRow>({
  name: 'MesureLogement',
  tableName: 'mesure_logement',
  columns: {
    id: { type: 'uuid', primary: true, generated: 'uuid' },
    parcoursId: { type: 'uuid', name: 'parcours_id' },
    type: { type: 'text' },
    dateDebut: { type: 'date', name: 'date_debut' },
    dateFin: { type: 'date', name: 'date_fin', nullable: true },
  },
});

export const IncidentLogement = new EntitySchema<IncidentLogementRow>({
  name: 'IncidentLogement',
  tableName: 'incident_logement',
  columns: {
    id: { type: 'uuid', primary: true, generated: 'uuid' },
    parcoursId: { type: 'uuid', name: 'parcours_id' },
    type: { type: 'text' },
    date: { type: 'date' },
    dateResolution: { type: 'date', name: 'date_resolution', nullable: true },
  },
});

export const entities = [Dossier, SituationLogement, DemarcheDroit, DemandeLogementSocial, PropositionLogement, MesureLogement, IncidentLogement];
