import { GATEWAY_KEY_HEADER, requireBearer, type Logger, type ServiceAuth } from '@agir/common';
import { stringify } from 'csv-stringify';
import type express from 'express';
import { Kind, parse, type EnumTypeDefinitionNode } from 'graphql';

/**
 * `GET /export/analyse-parcours.csv?departement=44&statut=CONTRACTUALISE,SORTI&…`: the analysts'
 * pseudonymised rows (`Query.analyseParcours`) as CSV, streamed.
 *
 * The gateway decides nothing here: it asks its own public GraphQL endpoint, as the caller (same
 * bearer token), so Coordination applies its rules (role, département, pseudonymisation, audit)
 * exactly as for the query. It pages 1,000 rows at a time following `endCursor` and writes each
 * page to a csv-stringify stream piped into the response, waiting for `drain` whenever the
 * stream's buffer is full: at most one page (plus the socket's buffers) is in memory whatever the
 * export's size, and a slow client slows the paging down instead of filling the memory.
 */

export const EXPORT_PATH = '/export/analyse-parcours.csv';
export const EXPORT_PAGE_SIZE = 1000;

/** Query-string parameter → AnalyseFiltre field, in the order of the documentation. */
const PARAMETRES = ['departement', 'siteId', 'statut', 'canal', 'orientationDu', 'orientationAu', 'sexe', 'paysNaissance', 'trancheAge'] as const;
type Parametre = (typeof PARAMETRES)[number];
/** The list parameters (comma-separated or repeated) and the enum of their values in the supergraph. */
const LISTES: Partial<Record<Parametre, string>> = { statut: 'StatutParcours', canal: 'CanalOrientation', trancheAge: 'TrancheAge' };

/** CSV columns: header (French snake case) → value of a row. */
const COLONNES: [string, (n: Ligne) => unknown][] = [
  ['pseudonyme', (n) => n.pseudonyme],
  ['departement', (n) => n.departement],
  ['site_id', (n) => n.site.id],
  ['site_nom', (n) => n.site.nom],
  ['statut', (n) => n.statut],
  ['canal_orientation', (n) => n.canalOrientation],
  ['mois_orientation', (n) => n.moisOrientation],
  ['tranche_age', (n) => n.trancheAge],
  ['sexe', (n) => n.sexe],
  ['pays_naissance', (n) => n.paysNaissance],
  ['duree_accompagnement_jours', (n) => n.dureeAccompagnementJours],
  ['motif_fin', (n) => n.motifFin],
  ['motif_exclusion', (n) => n.motifExclusion],
  // oui when analysts' k-anonymity removed the row's age band and country (and maybe its sex): those columns are then empty.
  ['generalise', (n) => (n.generalise ? 'oui' : 'non')],
];

interface Ligne {
  pseudonyme: string;
  departement: string;
  site: { id: string; nom: string };
  statut: string;
  canalOrientation: string;
  moisOrientation: string;
  trancheAge: string | null;
  sexe: string | null;
  paysNaissance: string | null;
  dureeAccompagnementJours: number | null;
  motifFin: string | null;
  motifExclusion: string | null;
  generalise: boolean;
}

const QUERY = `query ExportAnalyseParcours($first: Int!, $after: String, $filtre: AnalyseFiltre!) {
  analyseParcours(first: $first, after: $after, filtre: $filtre) {
    pageInfo { hasNextPage endCursor }
    edges { node { pseudonyme departement site { id nom } statut canalOrientation moisOrientation trancheAge sexe paysNaissance dureeAccompagnementJours motifFin motifExclusion generalise } }
  }
}`;

interface GraphQLError {
  message: string;
  extensions?: { code?: string; field?: string };
}
interface Page {
  data?: { analyseParcours: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { node: Ligne }[] } | null } | null;
  errors?: GraphQLError[];
}

/** The values of the enums the filter uses, read from the supergraph (so they cannot drift from the schema). */
function enumValues(supergraphSdl: string): Record<string, string[]> {
  const wanted = new Set(Object.values(LISTES).concat('Sexe'));
  const values: Record<string, string[]> = {};
  for (const def of parse(supergraphSdl).definitions) {
    if (def.kind === Kind.ENUM_TYPE_DEFINITION && wanted.has(def.name.value)) {
      values[def.name.value] = ((def as EnumTypeDefinitionNode).values ?? []).map((v) => v.name.value);
    }
  }
  for (const name of wanted) if (!values[name]) throw new Error(`Export CSV : l'enum ${name} manque au supergraphe (npm run compose)`);
  return values;
}

interface Probleme {
  message: string;
  field: string;
}

