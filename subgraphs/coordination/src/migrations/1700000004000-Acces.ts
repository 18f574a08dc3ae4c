import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What decides who reads a parcours besides the statut and the département: the person's consent
 * to share each domain's data, the referents replaced in the binôme (they keep reading for 30
 * days), and the time-boxed "break the glass" grants of coordinators.
 */
export class Acces1700000004000 implements MigrationInterface {
  name = 'Acces1700000004000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE consentement (
        parcours_id uuid NOT NULL REFERENCES parcours(id),
        domaine text NOT NULL CHECK (domaine IN ('DROITS_LOGEMENT', 'EMPLOI_FORMATION')),
        donne_le date NOT NULL,
        retire_le date CHECK (retire_le IS NULL OR retire_le >= donne_le),
        portee text NOT NULL DEFAULT 'CONSORTIUM' CHECK (portee IN ('CONSORTIUM')),
        enregistre_par text NOT NULL,
        PRIMARY KEY (parcours_id, domaine)
      )`);
    await q.query(`
      CREATE TABLE ancien_referent (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        parcours_id uuid NOT NULL REFERENCES parcours(id),
        domaine text NOT NULL CHECK (domaine IN ('DROITS_LOGEMENT', 'EMPLOI_FORMATION')),
        referent_id uuid NOT NULL REFERENCES referent(id),
        remplace_le date NOT NULL DEFAULT (now() AT TIME ZONE 'Europe/Paris')::date
      )`);
    await q.query('CREATE INDEX ancien_referent_idx ON ancien_referent (referent_id, parcours_id)');
    // Whatever code path changes the binôme, the replaced referent is remembered.
    await q.query(`
      CREATE FUNCTION memoriser_ancien_referent() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.referent_droits_logement_id IS NOT NULL AND OLD.referent_droits_logement_id IS DISTINCT FROM NEW.referent_droits_logement_id THEN
          INSERT INTO ancien_referent (parcours_id, domaine, referent_id) VALUES (OLD.id, 'DROITS_LOGEMENT', OLD.referent_droits_logement_id);
        END IF;
        IF OLD.referent_emploi_formation_id IS NOT NULL AND OLD.referent_emploi_formation_id IS DISTINCT FROM NEW.referent_emploi_formation_id THEN
          INSERT INTO ancien_referent (parcours_id, domaine, referent_id) VALUES (OLD.id, 'EMPLOI_FORMATION', OLD.referent_emploi_formation_id);
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER memoriser_ancien_referent AFTER UPDATE OF referent_droits_logement_id, referent_emploi_formation_id ON parcours
      FOR EACH ROW EXECUTE FUNCTION memoriser_ancien_referent()`);
    await q.query(`
      CREATE TABLE acces_exceptionnel (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        parcours_id uuid NOT NULL REFERENCES parcours(id),
        user_id text NOT NULL,
        user_name text,
        motif text NOT NULL CHECK (length(motif) >= 15),
        ouvert_le timestamptz NOT NULL DEFAULT now(),
        expire_le timestamptz NOT NULL CHECK (expire_le > ouvert_le)
      )`);
    await q.query('CREATE INDEX acces_exceptionnel_idx ON acces_exceptionnel (user_id, parcours_id, expire_le)');
    await q.query("CREATE INDEX transition_parcours_orientation_idx ON transition_parcours (parcours_id) WHERE action = 'ORIENTER'");
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX transition_parcours_orientation_idx');
    await q.query('DROP TABLE acces_exceptionnel');
    await q.query('DROP TRIGGER memoriser_ancien_referent ON parcours');
    await q.query('DROP FUNCTION memoriser_ancien_referent()');
    await q.query('DROP TABLE ancien_referent');
    await q.query('DROP TABLE consentement');
  }
}
