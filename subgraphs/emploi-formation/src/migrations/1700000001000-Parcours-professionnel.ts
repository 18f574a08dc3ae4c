import type { MigrationInterface, QueryRunner } from 'typeorm';

const inList = (values: readonly string[]) => values.map((v) => `'${v}'`).join(',');

// The enumerations as they stand when this migration lands (a later change adds its own migration).
const CONTRATS = ['CDI', 'CDD', 'INTERIM', 'APPRENTISSAGE', 'PROFESSIONNALISATION', 'IAE_ACI', 'IAE_EI', 'IAE_ETTI', 'IAE_GEIQ', 'SERVICE_CIVIQUE', 'AUTRE'];
const FORMATIONS = ['LINGUISTIQUE', 'PRE_QUALIFIANTE', 'QUALIFIANTE', 'CERTIFIANTE', 'UNIVERSITAIRE'];
const CATEGORIES = ['SANS_ACTIVITE', 'FORMATION_LINGUISTIQUE', 'FORMATION_PROFESSIONNELLE', 'ETUDES', 'EMPLOI_COURT', 'EMPLOI_DURABLE', 'ALTERNANCE', 'INSERTION_ACTIVITE_ECONOMIQUE', 'SERVICE_CIVIQUE'];
const NIVEAUX = ['NON_LECTEUR_NON_SCRIPTEUR', 'A1', 'A2', 'B1', 'B2', 'C1', 'C2'];

/**
 * The whole professional parcours of issue #5: socio-professional diagnosis (diplomas, past jobs),
 * barriers to employment, language certifications, professional project and its steps, France
 * Travail registration, other actors, applications, trainings and contracts. Every table hangs off
 * `dossier` (no identity here, only the parcours id). Contracts and trainings carry the category
 * and the "stabilising" flag the rules module computed when they were written, so that the
 * indicators can count in SQL without restating the rules.
 */
