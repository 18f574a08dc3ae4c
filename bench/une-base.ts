/**
 * The one-database baseline of the benchmark (`bench/unified.ts`): the hub's rows copied into ONE
 * PostgreSQL database (a schema per subgraph: `coordination`, `droits_logement`,
 * `emploi_formation`), and a minimal Node HTTP server answering each measured read with ONE SQL
 * statement that builds the same JSON as the hub's answer. What a single application over a
 * single database would cost for the same page: the yardstick of the federation's overhead.
 *
 * The baseline reads as COORDINATION of the départements it is given: every parcours of those,
 * the sensitive rights procedures left out (as the hub does for that role), no audit trail.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, Pool } from 'pg';
import { withDatabase } from '@agir/common';
import { DEMARCHES_SENSIBLES } from '@agir/droits-logement/src/field-rules';
import { ORDRE_PREFERENCE } from '@agir/emploi-formation/src/rules';
import { databaseName, SUBGRAPH_NAMES, type SubgraphName } from '../scripts/hub';

/** The tables each read of the baseline needs, by subgraph. */
const TABLES: Record<SubgraphName, string[]> = {
  coordination: ['parcours', 'beneficiaire'],
  'droits-logement': ['dossier', 'situation_logement', 'demarche_droit'],
  'emploi-formation': ['dossier', 'situation_professionnelle', 'contrat_travail', 'formation', 'evaluation_langue'],
};

/** The indexes a single application would have for these reads (those of the subgraphs). */
const INDEX = [
  'CREATE INDEX ON coordination.parcours (departement, date_orientation DESC, id DESC)',
  'CREATE UNIQUE INDEX ON coordination.parcours (id)',
  'CREATE UNIQUE INDEX ON coordination.beneficiaire (id)',
  'CREATE INDEX ON droits_logement.situation_logement (parcours_id, date_debut DESC)',
  'CREATE INDEX ON droits_logement.demarche_droit (parcours_id, date_debut)',
  'CREATE INDEX ON emploi_formation.situation_professionnelle (parcours_id)',
  'CREATE INDEX ON emploi_formation.contrat_travail (parcours_id)',
  'CREATE INDEX ON emploi_formation.formation (parcours_id)',
  'CREATE INDEX ON emploi_formation.evaluation_langue (parcours_id, date_evaluation DESC)',
];

const schema = (subgraph: SubgraphName) => subgraph.replace(/-/g, '_');

/**
 * Creates the baseline's database `<prefix>_une_base` on the server of `adminUrl` (a superuser)
 * and copies into it, through `postgres_fdw`, the rows of the subgraphs' databases that its reads
 * need. Returns its URL and a function that drops it.
 */
