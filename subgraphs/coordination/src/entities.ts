import { EntitySchema } from 'typeorm';

export type Domaine = 'COORDINATION' | 'DROITS_LOGEMENT' | 'EMPLOI_FORMATION';
export type StatutParcours =
  | 'ORIENTE'
  | 'CONVOQUE'
  | 'DIAGNOSTIC_REALISE'
  | 'COMMISSION_REALISEE'
  | 'CONTRACTUALISE'
  | 'SORTI'
  | 'SUIVI_3_MOIS'
  | 'SUIVI_6_MOIS'
  | 'CLOS'
  | 'REFUS_CONTRACTUALISATION'
  | 'ABANDON'
  | 'EXCLU'
  | 'FIN_DE_DROITS';
export type CanalOrientation = 'OFII' | 'FICHE_LIAISON' | 'PREFET';

export interface StructureRow {
  id: string;
  nom: string;
  domaines: Domaine[];
  departements: string[];
  membreGroupement: boolean;
}

export interface SiteRow {
  id: string;
  nom: string;
  type: 'CENTRE' | 'ANTENNE' | 'EQUIPE_MOBILE';
  departement: string;
  secteur: string;
  structureId: string;
  adresse: string | null;
  codePostal: string | null;
  communeInsee: string | null;
  communeNom: string | null;
  etat: 'OUVERT' | 'OPERATIONNEL' | 'EN_COURS';
}

export interface ReferentRow {
  id: string;
  nom: string;
  prenom: string;
  email: string | null;
  domaine: Domaine;
  structureId: string;
}

export interface BeneficiaireRow {
  id: string;
  nom: string;
  prenom: string;
  dateNaissance: string;
  sexe: 'FEMME' | 'HOMME';
  paysNaissance: string | null;
  protection: 'REFUGIE' | 'PROTECTION_SUBSIDIAIRE' | null;
  dateObtentionProtection: string | null;
  rejoignant: boolean;
  communeInsee: string | null;
  communeNom: string | null;
  telephone: string | null;
  email: string | null;
  /** Optional in the type so that rows written without them (the demo generator) still type-check. */
  lienRejoignant?: LienRejoignant | null;
  bpiBeneficiaireId?: string | null;
}

export type LienRejoignant = 'CONJOINT' | 'ENFANT_MINEUR' | 'PARENT';
export type MotifExclusion = 'DEUX_REFUS_LOGEMENT' | 'VIOLENCE_MENACES' | 'NON_ADHESION' | 'COMPORTEMENT_DELICTUEUX';
export type Priorite = 'DROITS_LOGEMENT' | 'EMPLOI_FORMATION' | 'LES_DEUX';
export type Axe = 'DROITS' | 'LOGEMENT' | 'EMPLOI' | 'FORMATION';

export interface ParcoursRow {
  id: string;
  beneficiaireId: string;
  siteId: string;
  departement: string;
  statut: StatutParcours;
  canalOrientation: CanalOrientation;
  dateOrientation: string;
  dateSignatureCir: string | null;
  dateDiagnostic: string | null;
  dateCommission: string | null;
  dateContrat: string | null;
  dateSortie: string | null;
  referentDroitsLogementId: string | null;
  referentEmploiFormationId: string | null;
  creeLe: Date;
  modifieLe: Date;
  // The columns below came with the parcours steps; optional in the type (nullable in the table)
  // so that rows written without them (the demo generator, test fixtures) still type-check.
  dateFinContrat?: string | null;
  dateReintegration?: string | null;
  referenceAccordPrefet?: string | null;
  referenceInstructionPrefet?: string | null;
  accordOfii?: boolean | null;
  motifFin?: string | null;
  motifExclusion?: MotifExclusion | null;
  domicilieDepartement?: boolean | null;
  resideDepartement?: boolean | null;
  logementDurable?: boolean | null;
  emploiDurable?: boolean | null;
  volontaire?: boolean | null;
  /** The OFII's file number, the deduplication key of its orientations (null for other channels). */
  numeroDossierOfii?: string | null;
}

export interface TransitionRow {
  id: string;
  parcoursId: string;
  action: string;
  statutAvant: StatutParcours | null;
  statutApres: StatutParcours;
  dateEffet: string;
  auteurId: string;
  auteurNom: string | null;
  auteurStructure: string;
  motif: string | null;
  reference: string | null;
  enregistreLe: Date;
  sequence: string;
}

export interface ConvocationRow {
  parcoursId: string;
  siteId: string;
  dateRdv: string;
  heure: string;
  contenu: string;
  remiseLe: string;
}

