import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The services of the local offer catalogue that the coordinating structure marks as partners of
 * the consortium in a département, with the state of their convention. Kept apart from
 * `offre_locale` (which the synchronisation rewrites): a mark survives every run, and stays when
 * the source drops the entry (the service then shows as removed, its partnership still on record).
 * Every change goes to the change journal, like the rest of this subgraph's data.
 */
export class PartenariatOffreLocale1700000010000 implements MigrationInterface {
  name = 'PartenariatOffreLocale1700000010000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE partenariat_offre_locale (
        source text NOT NULL,
        source_id text NOT NULL,
        departement text NOT NULL CHECK (departement ~ '^([0-9]{2}|2[AB]|97[0-9])$'),
        etat_convention text NOT NULL CHECK (etat_convention IN ('EN_COURS', 'SIGNEE')),
        date_signature date,
        structure_id uuid REFERENCES structure(id),
        marque_par text NOT NULL,
        marque_le timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (source, source_id, departement),
        FOREIGN KEY (source, source_id) REFERENCES offre_locale (source, source_id),
        CHECK ((etat_convention = 'SIGNEE') = (date_signature IS NOT NULL))
      )`);
    await q.query('CREATE TRIGGER journal_modification AFTER INSERT OR UPDATE OR DELETE ON partenariat_offre_locale FOR EACH ROW EXECUTE FUNCTION journal_modification()');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE partenariat_offre_locale');
  }
}