export class ParcoursProfessionnel1700000001000 implements MigrationInterface {
  name = 'ParcoursProfessionnel1700000001000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE diagnostic_socio_professionnel (
        parcours_id uuid PRIMARY KEY REFERENCES dossier(parcours_id),
        date_diagnostic date NOT NULL,
        niveau_formation text NOT NULL CHECK (niveau_formation IN ('NON_SCOLARISE','PRIMAIRE','SECONDAIRE_SANS_DIPLOME','SECONDAIRE_DIPLOME','SUPERIEUR_BAC_2','SUPERIEUR_BAC_3','SUPERIEUR_BAC_5_ET_PLUS')),
        souhaits text,
        competences text[] NOT NULL DEFAULT '{}'
      )`);
    await q.query(`
      CREATE TABLE diplome (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        parcours_id uuid NOT NULL REFERENCES diagnostic_socio_professionnel(parcours_id),
        intitule text NOT NULL CHECK (intitule <> ''),
        pays char(2) NOT NULL,
        annee int,
        reconnaissance text NOT NULL CHECK (reconnaissance IN ('NON_APPLICABLE','NON_DEMANDEE','EN_COURS','RECONNU','REFUSE'))
      )`);
    await q.query('CREATE INDEX diplome_parcours_idx ON diplome (parcours_id)');
    await q.query(`
      CREATE TABLE experience_professionnelle (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        parcours_id uuid NOT NULL REFERENCES diagnostic_socio_professionnel(parcours_id),
        code_rome text NOT NULL CHECK (code_rome ~ '^[A-Z][0-9]{4}$'),
        pays char(2) NOT NULL,
        duree_mois int CHECK (duree_mois IS NULL OR duree_mois > 0)
      )`);
    await q.query('CREATE INDEX experience_parcours_idx ON experience_professionnelle (parcours_id)');
    await q.query(`
      CREATE TABLE frein_emploi (
        parcours_id uuid NOT NULL REFERENCES dossier(parcours_id),
        type text NOT NULL CHECK (type IN ('LANGUE','MOBILITE','GARDE_ENFANTS','SANTE','LOGEMENT','NUMERIQUE','RECONNAISSANCE_QUALIFICATIONS','AUTRE')),
        date_identification date NOT NULL,
        date_levee date CHECK (date_levee IS NULL OR date_levee >= date_identification),
        PRIMARY KEY (parcours_id, type)
      )`);
    await q.query(`
      CREATE TABLE certification_langue (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        parcours_id uuid NOT NULL REFERENCES dossier(parcours_id),
        type text NOT NULL CHECK (type IN ('DELF','DALF','TCF','TEF','DCL','AUTRE')),
        niveau_cecrl text NOT NULL CHECK (niveau_cecrl IN (${inList(NIVEAUX)})),
        date_obtention date NOT NULL
      )`);
    await q.query('CREATE INDEX certification_langue_parcours_idx ON certification_langue (parcours_id, date_obtention)');
    await q.query(`
      CREATE TABLE projet_professionnel (
        parcours_id uuid PRIMARY KEY REFERENCES dossier(parcours_id),
        etat text NOT NULL CHECK (etat IN ('A_CONSTRUIRE','EN_VALIDATION','VALIDE','A_RETRAVAILLER')),
        codes_rome text[] NOT NULL DEFAULT '{}',
        date_mise_a_jour date NOT NULL
      )`);
    await q.query(`
      CREATE TABLE etape_projet (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        parcours_id uuid NOT NULL REFERENCES projet_professionnel(parcours_id),
        type text NOT NULL CHECK (type IN ('PMSMP','IMMERSION','ENQUETE_METIER','VISITE_ENTREPRISE','TESTS_ENTREE_FORMATION','AUTRE')),
        code_rome text CHECK (code_rome ~ '^[A-Z][0-9]{4}$'),
        date_debut date NOT NULL,
        date_fin date CHECK (date_fin IS NULL OR date_fin >= date_debut)
      )`);
    await q.query('CREATE INDEX etape_projet_parcours_idx ON etape_projet (parcours_id, date_debut)');
    await q.query(`
      CREATE TABLE inscription_france_travail (
        parcours_id uuid PRIMARY KEY REFERENCES dossier(parcours_id),
        date_inscription date NOT NULL,
        identifiant text CHECK (identifiant ~ '^[0-9A-Z]{7,11}$')
      )`);
    await q.query(`
      CREATE TABLE accompagnement_externe (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        parcours_id uuid NOT NULL REFERENCES dossier(parcours_id),
        type text NOT NULL CHECK (type IN ('MISSION_LOCALE','PLIE','REFERENT_RSA','SIAE','CAP_EMPLOI','AUTRE')),
        structure text NOT NULL CHECK (structure <> ''),
        date_debut date NOT NULL,
        date_fin date CHECK (date_fin IS NULL OR date_fin >= date_debut)
      )`);
    await q.query('CREATE INDEX accompagnement_externe_parcours_idx ON accompagnement_externe (parcours_id, date_debut)');
    await q.query(`
      CREATE TABLE candidature (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        parcours_id uuid NOT NULL REFERENCES dossier(parcours_id),
        employeur text NOT NULL CHECK (employeur <> ''),
        code_rome text NOT NULL CHECK (code_rome ~ '^[A-Z][0-9]{4}$'),
        date_candidature date NOT NULL,
        canal text NOT NULL CHECK (canal IN ('EMPLOIS_DE_L_INCLUSION','FRANCE_TRAVAIL','CANDIDATURE_SPONTANEE','RESEAU','AGENCE_INTERIM','AUTRE')),
        resultat text NOT NULL CHECK (resultat IN ('EN_ATTENTE','ENTRETIEN','ACCEPTEE','REFUSEE','ABANDONNEE'))
      )`);
    await q.query('CREATE INDEX candidature_parcours_idx ON candidature (parcours_id, date_candidature)');
    await q.query(`
      CREATE TABLE formation (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        parcours_id uuid NOT NULL REFERENCES dossier(parcours_id),
        type text NOT NULL CHECK (type IN (${inList(FORMATIONS)})),
        dispositif_linguistique text CHECK (dispositif_linguistique IN ('CIR','FLE','FRANCAIS_VISEE_PROFESSIONNELLE','OEPRE','AUTRE')),
        intitule text NOT NULL CHECK (intitule <> ''),
        organisme text NOT NULL CHECK (organisme <> ''),
        code_rome text CHECK (code_rome ~ '^[A-Z][0-9]{4}$'),
        diplomante boolean NOT NULL,
        date_debut date NOT NULL,
        date_fin date CHECK (date_fin IS NULL OR date_fin >= date_debut),
        heures_prevues int CHECK (heures_prevues IS NULL OR heures_prevues > 0),
        heures_realisees numeric(7,1) CHECK (heures_realisees IS NULL OR heures_realisees >= 0),
        resultat text NOT NULL CHECK (resultat IN ('EN_COURS','TERMINEE','DIPLOME_OBTENU','ABANDONNEE','ECHEC')),
        categorie text NOT NULL CHECK (categorie IN (${inList(CATEGORIES)})),
        stabilisant boolean NOT NULL,
        CHECK ((dispositif_linguistique IS NULL) = (type <> 'LINGUISTIQUE'))
      )`);
    await q.query('CREATE INDEX formation_parcours_idx ON formation (parcours_id, date_debut)');
    await q.query(`
      CREATE TABLE contrat_travail (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        parcours_id uuid NOT NULL REFERENCES dossier(parcours_id),
        type text NOT NULL CHECK (type IN (${inList(CONTRATS)})),
        employeur text NOT NULL CHECK (employeur <> ''),
        code_rome text NOT NULL CHECK (code_rome ~ '^[A-Z][0-9]{4}$'),
        date_debut date NOT NULL,
        date_fin date CHECK (date_fin IS NULL OR date_fin >= date_debut),
        terme_imprecis boolean NOT NULL DEFAULT false,
        temps_travail text NOT NULL CHECK (temps_travail IN ('TEMPS_PLEIN','TEMPS_PARTIEL')),
        heures_hebdomadaires numeric(4,1) CHECK (heures_hebdomadaires IS NULL OR heures_hebdomadaires > 0),
        categorie text NOT NULL CHECK (categorie IN (${inList(CATEGORIES)})),
        stabilisant boolean NOT NULL
      )`);
    await q.query('CREATE INDEX contrat_travail_parcours_idx ON contrat_travail (parcours_id, date_debut)');
    await q.query('CREATE INDEX dossier_departement_idx ON dossier (departement, ouvert_le)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX dossier_departement_idx');
    for (const table of ['contrat_travail', 'formation', 'candidature', 'accompagnement_externe', 'inscription_france_travail', 'etape_projet', 'projet_professionnel', 'certification_langue', 'frein_emploi', 'experience_professionnelle', 'diplome', 'diagnostic_socio_professionnel']) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
