import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Initial1700000000000 implements MigrationInterface {
  name = 'Initial1700000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE dossier (
        parcours_id uuid PRIMARY KEY,
        departement text NOT NULL,
        ouvert_le date NOT NULL
      )`);
    await q.query(`
      CREATE TABLE situation_logement (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        parcours_id uuid NOT NULL REFERENCES dossier(parcours_id),
        categorie text NOT NULL CHECK (categorie IN ('SANS_ABRI_HEBERGEMENT_PRECAIRE','DNA','HEBERGEMENT_TEMPORAIRE',
          'LOGEMENT_ACCOMPAGNE_ADAPTE','LOGEMENT_AUTONOME')),
        type text NOT NULL,
        commune_insee text CHECK (commune_insee ~ '^[0-9][0-9AB][0-9]{3}$'),
        commune_nom text,
        date_debut date NOT NULL,
        date_fin date CHECK (date_fin IS NULL OR date_fin >= date_debut)
      )`);
    await q.query('CREATE INDEX situation_logement_parcours_idx ON situation_logement (parcours_id, date_debut DESC)');
    await q.query(`
      CREATE TABLE demarche_droit (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        parcours_id uuid NOT NULL REFERENCES dossier(parcours_id),
        type text NOT NULL CHECK (type IN ('TITRE_SEJOUR','ETAT_CIVIL_OFPRA','REUNIFICATION_FAMILIALE','CAF_PRESTATIONS_FAMILIALES',
          'RSA','ASSURANCE_MALADIE','ACCOMPAGNEMENT_SOIN','COMPTE_BANCAIRE','DOMICILIATION','ECHANGE_PERMIS_CONDUIRE','MOBILITE','AUTRE')),
        statut text NOT NULL CHECK (statut IN ('A_ENGAGER','EN_COURS','OBTENU','BLOQUE','ABANDONNE')),
        organisme text,
        date_debut date,
        date_fin date
      )`);
    await q.query('CREATE INDEX demarche_droit_parcours_idx ON demarche_droit (parcours_id, date_debut)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE demarche_droit');
    await q.query('DROP TABLE situation_logement');
    await q.query('DROP TABLE dossier');
  }
}
