import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { dropDatabase } from '@agir/common';
import type { DataSource } from 'typeorm';
import { databaseName, startHub, SUBGRAPH_NAMES, type Hub, type SubgraphName } from '../../scripts/hub';
import { generateSigningKeys, mintToken, type SigningKeys, type TokenClaims } from '../../scripts/tokens';

export const ISSUER = 'agir-hub-test';
export const AUDIENCE = 'agir-hub';

/** The caller tests use unless they say otherwise: a coordinator of both départements. */
export const COORDINATOR: TokenClaims = {
  sub: 'coordination-test',
  name: 'Coordination (tests)',
  structure: '00000000-0000-4000-8000-000000000001',
  roles: ['COORDINATION'],
  departements: ['44', '85'],
};

/** Records every parcours's consent to share both domains, dated from its orientation. */
export async function consentAll(coordination: DataSource): Promise<void> {
  await coordination.query(
    `INSERT INTO consentement (parcours_id, domaine, donne_le, enregistre_par)
     SELECT p.id, d.domaine, p.date_orientation, 'test-seed' FROM parcours p
     CROSS JOIN (VALUES ('DROITS_LOGEMENT'), ('EMPLOI_FORMATION')) AS d(domaine)
     ON CONFLICT DO NOTHING`,
  );
}

export function adminUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set: the global setup should have set it');
  return url;
}

export interface GraphQLResult<T = Record<string, unknown>> {
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

export interface QueryOptions {
  /** The bearer token; `null` sends none. Defaults to a token for COORDINATOR. */
  token?: string | null;
  /** Another endpoint than the gateway (a subgraph called directly). */
  url?: string;
  headers?: Record<string, string>;
}

export interface TestHub extends Hub {
  prefix: string;
  keys: SigningKeys;
  gatewaySecret: string;
  /** Signs a token with the hub's key (or with `keys`). */
  token(claims: TokenClaims, options?: { expiresIn?: string | number; keys?: SigningKeys; issuer?: string; audience?: string }): Promise<string>;
  /** Posts a GraphQL operation to the gateway (or to `options.url`) over HTTP. */
  query<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, options?: QueryOptions): Promise<GraphQLResult<T>>;
  /** Like query, with the HTTP status. */
  post<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, options?: QueryOptions): Promise<{ status: number; body: GraphQLResult<T> }>;
  /**
   * Refreshes the planner's statistics of every table, as each database's owner (the application
   * role may not): after a bulk seed, so that plans are those of a database of that size.
   */
  analyze(): Promise<void>;
  /** SQL statements each subgraph ran while `fn` ran. */
  countSql<T>(fn: () => Promise<T>): Promise<{ result: T; statements: Record<SubgraphName, number> }>;
}

/**
 * Starts the real hub (three subgraphs on their own fresh databases, the gateway, all on free
 * ports) for one test file. `seed` loads that file's own data. `stop` drops the databases.
 */
export async function startTestHub(
  options: {
    seed?: (dbs: Record<SubgraphName, DataSource>) => Promise<void>;
    rateLimitPerMinute?: number;
    /** The gateway's limits per address, on refused authentications and on exports. */
    rateLimits?: import('../../scripts/hub').HubOptions['rateLimits'];
    /** Receives every service's JSON log lines (at level info) instead of silencing them. */
    logLines?: string[];
    /**
     * Record, after the seed, every seeded person's consent to share both domains (the default,
     * as most people give it); `false` leaves consent out, for the tests of its absence.
     */
    consent?: boolean;
    /**
     * The subgraphs' webhook delivery workers: off unless asked (their polling would show in the
     * SQL counts of the other tests); pass options, e.g. `{ pollIntervalMs: 50 }`, to run them.
     */
    webhooksWorker?: false | import('@agir/common').WebhooksWorkerSettings;
    /** The monitoring token the subgraphs' `GET /metrics` accepts besides the gateway's secret. */
    metricsToken?: string;
    /**
     * The gateway's deadline for one subgraph fetch. Tests default to a minute, a guard against a
     * hang rather than a measure: a test machine shared with other work can be slow.
     */
    subgraphTimeoutMs?: number;
  } = {},
): Promise<TestHub> {
  const prefix = `agir_t${randomBytes(4).toString('hex')}`;
  const keys = await generateSigningKeys();
  const gatewaySecret = randomBytes(32).toString('hex');
  const hub = await startHub({
    adminUrl: adminUrl(),
    prefix,
    logLevel: options.logLines ? 'info' : 'silent',
    ...(options.logLines ? { logDestination: { write: (line: string) => void options.logLines!.push(line) } } : {}),
    auth: { issuer: ISSUER, audience: AUDIENCE, jwks: keys.jwks, gatewaySecret },
    async beforeGateway(dbs) {
      await options.seed?.(dbs);
      if (options.consent !== false) await consentAll(dbs.coordination);
    },
    rateLimitPerMinute: options.rateLimitPerMinute,
    subgraphTimeoutMs: options.subgraphTimeoutMs ?? 60_000,
    ...(options.rateLimits ? { rateLimits: options.rateLimits } : {}),
    webhooksWorker: options.webhooksWorker ?? false,
    ...(options.metricsToken ? { metricsToken: options.metricsToken } : {}),
  });
  const token: TestHub['token'] = (claims, o = {}) =>
    mintToken(o.keys ?? keys, claims, { issuer: o.issuer ?? ISSUER, audience: o.audience ?? AUDIENCE, expiresIn: o.expiresIn ?? '10m' });
  const defaultToken = await token(COORDINATOR);
  const post: TestHub['post'] = async (query, variables, o = {}) => {
    const bearer = o.token === undefined ? defaultToken : o.token;
    const response = await fetch(o.url ?? hub.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}), ...o.headers },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, body: (await response.json()) as GraphQLResult<never> };
  };
  return {
    ...hub,
    prefix,
    keys,
    gatewaySecret,
    token,
    post,
    async query<T>(query: string, variables?: Record<string, unknown>, o?: QueryOptions) {
      return (await post<T>(query, variables, o)).body;
    },
    async analyze() {
      for (const name of SUBGRAPH_NAMES) {
        const owner = new Client({ connectionString: hub.ownerUrls[name] });
        await owner.connect();
        try {
          await owner.query('ANALYZE');
        } finally {
          await owner.end();
        }
      }
    },
    async countSql(fn) {
      const before = Object.fromEntries(SUBGRAPH_NAMES.map((n) => [n, hub.subgraphs[n].counter.total]));
      const result = await fn();
      const statements = Object.fromEntries(
        SUBGRAPH_NAMES.map((n) => [n, hub.subgraphs[n].counter.total - (before[n] as number)]),
      ) as Record<SubgraphName, number>;
      return { result, statements };
    },
    async stop() {
      await hub.stop();
      for (const name of SUBGRAPH_NAMES) {
        const database = databaseName(prefix, name);
        await dropDatabase(adminUrl(), { database, role: database });
      }
    },
  };
}
