import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The rejoignants of a person, found by `bpi_beneficiaire_id`: the département profile's family
 * situation ("joined by a family member in the programme") looks them up, and so does the foreign
 * key's check when a person is deleted. Without an index each lookup read the whole table.
 */
export class IndexRejoignants1700000012000 implements MigrationInterface {
  name = 'IndexRejoignants1700000012000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE INDEX beneficiaire_bpi_idx ON beneficiaire (bpi_beneficiaire_id) WHERE bpi_beneficiaire_id IS NOT NULL');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX beneficiaire_bpi_idx');
  }
}