export interface DiagnosticRow {
  parcoursId: string;
  dateDiagnostic: string;
  professionnel: string;
  axes: { axe: Axe; observations: string }[];
  prioriteRecommandee: Priorite;
  signeParBeneficiaire: boolean;
}

export interface CommissionRow {
  parcoursId: string;
  dateCommission: string;
  priorite: Priorite;
  bassinDeVie: string;
  partenaireIds: string[];
}

export interface ContratEngagementRow {
  parcoursId: string;
  dateSignature: string;
  dateFin: string;
  plan: { axe: Axe; objectifs: string[] }[];
}

export type TypeEvaluation = 'ENTREE' | 'MI_PARCOURS' | 'SORTIE';

export interface EvaluationRow {
  id: string;
  parcoursId: string;
  type: TypeEvaluation;
  dateEvaluation: string;
  axes: { axe: Axe; appreciation: string }[];
}

export type EcheanceSuivi = 'TROIS_MOIS' | 'SIX_MOIS';

export interface EntretienSuiviRow {
  parcoursId: string;
  echeance: EcheanceSuivi;
  dateEntretien: string;
  resultat: string;
}

export type ThemeAtelier = 'INSERTION_PROFESSIONNELLE' | 'DROITS_SOCIAUX' | 'MOBILITE' | 'NUMERIQUE' | 'LOGEMENT' | 'LANGUE_FRANCAISE' | 'AUTRE';

export interface AtelierRow {
  id: string;
  dateAtelier: string;
  siteId: string;
  departement: string;
  theme: ThemeAtelier;
  intitule: string | null;
}

export interface AtelierParticipantRow {
  atelierId: string;
  parcoursId: string;
}

export type StatutFicheLiaison = 'EN_ATTENTE' | 'VALIDEE' | 'REFUSEE';

export interface FicheLiaisonRow {
  id: string;
  departement: string;
  statut: StatutFicheLiaison;
  soumiseLe: string;
  soumisePar: string;
  prescripteurNom: string;
  prescripteurStructure: string;
  prescripteurEmail: string | null;
  prescripteurTelephone: string | null;
  beneficiaireId: string;
  dateSignatureCir: string | null;
  domicilieDepartement: boolean | null;
  resideDepartement: boolean | null;
  logementDurable: boolean | null;
  emploiDurable: boolean | null;
  volontaire: boolean | null;
  commentaire: string | null;
  dateReponse: string | null;
  motifRefus: string | null;
  parcoursId: string | null;
  creeLe: Date;
}

export interface ConventionRow {
  id: string;
  structureId: string;
  intitule: string;
  etat: 'EN_COURS' | 'SIGNEE';
  departement: string | null;
  dateSignature: string | null;
}

const uuidPk = { type: 'uuid', primary: true, generated: 'uuid' } as const;
const text = (nullable = false) => ({ type: 'text', nullable }) as const;
const date = (name: string, nullable = true) => ({ type: 'date', name, nullable }) as const;

export const Structure = new EntitySchema<StructureRow>({
  name: 'Structure',
  tableName: 'structure',
  columns: {
    id: uuidPk,
    nom: text(),
    domaines: { type: 'text', array: true },
    departements: { type: 'text', array: true },
    membreGroupement: { type: 'boolean', name: 'membre_groupement' },
  },
});

export const Site = new EntitySchema<SiteRow>({
  name: 'Site',
  tableName: 'site',
  columns: {
    id: uuidPk,
    nom: text(),
    type: text(),
    departement: text(),
    secteur: text(),
    structureId: { type: 'uuid', name: 'structure_id' },
    adresse: text(true),
    codePostal: { type: 'text', name: 'code_postal', nullable: true },
    communeInsee: { type: 'text', name: 'commune_insee', nullable: true },
    communeNom: { type: 'text', name: 'commune_nom', nullable: true },
    etat: text(),
  },
});

export const Referent = new EntitySchema<ReferentRow>({
  name: 'Referent',
  tableName: 'referent',
  columns: {
    id: uuidPk,
    nom: text(),
    prenom: text(),
    email: text(true),
    domaine: text(),
    structureId: { type: 'uuid', name: 'structure_id' },
  },
});