/** Validates the query string into an AnalyseFiltre; every problem is listed at once. */
export function parseFiltre(query: Record<string, unknown>, enums: Record<string, string[]>): { filtre: Record<string, unknown>; problemes: Probleme[] } {
  const problemes: Probleme[] = [];
  const filtre: Record<string, unknown> = {};
  const probleme = (field: string, message: string) => problemes.push({ field, message });
  for (const name of Object.keys(query)) {
    if (!(PARAMETRES as readonly string[]).includes(name)) probleme(name, `Paramètre inconnu « ${name} » : les paramètres admis sont ${PARAMETRES.join(', ')}.`);
  }
  const texte = (name: Parametre): string | undefined => {
    const raw = query[name];
    if (raw === undefined) return undefined;
    if (typeof raw !== 'string') {
      probleme(name, `« ${name} » doit être donné une seule fois.`);
      return undefined;
    }
    return raw.trim();
  };
  const departement = texte('departement');
  if (departement === undefined) {
    if (query.departement === undefined) probleme('departement', '« departement » est requis (ex. departement=44).');
  } else if (!/^(0[1-9]|[1-8]\d|9[0-5]|2A|2B|97[1-6])$/.test(departement)) {
    probleme('departement', `« departement » doit être un code de département (ex. 44, 85, 2A), reçu « ${departement} ».`);
  } else filtre.departement = departement;
  const siteId = texte('siteId');
  if (siteId !== undefined) {
    if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(siteId)) filtre.siteId = siteId;
    else probleme('siteId', `« siteId » doit être l'identifiant (UUID) d'un site, reçu « ${siteId} ».`);
  }
  for (const name of ['orientationDu', 'orientationAu'] as const) {
    const value = texte(name);
    if (value === undefined) continue;
    const date = new Date(`${value}T00:00:00Z`);
    if (/^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value)) filtre[name] = value;
    else probleme(name, `« ${name} » doit être une date AAAA-MM-JJ, reçu « ${value} ».`);
  }
  if (typeof filtre.orientationDu === 'string' && typeof filtre.orientationAu === 'string' && filtre.orientationDu > filtre.orientationAu) {
    probleme('orientationDu', `« orientationDu » (${filtre.orientationDu}) est après « orientationAu » (${filtre.orientationAu}).`);
  }
  const sexe = texte('sexe');
  if (sexe !== undefined) {
    if (enums.Sexe!.includes(sexe)) filtre.sexe = sexe;
    else probleme('sexe', `« sexe » doit valoir ${enums.Sexe!.join(' ou ')}, reçu « ${sexe} ».`);
  }
  const pays = texte('paysNaissance');
  if (pays !== undefined) {
    if (/^[A-Z]{2}$/.test(pays)) filtre.paysNaissance = pays;
    else probleme('paysNaissance', `« paysNaissance » doit être un code pays ISO 3166-1 alpha-2 en majuscules (ex. AF), reçu « ${pays} ».`);
  }
  for (const [name, enumName] of Object.entries(LISTES) as [Parametre, string][]) {
    const raw = query[name];
    if (raw === undefined) continue;
    const parts = (Array.isArray(raw) ? raw : [raw]).flatMap((v) => String(v).split(',')).map((v) => v.trim()).filter((v) => v !== '');
    const allowed = enums[enumName]!;
    const bad = parts.filter((v) => !allowed.includes(v));
    if (parts.length === 0) probleme(name, `« ${name} » est vide : omettez-le pour toutes les valeurs, ou donnez-en parmi ${allowed.join(', ')}.`);
    else if (bad.length > 0) probleme(name, `« ${name} » : valeur(s) inconnue(s) ${bad.join(', ')} ; valeurs admises : ${allowed.join(', ')} (séparées par des virgules).`);
    else filtre[name] = [...new Set(parts)];
  }
  return { filtre, problemes };
}

/** A page that failed only because a subgraph could not be reached: worth asking again. */
function transient(page: Page): boolean {
  return !!page.errors?.length && page.errors.every((e) => e.extensions?.code === 'SUBGRAPH_UNAVAILABLE');
}

/** The HTTP status of GraphQL errors that came before any row was written. */
function statusOf(errors: GraphQLError[]): number {
  const codes = errors.map((e) => e.extensions?.code);
  if (codes.includes('UNAUTHENTICATED')) return 401;
  if (codes.includes('FORBIDDEN')) return 403;
  if (codes.includes('BAD_USER_INPUT') || codes.includes('GRAPHQL_VALIDATION_FAILED')) return 400;
  if (codes.includes('RATE_LIMITED')) return 429;
  return 502;
}

/** The gateway's own /graphql, at the address this request arrived on (never a caller-supplied Host). */
function selfUrl(req: express.Request): string {
  const address = req.socket.localAddress ?? '127.0.0.1';
  const host = address.includes(':') ? `[${address}]` : address;
  return `http://${host}:${req.socket.localPort}/graphql`;
}

