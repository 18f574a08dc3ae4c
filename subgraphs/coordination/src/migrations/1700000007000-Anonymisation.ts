import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Marks the identities the retention job has anonymised (and when). */
export class Anonymisation1700000007000 implements MigrationInterface {
  name = 'Anonymisation1700000007000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE beneficiaire ADD COLUMN anonymise_le timestamptz');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE beneficiaire DROP COLUMN anonymise_le');
  }
}