export const Beneficiaire = new EntitySchema<BeneficiaireRow>({
  name: 'Beneficiaire',
  tableName: 'beneficiaire',
  columns: {
    id: uuidPk,
    nom: text(),
    prenom: text(),
    dateNaissance: date('date_naissance', false),
    sexe: text(),
    paysNaissance: { type: 'text', name: 'pays_naissance', nullable: true },
    protection: text(true),
    dateObtentionProtection: date('date_obtention_protection'),
    rejoignant: { type: 'boolean' },
    communeInsee: { type: 'text', name: 'commune_insee', nullable: true },
    communeNom: { type: 'text', name: 'commune_nom', nullable: true },
    telephone: text(true),
    email: text(true),
    lienRejoignant: { type: 'text', name: 'lien_rejoignant', nullable: true },
    bpiBeneficiaireId: { type: 'uuid', name: 'bpi_beneficiaire_id', nullable: true },
  },
});

export const Parcours = new EntitySchema<ParcoursRow>({
  name: 'Parcours',
  tableName: 'parcours',
  columns: {
    id: uuidPk,
    beneficiaireId: { type: 'uuid', name: 'beneficiaire_id' },
    siteId: { type: 'uuid', name: 'site_id' },
    departement: text(),
    statut: text(),
    canalOrientation: { type: 'text', name: 'canal_orientation' },
    dateOrientation: date('date_orientation', false),
    dateSignatureCir: date('date_signature_cir'),
    dateDiagnostic: date('date_diagnostic'),
    dateCommission: date('date_commission'),
    dateContrat: date('date_contrat'),
    dateSortie: date('date_sortie'),
    referentDroitsLogementId: { type: 'uuid', name: 'referent_droits_logement_id', nullable: true },
    referentEmploiFormationId: { type: 'uuid', name: 'referent_emploi_formation_id', nullable: true },
    creeLe: { type: 'timestamptz', name: 'cree_le', createDate: true },
    modifieLe: { type: 'timestamptz', name: 'modifie_le', updateDate: true },
    dateFinContrat: date('date_fin_contrat'),
    dateReintegration: date('date_reintegration'),
    referenceAccordPrefet: { type: 'text', name: 'reference_accord_prefet', nullable: true },
    referenceInstructionPrefet: { type: 'text', name: 'reference_instruction_prefet', nullable: true },
    accordOfii: { type: 'boolean', name: 'accord_ofii', nullable: true },
    motifFin: { type: 'text', name: 'motif_fin', nullable: true },
    motifExclusion: { type: 'text', name: 'motif_exclusion', nullable: true },
    domicilieDepartement: { type: 'boolean', name: 'domicilie_departement', nullable: true },
    resideDepartement: { type: 'boolean', name: 'reside_departement', nullable: true },
    logementDurable: { type: 'boolean', name: 'logement_durable', nullable: true },
    emploiDurable: { type: 'boolean', name: 'emploi_durable', nullable: true },
    volontaire: { type: 'boolean', nullable: true },
    numeroDossierOfii: { type: 'text', name: 'numero_dossier_ofii', nullable: true },
  },
});

/** The append-only history of the parcours's transitions (a trigger refuses UPDATE and DELETE). */
export const Transition = new EntitySchema<TransitionRow>({
  name: 'Transition',
  tableName: 'transition_parcours',
  columns: {
    id: uuidPk,
    parcoursId: { type: 'uuid', name: 'parcours_id' },
    action: text(),
    statutAvant: { type: 'text', name: 'statut_avant', nullable: true },
    statutApres: { type: 'text', name: 'statut_apres' },
    dateEffet: date('date_effet', false),
    auteurId: { type: 'text', name: 'auteur_id' },
    auteurNom: { type: 'text', name: 'auteur_nom', nullable: true },
    auteurStructure: { type: 'uuid', name: 'auteur_structure' },
    motif: text(true),
    reference: text(true),
    enregistreLe: { type: 'timestamptz', name: 'enregistre_le', insert: false, update: false },
    sequence: { type: 'bigint', insert: false, update: false },
  },
});

export const Convocation = new EntitySchema<ConvocationRow>({
  name: 'Convocation',
  tableName: 'convocation',
  columns: {
    parcoursId: { type: 'uuid', name: 'parcours_id', primary: true },
    siteId: { type: 'uuid', name: 'site_id' },
    dateRdv: date('date_rdv', false),
    heure: text(),
    contenu: text(),
    remiseLe: date('remise_le', false),
  },
});

export const Diagnostic = new EntitySchema<DiagnosticRow>({
  name: 'Diagnostic',
  tableName: 'diagnostic',
  columns: {
    parcoursId: { type: 'uuid', name: 'parcours_id', primary: true },
    dateDiagnostic: date('date_diagnostic', false),
    professionnel: text(),
    axes: { type: 'jsonb' },
    prioriteRecommandee: { type: 'text', name: 'priorite_recommandee' },
    signeParBeneficiaire: { type: 'boolean', name: 'signe_par_beneficiaire' },
  },
});

