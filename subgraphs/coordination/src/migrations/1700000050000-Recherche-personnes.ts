import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Finding a person, and knowing them once:
 * - `agir_forme_recherche(text)`: the text lower-cased, without accents, punctuation reduced to
 *   single spaces ("N'DIAYE  Aïssatou" → "n diaye aissatou"); `agir_squelettes(text)`: each word's
 *   consonant skeleton ("Mohammed", "Muhammad", "Mohamed" → "mhmd"), which survives the usual
 *   transliteration variants that trigrams miss. Both are IMMUTABLE so that they can be stored and
 *   indexed (the `unaccent` dictionary is named explicitly for that reason).
 * - `beneficiaire.recherche` and `beneficiaire.squelettes`, generated from the name and first name,
 *   with a trigram index (pg_trgm) and a GIN index on the skeletons; the birth date is indexed.
 * - `fusion_beneficiaire`: the journal of merged records. The absorbed record stays, marked
 *   `fusionne_dans`, with its identity as it was; its parcours now belong to the kept record.
 */
export class RecherchePersonnes1700000050000 implements MigrationInterface {
  name = 'RecherchePersonnes1700000050000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE EXTENSION IF NOT EXISTS unaccent');
    await q.query('CREATE EXTENSION IF NOT EXISTS pg_trgm');
    await q.query(`
      CREATE FUNCTION agir_forme_recherche(t text) RETURNS text
      LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
      AS $$ SELECT btrim(regexp_replace(lower(public.unaccent('public.unaccent'::regdictionary, t)), '[^a-z0-9]+', ' ', 'g')) $$`);
    // Per word: the usual digraphs first (ph→f, sh→ch, then c→k, kh→k, gh→g, dj→j, ou→u, th→t,
    // q→k, w→v, z→s), then vowels and y dropped and doubled letters collapsed; a word with no
    // consonant keeps its normal form.
    await q.query(`
      CREATE FUNCTION agir_squelettes(t text) RETURNS text[]
      LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
      AS $$
        SELECT coalesce(array_agg(DISTINCT CASE WHEN s = '' THEN w ELSE s END), '{}')
        FROM (
          SELECT w, regexp_replace(regexp_replace(
                   replace(replace(replace(replace(replace(translate(replace(replace(w, 'ph', 'f'), 'sh', 'ch'), 'cqwz', 'kkvs'), 'kh', 'k'), 'gh', 'g'), 'dj', 'j'), 'ou', 'u'), 'th', 't'),
                   '[aeiouy]', '', 'g'), '(.)\\1+', '\\1', 'g') AS s
          FROM unnest(string_to_array(agir_forme_recherche(t), ' ')) AS w
          WHERE w <> ''
        ) mots
      $$`);
    await q.query(`ALTER TABLE beneficiaire
      ADD COLUMN recherche text GENERATED ALWAYS AS (agir_forme_recherche(nom || ' ' || prenom)) STORED,
      ADD COLUMN squelettes text[] GENERATED ALWAYS AS (agir_squelettes(nom || ' ' || prenom)) STORED,
      ADD COLUMN fusionne_dans uuid REFERENCES beneficiaire(id)`);
    await q.query('CREATE INDEX beneficiaire_recherche_trgm_idx ON beneficiaire USING gin (recherche gin_trgm_ops)');
    await q.query('CREATE INDEX beneficiaire_squelettes_idx ON beneficiaire USING gin (squelettes)');
    await q.query('CREATE INDEX beneficiaire_naissance_idx ON beneficiaire (date_naissance)');
    await q.query(`
      CREATE TABLE fusion_beneficiaire (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        conserve_id uuid NOT NULL REFERENCES beneficiaire(id),
        absorbe_id uuid NOT NULL UNIQUE REFERENCES beneficiaire(id),
        identite_absorbee jsonb NOT NULL,
        champs_completes text[] NOT NULL,
        parcours_rattaches uuid[] NOT NULL,
        fiches_rattachees uuid[] NOT NULL,
        rejoignants_rattaches uuid[] NOT NULL,
        motif text NOT NULL,
        auteur text NOT NULL,
        auteur_structure uuid,
        fusionne_le timestamptz NOT NULL DEFAULT now(),
        CHECK (conserve_id <> absorbe_id)
      )`);
    await q.query('CREATE INDEX fusion_beneficiaire_conserve_idx ON fusion_beneficiaire (conserve_id)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE fusion_beneficiaire');
    await q.query('ALTER TABLE beneficiaire DROP COLUMN fusionne_dans, DROP COLUMN squelettes, DROP COLUMN recherche');
    await q.query('DROP FUNCTION agir_squelettes(text)');
    await q.query('DROP FUNCTION agir_forme_recherche(text)');
  }
}
