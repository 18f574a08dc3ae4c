import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue #4: the blockage of a rights procedure and the day of its last change; the social-housing
 * application, the housing offers and their answers, the support measures and incidents in housing.
 *
 * Every new table hangs off `dossier`: the domain holds nothing about a parcours it does not follow.
 * Procedures recorded before this migration (and the demo's) may be BLOQUE without a motif: the
 * motif is therefore not tied to the statut by a constraint, the mutations require it.
 */
export class Logement1700000001000 implements MigrationInterface {
  name = 'Logement1700000001000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE demarche_droit
        ADD COLUMN motif_blocage text CHECK (motif_blocage IN ('BLOCAGE_ADMINISTRATIF','PIECE_MANQUANTE','DELAI_ORGANISME','AUTRE')),
        ADD COLUMN commentaire_blocage text,
        ADD COLUMN bloquee_depuis date,
        ADD COLUMN dernier_changement date`);
    await q.query(`
      CREATE TABLE demande_logement_social (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        parcours_id uuid NOT NULL UNIQUE REFERENCES dossier(parcours_id),
        numero_unique text NOT NULL,
        date_depot date NOT NULL,
        communes_souhaitees text[] NOT NULL CHECK (cardinality(communes_souhaitees) > 0),
        typologies_souhaitees text[] NOT NULL CHECK (cardinality(typologies_souhaitees) > 0),
        renouvellements date[] NOT NULL DEFAULT '{}'
      )`);
    await q.query(`
      CREATE TABLE proposition_logement (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        parcours_id uuid NOT NULL REFERENCES dossier(parcours_id),
        date date NOT NULL,
        bailleur text NOT NULL,
        typologie text NOT NULL CHECK (typologie IN ('T1','T2','T3','T4','T5_ET_PLUS')),
        commune_insee text NOT NULL CHECK (commune_insee ~ '^[0-9][0-9AB][0-9]{3}$'),
        commune_nom text NOT NULL,
        reponse text NOT NULL DEFAULT 'EN_ATTENTE' CHECK (reponse IN ('EN_ATTENTE','ACCEPTEE','REFUSEE')),
        date_reponse date CHECK (date_reponse IS NULL OR date_reponse >= date),
        motif_refus text,
        CHECK ((reponse = 'EN_ATTENTE') = (date_reponse IS NULL)),
        CHECK ((reponse = 'REFUSEE') = (motif_refus IS NOT NULL))
      )`);
    await q.query('CREATE INDEX proposition_logement_parcours_idx ON proposition_logement (parcours_id, date)');
    await q.query(`
      CREATE TABLE mesure_logement (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        parcours_id uuid NOT NULL REFERENCES dossier(parcours_id),
        type text NOT NULL CHECK (type IN ('AVDL','ASLL','FSL_ACCES','FSL_MAINTIEN','AUTRE')),
        date_debut date NOT NULL,
        date_fin date CHECK (date_fin IS NULL OR date_fin >= date_debut)
      )`);
    await q.query('CREATE INDEX mesure_logement_parcours_idx ON mesure_logement (parcours_id, date_debut)');
    await q.query(`
      CREATE TABLE incident_logement (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        parcours_id uuid NOT NULL REFERENCES dossier(parcours_id),
        type text NOT NULL CHECK (type IN ('IMPAYE_LOYER','TROUBLE_VOISINAGE','PROCEDURE_EXPULSION','AUTRE')),
        date date NOT NULL,
        date_resolution date CHECK (date_resolution IS NULL OR date_resolution >= date)
      )`);
    await q.query('CREATE INDEX incident_logement_parcours_idx ON incident_logement (parcours_id, date)');
    await q.query('CREATE INDEX dossier_departement_idx ON dossier (departement, ouvert_le)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX dossier_departement_idx');
    await q.query('DROP TABLE incident_logement');
    await q.query('DROP TABLE mesure_logement');
    await q.query('DROP TABLE proposition_logement');
    await q.query('DROP TABLE demande_logement_social');
    await q.query(`
      ALTER TABLE demarche_droit
        DROP COLUMN motif_blocage, DROP COLUMN commentaire_blocage, DROP COLUMN bloquee_depuis, DROP COLUMN dernier_changement`);
  }
}