export const Commission = new EntitySchema<CommissionRow>({
  name: 'Commission',
  tableName: 'commission',
  columns: {
    parcoursId: { type: 'uuid', name: 'parcours_id', primary: true },
    dateCommission: date('date_commission', false),
    priorite: text(),
    bassinDeVie: { type: 'text', name: 'bassin_de_vie' },
    partenaireIds: { type: 'uuid', name: 'partenaire_ids', array: true },
  },
});

export const ContratEngagement = new EntitySchema<ContratEngagementRow>({
  name: 'ContratEngagement',
  tableName: 'contrat_engagement',
  columns: {
    parcoursId: { type: 'uuid', name: 'parcours_id', primary: true },
    dateSignature: date('date_signature', false),
    dateFin: date('date_fin', false),
    plan: { type: 'jsonb' },
  },
});

export const Evaluation = new EntitySchema<EvaluationRow>({
  name: 'Evaluation',
  tableName: 'evaluation',
  columns: {
    id: uuidPk,
    parcoursId: { type: 'uuid', name: 'parcours_id' },
    type: text(),
    dateEvaluation: date('date_evaluation', false),
    axes: { type: 'jsonb' },
  },
});

export const EntretienSuivi = new EntitySchema<EntretienSuiviRow>({
  name: 'EntretienSuivi',
  tableName: 'entretien_suivi',
  columns: {
    parcoursId: { type: 'uuid', name: 'parcours_id', primary: true },
    echeance: { type: 'text', primary: true },
    dateEntretien: date('date_entretien', false),
    resultat: text(),
  },
});

export const Atelier = new EntitySchema<AtelierRow>({
  name: 'Atelier',
  tableName: 'atelier',
  columns: {
    id: uuidPk,
    dateAtelier: date('date_atelier', false),
    siteId: { type: 'uuid', name: 'site_id' },
    departement: text(),
    theme: text(),
    intitule: text(true),
  },
});

export const AtelierParticipant = new EntitySchema<AtelierParticipantRow>({
  name: 'AtelierParticipant',
  tableName: 'atelier_participant',
  columns: {
    atelierId: { type: 'uuid', name: 'atelier_id', primary: true },
    parcoursId: { type: 'uuid', name: 'parcours_id', primary: true },
  },
});

export const FicheLiaison = new EntitySchema<FicheLiaisonRow>({
  name: 'FicheLiaison',
  tableName: 'fiche_liaison',
  columns: {
    id: uuidPk,
    departement: text(),
    statut: text(),
    soumiseLe: date('soumise_le', false),
    soumisePar: { type: 'text', name: 'soumise_par' },
    prescripteurNom: { type: 'text', name: 'prescripteur_nom' },
    prescripteurStructure: { type: 'text', name: 'prescripteur_structure' },
    prescripteurEmail: { type: 'text', name: 'prescripteur_email', nullable: true },
    prescripteurTelephone: { type: 'text', name: 'prescripteur_telephone', nullable: true },
    beneficiaireId: { type: 'uuid', name: 'beneficiaire_id' },
    dateSignatureCir: date('date_signature_cir'),
    domicilieDepartement: { type: 'boolean', name: 'domicilie_departement', nullable: true },
    resideDepartement: { type: 'boolean', name: 'reside_departement', nullable: true },
    logementDurable: { type: 'boolean', name: 'logement_durable', nullable: true },
    emploiDurable: { type: 'boolean', name: 'emploi_durable', nullable: true },
    volontaire: { type: 'boolean', nullable: true },
    commentaire: text(true),
    dateReponse: date('date_reponse'),
    motifRefus: { type: 'text', name: 'motif_refus', nullable: true },
    parcoursId: { type: 'uuid', name: 'parcours_id', nullable: true },
    creeLe: { type: 'timestamptz', name: 'cree_le', createDate: true },
  },
});

export const Convention = new EntitySchema<ConventionRow>({
  name: 'Convention',
  tableName: 'convention',
  columns: {
    id: uuidPk,
    structureId: { type: 'uuid', name: 'structure_id' },
    intitule: text(),
    etat: text(),
    departement: text(true),
    dateSignature: date('date_signature'),
  },
});

export const entities = [
  Structure,
  Site,
  Referent,
  Beneficiaire,
  Parcours,
  Transition,
  Convocation,
  Diagnostic,
  Commission,
  ContratEngagement,
  Evaluation,
  EntretienSuivi,
  Atelier,
  AtelierParticipant,
  FicheLiaison,
  Convention,
];
