import { EntitySchema } from 'typeorm';

export type CategorieSituationProfessionnelle =
  | 'SANS_ACTIVITE'
  | 'FORMATION_LINGUISTIQUE'
  | 'FORMATION_PROFESSIONNELLE'
  | 'ETUDES'
  | 'EMPLOI_COURT'
  | 'EMPLOI_DURABLE'
  | 'ALTERNANCE'
  | 'INSERTION_ACTIVITE_ECONOMIQUE'
  | 'SERVICE_CIVIQUE';

export type NiveauCecrl = 'NON_LECTEUR_NON_SCRIPTEUR' | 'A1' | 'A2' | 'B1' | 'B2' | 'C1' | 'C2';

/** The domain's own record that it follows a parcours (no identity: only the parcours id). */
export interface DossierRow {
  parcoursId: string;
  departement: string;
  ouvertLe: string;
}

export interface SituationProfessionnelleRow {
  id: string;
  parcoursId: string;
  categorie: CategorieSituationProfessionnelle;
  dateDebut: string;
  dateFin: string | null;
}

export interface EvaluationLangueRow {
  id: string;
  parcoursId: string;
  niveauCecrl: NiveauCecrl;
  dateEvaluation: string;
  heuresParcoursCir: number | null;
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

export const SituationProfessionnelle = new EntitySchema<SituationProfessionnelleRow>({
  name: 'SituationProfessionnelle',
  tableName: 'situation_professionnelle',
  columns: {
    id: { type: 'uuid', primary: true, generated: 'uuid' },
    parcoursId: { type: 'uuid', name: 'parcours_id' },
    categorie: { type: 'text' },
    dateDebut: { type: 'date', name: 'date_debut' },
    dateFin: { type: 'date', name: 'date_fin', nullable: true },
  },
});

export const EvaluationLangue = new EntitySchema<EvaluationLangueRow>({
  name: 'EvaluationLangue',
  tableName: 'evaluation_langue',
  columns: {
    id: { type: 'uuid', primary: true, generated: 'uuid' },
    parcoursId: { type: 'uuid', name: 'parcours_id' },
    niveauCecrl: { type: 'text', name: 'niveau_cecrl' },
    dateEvaluation: { type: 'date', name: 'date_evaluation' },
    heuresParcoursCir: { type: 'int', name: 'heures_parcours_cir', nullable: true },
  },
});

export type NiveauFormation = 'NON_SCOLARISE' | 'PRIMAIRE' | 'SECONDAIRE_SANS_DIPLOME' | 'SECONDAIRE_DIPLOME' | 'SUPERIEUR_BAC_2' | 'SUPERIEUR_BAC_3' | 'SUPERIEUR_BAC_5_ET_PLUS';
export type ReconnaissanceDiplome = 'NON_APPLICABLE' | 'NON_DEMANDEE' | 'EN_COURS' | 'RECONNU' | 'REFUSE';
export type TypeFrein = 'LANGUE' | 'MOBILITE' | 'GARDE_ENFANTS' | 'SANTE' | 'LOGEMENT' | 'NUMERIQUE' | 'RECONNAISSANCE_QUALIFICATIONS' | 'AUTRE';
export type TypeCertificationLangue = 'DELF' | 'DALF' | 'TCF' | 'TEF' | 'DCL' | 'AUTRE';
export type EtatProjet = 'A_CONSTRUIRE' | 'EN_VALIDATION' | 'VALIDE' | 'A_RETRAVAILLER';
export type TypeEtapeProjet = 'PMSMP' | 'IMMERSION' | 'ENQUETE_METIER' | 'VISITE_ENTREPRISE' | 'TESTS_ENTREE_FORMATION' | 'AUTRE';
export type TypeAccompagnementExterne = 'MISSION_LOCALE' | 'PLIE' | 'REFERENT_RSA' | 'SIAE' | 'CAP_EMPLOI' | 'AUTRE';
export type CanalCandidature = 'EMPLOIS_DE_L_INCLUSION' | 'FRANCE_TRAVAIL' | 'CANDIDATURE_SPONTANEE' | 'RESEAU' | 'AGENCE_INTERIM' | 'AUTRE';
export type ResultatCandidature = 'EN_ATTENTE' | 'ENTRETIEN' | 'ACCEPTEE' | 'REFUSEE' | 'ABANDONNEE';
export type DispositifLinguistique = 'CIR' | 'FLE' | 'FRANCAIS_VISEE_PROFESSIONNELLE' | 'OEPRE' | 'AUTRE';
export type ResultatFormation = 'EN_COURS' | 'TERMINEE' | 'DIPLOME_OBTENU' | 'ABANDONNEE' | 'ECHEC';
export type TempsTravail = 'TEMPS_PLEIN' | 'TEMPS_PARTIEL';
export type TypeContratRow = 'CDI' | 'CDD' | 'INTERIM' | 'APPRENTISSAGE' | 'PROFESSIONNALISATION' | 'IAE_ACI' | 'IAE_EI' | 'IAE_ETTI' | 'IAE_GEIQ' | 'SERVICE_CIVIQUE' | 'AUTRE';
export type TypeFormationRow = 'LINGUISTIQUE' | 'PRE_QUALIFIANTE' | 'QUALIFIANTE' | 'CERTIFIANTE' | 'UNIVERSITAIRE';

export interface DiagnosticRow {
  parcoursId: string;
  dateDiagnostic: string;
  niveauFormation: NiveauFormation;
  souhaits: string | null;
  competences: string[];
}

export interface DiplomeRow {
  id: string;
  parcoursId: string;
  intitule: string;
  pays: string;
  annee: number | null;
  reconnaissance: ReconnaissanceDiplome;
}

export interface ExperienceRow {
  id: string;
  parcoursId: string;
  codeRome: string;
  pays: string;
  dureeMois: number | null;
}

export interface FreinRow {
  parcoursId: string;
  type: TypeFrein;
  dateIdentification: string;
  dateLevee: string | null;
}

export interface CertificationLangueRow {
  id: string;
  parcoursId: string;
  type: TypeCertificationLangue;
  niveauCecrl: NiveauCecrl;
  dateObtention: string;
}

export interface ProjetRow {
  parcoursId: string;
  etat: EtatProjet;
  codesRome: string[];
  dateMiseAJour: string;
}

export interface EtapeProjetRow {
  id: string;
  parcoursId: string;
  type: TypeEtapeProjet;
  codeRome: string | null;
  dateDebut: string;
  dateFin: string | null;
}

export interface InscriptionFranceTravailRow {
  parcoursId: string;
  dateInscription: string;
  identifiant: string | null;
}

export interface AccompagnementExterneRow {
  id: string;
  parcoursId: string;
  type: TypeAccompagnementExterne;
  structure: string;
  dateDebut: string;
  dateFin: string | null;
}

export interface CandidatureRow {
  id: string;
  parcoursId: string;
  employeur: string;
  codeRome: string;
  dateCandidature: string;
  canal: CanalCandidature;
  resultat: ResultatCandidature;
}

/** A training; `categorie` and `stabilisant` are what the rules module computed when it was written. */
export interface FormationRow {
  id: string;
  parcoursId: string;
  type: TypeFormationRow;
  dispositifLinguistique: DispositifLinguistique | null;
  intitule: string;
  organisme: string;
  codeRome: string | null;
  diplomante: boolean;
  dateDebut: string;
  dateFin: string | null;
  heuresPrevues: number | null;
  heuresRealisees: number | null;
  resultat: ResultatFormation;
  categorie: CategorieSituationProfessionnelle;
  stabilisant: boolean;
}

/** A contract; `categorie` and `stabilisant` are what the rules module computed when it was written. */
export interface ContratTravailRow {
  id: string;
  parcoursId: string;
  type: TypeContratRow;
  employeur: string;
  codeRome: string;
  dateDebut: string;
  dateFin: string | null;
  termeImprecis: boolean;
  tempsTravail: TempsTravail;
  heuresHebdomadaires: number | null;
  categorie: CategorieSituationProfessionnelle;
  stabilisant: boolean;
}

const uuidPk = { type: 'uuid', primary: true, generated: 'uuid' } as const;
const parcoursCol = { type: 'uuid', name: 'parcours_id' } as const;
// pg returns numeric as text: read it back as a number.
const numeric = { to: (v: number | null) => v, from: (v: string | null) => (v === null ? null : Number(v)) };

export const Diagnostic = new EntitySchema<DiagnosticRow>({
  name: 'Diagnostic',
  tableName: 'diagnostic_socio_professionnel',
  columns: {
    parcoursId: { type: 'uuid', primary: true, name: 'parcours_id' },
    dateDiagnostic: { type: 'date', name: 'date_diagnostic' },
    niveauFormation: { type: 'text', name: 'niveau_formation' },
    souhaits: { type: 'text', nullable: true },
    competences: { type: 'text', array: true },
  },
});

export const Diplome = new EntitySchema<DiplomeRow>({
  name: 'Diplome',
  tableName: 'diplome',
  columns: {
    id: uuidPk,
    parcoursId: parcoursCol,
    intitule: { type: 'text' },
    pays: { type: 'char', length: 2 },
    annee: { type: 'int', nullable: true },
    reconnaissance: { type: 'text' },
  },
});

export const Experience = new EntitySchema<ExperienceRow>({
  name: 'Experience',
  tableName: 'experience_professionnelle',
  columns: {
    id: uuidPk,
    parcoursId: parcoursCol,
    codeRome: { type: 'text', name: 'code_rome' },
    pays: { type: 'char', length: 2 },
    dureeMois: { type: 'int', name: 'duree_mois', nullable: true },
  },
});

export const Frein = new EntitySchema<FreinRow>({
  name: 'Frein',
  tableName: 'frein_emploi',
  columns: {
    parcoursId: { type: 'uuid', primary: true, name: 'parcours_id' },
    type: { type: 'text', primary: true },
    dateIdentification: { type: 'date', name: 'date_identification' },
    dateLevee: { type: 'date', name: 'date_levee', nullable: true },
  },
});

export const CertificationLangue = new EntitySchema<CertificationLangueRow>({
  name: 'CertificationLangue',
  tableName: 'certification_langue',
  columns: {
    id: uuidPk,
    parcoursId: parcoursCol,
    type: { type: 'text' },
    niveauCecrl: { type: 'text', name: 'niveau_cecrl' },
    dateObtention: { type: 'date', name: 'date_obtention' },
  },
});

export const Projet = new EntitySchema<ProjetRow>({
  name: 'Projet',
  tableName: 'projet_professionnel',
  columns: {
    parcoursId: { type: 'uuid', primary: true, name: 'parcours_id' },
    etat: { type: 'text' },
    codesRome: { type: 'text', array: true, name: 'codes_rome' },
    dateMiseAJour: { type: 'date', name: 'date_mise_a_jour' },
  },
});

export const EtapeProjet = new EntitySchema<EtapeProjetRow>({
  name: 'EtapeProjet',
  tableName: 'etape_projet',
  columns: {
    id: uuidPk,
    parcoursId: parcoursCol,
    type: { type: 'text' },
    codeRome: { type: 'text', name: 'code_rome', nullable: true },
    dateDebut: { type: 'date', name: 'date_debut' },
    dateFin: { type: 'date', name: 'date_fin', nullable: true },
  },
});

export const InscriptionFranceTravail = new EntitySchema<InscriptionFranceTravailRow>({
  name: 'InscriptionFranceTravail',
  tableName: 'inscription_france_travail',
  columns: {
    parcoursId: { type: 'uuid', primary: true, name: 'parcours_id' },
    dateInscription: { type: 'date', name: 'date_inscription' },
    identifiant: { type: 'text', nullable: true },
  },
});

export const AccompagnementExterne = new EntitySchema<AccompagnementExterneRow>({
  name: 'AccompagnementExterne',
  tableName: 'accompagnement_externe',
  columns: {
    id: uuidPk,
    parcoursId: parcoursCol,
    type: { type: 'text' },
    structure: { type: 'text' },
    dateDebut: { type: 'date', name: 'date_debut' },
    dateFin: { type: 'date', name: 'date_fin', nullable: true },
  },
});

export const Candidature = new EntitySchema<CandidatureRow>({
  name: 'Candidature',
  tableName: 'candidature',
  columns: {
    id: uuidPk,
    parcoursId: parcoursCol,
    employeur: { type: 'text' },
    codeRome: { type: 'text', name: 'code_rome' },
    dateCandidature: { type: 'date', name: 'date_candidature' },
    canal: { type: 'text' },
    resultat: { type: 'text' },
  },
});

export const Formation = new EntitySchema<FormationRow>({
  name: 'Formation',
  tableName: 'formation',
  columns: {
    id: uuidPk,
    parcoursId: parcoursCol,
    type: { type: 'text' },
    dispositifLinguistique: { type: 'text', name: 'dispositif_linguistique', nullable: true },
    intitule: { type: 'text' },
    organisme: { type: 'text' },
    codeRome: { type: 'text', name: 'code_rome', nullable: true },
    diplomante: { type: 'boolean' },
    dateDebut: { type: 'date', name: 'date_debut' },
    dateFin: { type: 'date', name: 'date_fin', nullable: true },
    heuresPrevues: { type: 'int', name: 'heures_prevues', nullable: true },
    heuresRealisees: { type: 'numeric', name: 'heures_realisees', nullable: true, transformer: numeric },
    resultat: { type: 'text' },
    categorie: { type: 'text' },
    stabilisant: { type: 'boolean' },
  },
});

export const ContratTravail = new EntitySchema<ContratTravailRow>({
  name: 'ContratTravail',
  tableName: 'contrat_travail',
  columns: {
    id: uuidPk,
    parcoursId: parcoursCol,
    type: { type: 'text' },
    employeur: { type: 'text' },
    codeRome: { type: 'text', name: 'code_rome' },
    dateDebut: { type: 'date', name: 'date_debut' },
    dateFin: { type: 'date', name: 'date_fin', nullable: true },
    termeImprecis: { type: 'boolean', name: 'terme_imprecis' },
    tempsTravail: { type: 'text', name: 'temps_travail' },
    heuresHebdomadaires: { type: 'numeric', name: 'heures_hebdomadaires', nullable: true, transformer: numeric },
    categorie: { type: 'text' },
    stabilisant: { type: 'boolean' },
  },
});

export const entities = [
  Dossier,
  SituationProfessionnelle,
  EvaluationLangue,
  Diagnostic,
  Diplome,
  Experience,
  Frein,
  CertificationLangue,
  Projet,
  EtapeProjet,
  InscriptionFranceTravail,
  AccompagnementExterne,
  Candidature,
  Formation,
  ContratTravail,
];
