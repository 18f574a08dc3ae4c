import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The local offer catalogue: services for exiled people in a département, copied from
 * data·inclusion and Réfugiés.info by a synchronisation run, so the hub answers from its own
 * database whether the sources are up or not.
 * - `offre_locale`: one row per source entry, unique by (source, source_id), listing the
 *   départements whose run found it (a Réfugiés.info dispositif may cover 44 and 85); the provenance
 *   (source, upstream source, link, the source's own update date, the run that last saw it) and a
 *   content fingerprint that tells a real change from a re-read. An entry that disappears from its
 *   source is not deleted but marked `supprime_le`, so a referent's earlier suggestion stays
 *   explainable and a wrongly empty source can be undone by the next run. A run removes only its own
 *   département from an entry; the entry is marked `supprime_le` when no département lists it.
 * - `synchronisation_offre_locale`: the report of every run, failed ones included.
 */
export class CatalogueOffreLocale1700000009000 implements MigrationInterface {
  name = 'CatalogueOffreLocale1700000009000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE synchronisation_offre_locale (
        id uuid PRIMARY KEY,
        departement text NOT NULL CHECK (departement ~ '^([0-9]{2}|2[AB]|97[0-9])$'),
        statut text NOT NULL CHECK (statut IN ('REUSSIE', 'ECHOUEE')),
        debut timestamptz NOT NULL,
        fin timestamptz NOT NULL,
        ajoutes integer NOT NULL CHECK (ajoutes >= 0),
        mis_a_jour integer NOT NULL CHECK (mis_a_jour >= 0),
        supprimes integer NOT NULL CHECK (supprimes >= 0),
        echecs integer NOT NULL CHECK (echecs >= 0),
        sources jsonb NOT NULL
      )`);
    await q.query('CREATE INDEX synchronisation_offre_locale_departement_idx ON synchronisation_offre_locale (departement, debut DESC)');

    await q.query(`
      CREATE TABLE offre_locale (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        source text NOT NULL CHECK (source IN ('DATA_INCLUSION', 'REFUGIES_INFO')),
        source_id text NOT NULL,
        source_origine text,
        departements text[] NOT NULL CHECK (cardinality(departements) > 0),
        nom text NOT NULL,
        description text,
        thematiques text[] NOT NULL DEFAULT '{}',
        commune text CHECK (commune ~ '^([0-9]{5}|2[AB][0-9]{3})$'),
        structure text,
        lien_source text,
        date_maj_source date,
        empreinte text NOT NULL,
        premiere_synchronisation_id uuid NOT NULL REFERENCES synchronisation_offre_locale(id),
        derniere_synchronisation_id uuid NOT NULL REFERENCES synchronisation_offre_locale(id),
        cree_le timestamptz NOT NULL DEFAULT now(),
        derniere_maj timestamptz NOT NULL DEFAULT now(),
        vu_le timestamptz NOT NULL DEFAULT now(),
        supprime_le timestamptz,
        CONSTRAINT offre_locale_source_unique UNIQUE (source, source_id)
      )`);
    await q.query('CREATE INDEX offre_locale_departements_idx ON offre_locale USING gin (departements)');
    await q.query('CREATE INDEX offre_locale_thematiques_idx ON offre_locale USING gin (thematiques)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE offre_locale');
    await q.query('DROP TABLE synchronisation_offre_locale');
  }
}