export async function copierDansUneBase(adminUrl: string, prefix: string): Promise<{ url: string; supprimer(): Promise<void> }> {
  const database = `${prefix}_une_base`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${database}`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(adminUrl, database);
  const db = new Client({ connectionString: url });
  await db.connect();
  try {
    const serveur = new URL(adminUrl);
    await db.query('CREATE EXTENSION postgres_fdw');
    for (const subgraph of SUBGRAPH_NAMES) {
      const s = schema(subgraph);
      await db.query(
        `CREATE SERVER ${s}_source FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host '${serveur.hostname}', port '${serveur.port || '5432'}', dbname '${databaseName(prefix, subgraph)}')`,
      );
      const motDePasse = serveur.password ? `, password '${decodeURIComponent(serveur.password)}'` : '';
      await db.query(`CREATE USER MAPPING FOR CURRENT_USER SERVER ${s}_source OPTIONS (user '${decodeURIComponent(serveur.username) || 'postgres'}'${motDePasse})`);
      await db.query(`CREATE SCHEMA ${s}_source; CREATE SCHEMA ${s}`);
      // Generated columns (the person search's forms) come as plain columns: their functions live in the source only.
      await db.query(`IMPORT FOREIGN SCHEMA public LIMIT TO (${TABLES[subgraph].join(', ')}) FROM SERVER ${s}_source INTO ${s}_source OPTIONS (import_generated 'false')`);
      for (const table of TABLES[subgraph]) await db.query(`CREATE TABLE ${s}.${table} AS SELECT * FROM ${s}_source.${table}`);
      await db.query(`DROP SCHEMA ${s}_source CASCADE; DROP USER MAPPING FOR CURRENT_USER SERVER ${s}_source; DROP SERVER ${s}_source`);
    }
    for (const index of INDEX) await db.query(index);
    await db.query('ANALYZE');
  } finally {
    await db.end();
  }
  return {
    url,
    async supprimer() {
      const c = new Client({ connectionString: adminUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

/**
 * The JSON of one parcours `p` (columns of `coordination.parcours`) as the hub's node: identity,
 * today's ($3) housing, the rights procedures that are not sensitive ($4), the professional
 * situation of today by the rule of `situationAuJour` (an activity in progress, the most
 * favourable by `ORDRE_PREFERENCE` ($5, $6); SANS_ACTIVITE when one has started and none is in
 * progress; else the latest declared situation), and the latest language evaluation.
 */
const NOEUD = `json_build_object(
  'id', p.id, 'statut', p.statut, 'departement', p.departement,
  'beneficiaire', (SELECT json_build_object('nom', b.nom, 'prenom', b.prenom) FROM coordination.beneficiaire b WHERE b.id = p.beneficiaire_id),
  'situationLogement', (SELECT json_build_object('categorie', s.categorie) FROM droits_logement.situation_logement s
                         WHERE s.parcours_id = p.id AND s.date_debut <= $3::date AND (s.date_fin IS NULL OR s.date_fin >= $3::date)
                         ORDER BY s.date_debut DESC, s.date_fin DESC NULLS FIRST, s.id DESC LIMIT 1),
  'demarchesDroits', (SELECT coalesce(json_agg(json_build_object('type', d.type, 'statut', d.statut) ORDER BY d.date_debut NULLS LAST, d.id), '[]')
                        FROM droits_logement.demarche_droit d WHERE d.parcours_id = p.id AND NOT (d.type = ANY($4::text[]))),
  'situationProfessionnelle', (SELECT json_build_object('categorie', c.categorie) FROM (
        SELECT CASE WHEN a.date_fin IS NULL OR a.date_fin >= $3::date THEN a.categorie ELSE 'SANS_ACTIVITE' END AS categorie,
               CASE WHEN a.date_fin IS NULL OR a.date_fin >= $3::date THEN 1 ELSE 2 END AS rang, NOT a.stabilisant AS non_stabilisant,
               array_position(CASE WHEN a.stabilisant THEN $5::text[] ELSE $6::text[] END, a.categorie) AS preference,
               a.date_fin, a.date_debut - date '0001-01-01' AS anciennete
          FROM (SELECT categorie, stabilisant, date_debut, date_fin FROM emploi_formation.contrat_travail WHERE parcours_id = p.id
                UNION ALL SELECT categorie, stabilisant, date_debut, date_fin FROM emploi_formation.formation WHERE parcours_id = p.id) a
         WHERE a.date_debut <= $3::date
        UNION ALL
        SELECT sp.categorie, 3, NULL, NULL, NULL, date '9999-12-31' - sp.date_debut
          FROM emploi_formation.situation_professionnelle sp WHERE sp.parcours_id = p.id AND sp.date_debut <= $3::date
        ORDER BY rang, non_stabilisant, preference, date_fin DESC NULLS FIRST, anciennete LIMIT 1) c),
  'langue', (SELECT json_build_object('niveauCecrl', e.niveau_cecrl) FROM emploi_formation.evaluation_langue e
              WHERE e.parcours_id = p.id ORDER BY e.date_evaluation DESC, e.id DESC LIMIT 1))`;

/** The page of `parcoursListe(first: $2)` of the départements $1, most recent orientation first, with its count and cursor. */
const LISTE = `WITH page AS (
    SELECT p.*, row_number() OVER (ORDER BY p.date_orientation DESC, p.id DESC) AS rang
      FROM (SELECT * FROM coordination.parcours WHERE departement = ANY($1::text[]) ORDER BY date_orientation DESC, id DESC LIMIT $2 + 1) p)
  SELECT json_build_object('data', json_build_object('parcoursListe', json_build_object(
    'totalCount', (SELECT count(*) FROM coordination.parcours WHERE departement = ANY($1::text[])),
    'pageInfo', json_build_object(
      'hasNextPage', (SELECT count(*) > $2 FROM page),
      'endCursor', (SELECT rtrim(translate(replace(encode(convert_to('["' || to_char(p.date_orientation, 'YYYY-MM-DD') || '","' || p.id || '"]', 'UTF8'), 'base64'), E'\\n', ''), '+/', '-_'), '=')
                      FROM page p WHERE p.rang <= $2 ORDER BY p.rang DESC LIMIT 1)),
    'edges', (SELECT coalesce(json_agg(json_build_object('node', ${NOEUD}) ORDER BY p.rang), '[]') FROM page p WHERE p.rang <= $2))))::text AS json`;

/** `parcours(id: $2)` of the départements $1 (null when not one of theirs). */
const UN_PARCOURS = `SELECT json_build_object('data', json_build_object('parcours',
    (SELECT ${NOEUD} FROM coordination.parcours p WHERE p.id = $2::uuid AND p.departement = ANY($1::text[]))))::text AS json`;

export interface ServeurUneBase {
  url: string;
  /** The SQL statements run so far (one per request). */
  statements(): number;
  stop(): Promise<void>;
}

/**
 * Serves the baseline: `GET /liste?first=N` and `GET /parcours?id=…`, each one SQL statement whose
 * text result is the response body, as COORDINATION of `departements` on day `jour`.
 */
export async function servirUneBase(url: string, departements: string[], jour: string): Promise<ServeurUneBase> {
  const pool = new Pool({ connectionString: url, max: 10, options: '-c jit=off -c work_mem=32MB' } as never);
  let statements = 0;
  const commun = [departements, null, jour, [...DEMARCHES_SENSIBLES], ORDRE_PREFERENCE.stabilisant, ORDRE_PREFERENCE.nonStabilisant];
  const lire = async (sql: string, parametres: unknown[]) => {
    statements += 1;
    const { rows } = await pool.query<{ json: string }>(sql, parametres);
    return rows[0]!.json;
  };
  const server: Server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://baseline');
    const reponse =
      u.pathname === '/liste'
        ? lire(LISTE, [commun[0], Number(u.searchParams.get('first') ?? 20), ...commun.slice(2)])
        : u.pathname === '/parcours'
          ? lire(UN_PARCOURS, [commun[0], u.searchParams.get('id'), ...commun.slice(2)])
          : Promise.reject(new Error(`unknown read ${u.pathname}`));
    reponse.then(
      (json) => res.writeHead(200, { 'content-type': 'application/json' }).end(json),
      (error: unknown) => res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ message: String(error) }] })),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    statements: () => statements,
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await pool.end();
    },
  };
}
