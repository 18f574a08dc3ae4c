import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The OFII's file number on a parcours it oriented: the deduplication key of its orientations
 * (API and batch file). Null for the other channels (fiche de liaison, prefect's instruction).
 */
export class DossierOfii1700000006000 implements MigrationInterface {
  name = 'DossierOfii1700000006000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE parcours ADD COLUMN numero_dossier_ofii text CONSTRAINT parcours_numero_dossier_ofii_key UNIQUE');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE parcours DROP COLUMN numero_dossier_ofii');
  }
}
