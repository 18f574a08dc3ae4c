import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Initial1700000000000 implements MigrationInterface {
  name = 'Initial1700000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE structure (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        nom text NOT NULL UNIQUE,
        domaines text[] NOT NULL CHECK (domaines <@ ARRAY['COORDINATION','DROITS_LOGEMENT','EMPLOI_FORMATION']),
        departements text[] NOT NULL,
        membre_groupement boolean NOT NULL DEFAULT true
      )`);
    await q.query(`
      CREATE TABLE site (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        nom text NOT NULL,
        type text NOT NULL CHECK (type IN ('CENTRE','ANTENNE','EQUIPE_MOBILE')),
        departement text NOT NULL CHECK (departement ~ '^(\\d{2}|2A|2B|97\\d)$'),
        secteur text NOT NULL,
        structure_id uuid NOT NULL REFERENCES structure(id),
        adresse text,
        code_postal text,
        commune_insee text,
        commune_nom text,
        etat text NOT NULL CHECK (etat IN ('OUVERT','OPERATIONNEL','EN_COURS')),
        UNIQUE (departement, nom)
      )`);
    await q.query(`
      CREATE TABLE referent (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        nom text NOT NULL,
        prenom text NOT NULL,
        email text,
        domaine text NOT NULL CHECK (domaine IN ('DROITS_LOGEMENT','EMPLOI_FORMATION')),
        structure_id uuid NOT NULL REFERENCES structure(id)
      )`);
    await q.query(`
      CREATE TABLE beneficiaire (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        nom text NOT NULL,
        prenom text NOT NULL,
        date_naissance date NOT NULL,
        sexe text NOT NULL CHECK (sexe IN ('FEMME','HOMME')),
        pays_naissance text CHECK (pays_naissance ~ '^[A-Z]{2}$'),
        protection text CHECK (protection IN ('REFUGIE','PROTECTION_SUBSIDIAIRE')),
        date_obtention_protection date,
        rejoignant boolean NOT NULL DEFAULT false,
        commune_insee text,
        commune_nom text,
        telephone text,
        email text
      )`);
    await q.query(`
      CREATE TABLE parcours (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        beneficiaire_id uuid NOT NULL REFERENCES beneficiaire(id),
        site_id uuid NOT NULL REFERENCES site(id),
        departement text NOT NULL,
        statut text NOT NULL CHECK (statut IN ('ORIENTE','CONVOQUE','DIAGNOSTIC_REALISE','COMMISSION_REALISEE','CONTRACTUALISE',
          'SORTI','SUIVI_3_MOIS','SUIVI_6_MOIS','CLOS','REFUS_CONTRACTUALISATION','ABANDON','EXCLU','FIN_DE_DROITS')),
        canal_orientation text NOT NULL CHECK (canal_orientation IN ('OFII','FICHE_LIAISON','PREFET')),
        date_orientation date NOT NULL,
        date_signature_cir date,
        date_diagnostic date,
        date_commission date,
        date_contrat date,
        date_sortie date,
        referent_droits_logement_id uuid REFERENCES referent(id),
        referent_emploi_formation_id uuid REFERENCES referent(id),
        cree_le timestamptz NOT NULL DEFAULT now(),
        modifie_le timestamptz NOT NULL DEFAULT now()
      )`);
    // The list query pages on (date_orientation DESC, id DESC), filtered by département, site and statut.
    await q.query('CREATE INDEX parcours_liste_idx ON parcours (date_orientation DESC, id DESC)');
    await q.query('CREATE INDEX parcours_departement_idx ON parcours (departement, date_orientation DESC, id DESC)');
    await q.query('CREATE INDEX parcours_site_idx ON parcours (site_id)');
    await q.query('CREATE INDEX parcours_beneficiaire_idx ON parcours (beneficiaire_id)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE parcours');
    await q.query('DROP TABLE beneficiaire');
    await q.query('DROP TABLE referent');
    await q.query('DROP TABLE site');
    await q.query('DROP TABLE structure');
  }
}
