import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The review of a break-the-glass grant: who opened it from which structure, and who reviewed it,
 * when, with which conclusion. A review is all or nothing and is never made by the grantee.
 */
export class RevueAccesExceptionnel1700000030000 implements MigrationInterface {
  name = 'RevueAccesExceptionnel1700000030000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE acces_exceptionnel
        ADD COLUMN structure_id uuid,
        ADD COLUMN revue_par text,
        ADD COLUMN revue_par_nom text,
        ADD COLUMN revue_le timestamptz,
        ADD COLUMN conclusion text CHECK (conclusion IN ('JUSTIFIE', 'NON_JUSTIFIE')),
        ADD COLUMN commentaire text,
        ADD CONSTRAINT acces_exceptionnel_revue_complete CHECK ((revue_par IS NULL) = (revue_le IS NULL) AND (revue_le IS NULL) = (conclusion IS NULL)),
        ADD CONSTRAINT acces_exceptionnel_revue_par_autre CHECK (revue_par IS DISTINCT FROM user_id)`);
    // The work list: the grants still to review.
    await q.query('CREATE INDEX acces_exceptionnel_a_reviser_idx ON acces_exceptionnel (ouvert_le) WHERE revue_le IS NULL');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX acces_exceptionnel_a_reviser_idx');
    await q.query(`
      ALTER TABLE acces_exceptionnel DROP CONSTRAINT acces_exceptionnel_revue_par_autre, DROP CONSTRAINT acces_exceptionnel_revue_complete,
        DROP COLUMN commentaire, DROP COLUMN conclusion, DROP COLUMN revue_le, DROP COLUMN revue_par_nom, DROP COLUMN revue_par, DROP COLUMN structure_id`);
  }
}
