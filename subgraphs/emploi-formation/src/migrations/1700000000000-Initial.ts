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
      CREATE TABLE situation_professionnelle (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        parcours_id uuid NOT NULL REFERENCES dossier(parcours_id),
        categorie text NOT NULL CHECK (categorie IN ('SANS_ACTIVITE','FORMATION_LINGUISTIQUE','FORMATION_PROFESSIONNELLE','ETUDES',
          'EMPLOI_COURT','EMPLOI_DURABLE','ALTERNANCE','INSERTION_ACTIVITE_ECONOMIQUE','SERVICE_CIVIQUE')),
        date_debut date NOT NULL,
        date_fin date CHECK (date_fin IS NULL OR date_fin >= date_debut)
      )`);
    await q.query('CREATE INDEX situation_professionnelle_parcours_idx ON situation_professionnelle (parcours_id, date_debut DESC)');
    await q.query(`
      CREATE TABLE evaluation_langue (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        parcours_id uuid NOT NULL REFERENCES dossier(parcours_id),
        niveau_cecrl text NOT NULL CHECK (niveau_cecrl IN ('NON_LECTEUR_NON_SCRIPTEUR','A1','A2','B1','B2','C1','C2')),
        date_evaluation date NOT NULL,
        heures_parcours_cir int CHECK (heures_parcours_cir IN (100, 200, 400, 600))
      )`);
    await q.query('CREATE INDEX evaluation_langue_parcours_idx ON evaluation_langue (parcours_id, date_evaluation DESC)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE evaluation_langue');
    await q.query('DROP TABLE situation_professionnelle');
    await q.query('DROP TABLE dossier');
  }
}