/** Mounts the export, behind the same bearer-token check as /graphql. */
export function mountExport(app: express.Express, options: { auth: ServiceAuth; supergraphSdl: string; logger: Logger; limit?: express.RequestHandler }): void {
  const enums = enumValues(options.supergraphSdl);
  const limit: express.RequestHandler = options.limit ?? ((_req, _res, next) => next());
  app.get(EXPORT_PATH, requireBearer(options.auth), limit, async (req, res, next) => {
    try {
      const { filtre, problemes } = parseFiltre(req.query as Record<string, unknown>, enums);
      if (problemes.length > 0) {
        res.status(400).json({ errors: problemes.map((p) => ({ message: p.message, extensions: { code: 'BAD_USER_INPUT', field: p.field } })) });
        return;
      }
      const url = selfUrl(req);
      const headers = {
        'content-type': 'application/json',
        authorization: req.header('authorization') as string,
        // The export was counted once when it started (exports per user and minute); its pages are
        // not counted again against the user's or the address's requests.
        [GATEWAY_KEY_HEADER]: options.auth.gatewaySecret,
        ...(res.locals.requestId ? { 'x-request-id': String(res.locals.requestId) } : {}),
      };
      // A page is a read: a connection closed under us, a 5xx, or Coordination answering
      // SUBGRAPH_UNAVAILABLE (a passing fault between the gateway and the subgraph) is retried,
      // twice, rather than cutting the download.
      const fetchPage = async (after: string | null): Promise<Page> => {
        for (let attempt = 1; ; attempt += 1) {
          try {
            const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query: QUERY, variables: { first: EXPORT_PAGE_SIZE, after, filtre } }) });
            if (response.status >= 500 && attempt < 3) throw new Error(`gateway answered ${response.status}`);
            const page = (await response.json()) as Page;
            if (attempt < 3 && transient(page)) throw new Error(`subgraph unavailable: ${page.errors!.map((e) => e.message).join(' ; ')}`);
            return page;
          } catch (error) {
            if (attempt >= 3) throw error;
            options.logger.warn({ err: error, attempt, requestId: res.locals.requestId }, 'analyse-parcours export page retried');
            await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
          }
        }
      };

      // The first page decides the answer: its errors become a JSON error with the matching status.
      let page = await fetchPage(null);
      if (page.errors?.length || !page.data?.analyseParcours) {
        const errors = page.errors?.length ? page.errors : [{ message: "L'export n'a pas pu être lu.", extensions: { code: 'INTERNAL_SERVER_ERROR' } }];
        res.status(statusOf(errors)).json({ errors: errors.map((e) => ({ message: e.message, extensions: e.extensions ?? {} })) });
        return;
      }

      const jour = new Date().toISOString().slice(0, 10);
      res.status(200);
      res.setHeader('Content-Type', 'text/csv; charset=utf-8');
      res.setHeader('Content-Disposition', `attachment; filename="analyse-parcours-${String(filtre.departement)}-${jour}.csv"`);
      res.setHeader('Cache-Control', 'no-store');
      res.setHeader('X-Content-Type-Options', 'nosniff');

      const csv = stringify({ header: true, bom: true, delimiter: ';', columns: COLONNES.map(([header]) => header) });
      let closed = false;
      res.on('close', () => {
        closed = true;
        csv.destroy();
      });
      csv.pipe(res);
      /** Resolves when the stream can take more, or the client has gone. */
      const drained = () =>
        new Promise<void>((resolve) => {
          const done = () => {
            csv.off('drain', done);
            res.off('close', done);
            resolve();
          };
          csv.once('drain', done);
          res.once('close', done);
        });

      let rows = 0;
      for (;;) {
        const connexion = page.data!.analyseParcours!;
        for (const { node } of connexion.edges) {
          if (closed) return;
          rows += 1;
          if (!csv.write(COLONNES.map(([, value]) => value(node) ?? ''))) await drained();
        }
        if (closed) return;
        if (!connexion.pageInfo.hasNextPage || !connexion.pageInfo.endCursor) break;
        page = await fetchPage(connexion.pageInfo.endCursor);
        if (page.errors?.length || !page.data?.analyseParcours) {
          // Too late for a status: cut the transfer, so that the client sees an incomplete download, not a short file.
          // Each page is a request of its own, its token checked anew: a token that expires during a
          // long export ends it here (UNAUTHENTICATED in the errors logged).
          options.logger.error({ requestId: res.locals.requestId, errors: page.errors, rows }, 'analyse-parcours export failed mid-stream');
          res.destroy();
          return;
        }
      }
      csv.end();
      options.logger.info({ requestId: res.locals.requestId, rows }, 'analyse-parcours export');
    } catch (error) {
      if (res.headersSent) res.destroy();
      else next(error);
    }
  });
}
