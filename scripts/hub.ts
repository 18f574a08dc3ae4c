import { readFileSync } from 'node:fs';
import {
  createLogger,
  launchSubgraph,
  ownerRole,
  provisionDatabase,
  withDatabase,
  type DeployableSubgraph,
  type RunningService,
  type SqlCounter,
  type SubgraphConfig,
  type WebhooksWorkerSettings,
} from '@agir/common';
import { coordination } from '@agir/coordination';
import { droitsLogement } from '@agir/droits-logement';
import { emploiFormation } from '@agir/emploi-formation';
import { defaultSubgraphs, startGateway, type RateLimits } from '@agir/gateway';
import type { DataSource } from 'typeorm';
import { SUPERGRAPH_PATH } from './supergraph';

export const SUBGRAPHS = {
  coordination,
  'droits-logement': droitsLogement,
  'emploi-formation': emploiFormation,
} satisfies Record<string, DeployableSubgraph>;
export type SubgraphName = keyof typeof SUBGRAPHS;
export const SUBGRAPH_NAMES = Object.keys(SUBGRAPHS) as SubgraphName[];

/** `agir` + `droits-logement` → `agir_droits_logement`: the database and the role that owns it. */
export function databaseName(prefix: string, subgraph: SubgraphName): string {
  return `${prefix}_${subgraph.replace(/-/g, '_')}`;
}

export interface LaunchedSubgraph extends RunningService {
  dataSource: DataSource;
  counter: SqlCounter;
}

export interface Hub {
  gatewayUrl: string;
  subgraphs: Record<SubgraphName, LaunchedSubgraph>;
  databaseUrls: Record<SubgraphName, string>;
  /** The owner roles' URLs (migrations, maintenance jobs). */
  ownerUrls: Record<SubgraphName, string>;
  /** Stops one subgraph (its server and its pool), leaving the rest running. */
  stopSubgraph(name: SubgraphName): Promise<void>;
  stop(): Promise<void>;
}

export interface HubOptions {
  /** A superuser connection, used only to create each subgraph's database and role. */
  adminUrl: string;
  /** Database and role names are `<prefix>_<subgraph>`. */
  prefix: string;
  /** Ports; 0 picks free ones (tests). */
  ports?: Partial<Record<SubgraphName | 'gateway', number>>;
  development?: boolean;
  logLevel?: string;
  /** Token verification (issuer, audience, public keys) and the gateway's secret, for every service. */
  auth: SubgraphConfig['auth'];
  /** Where the services' JSON logs go (stdout by default). */
  logDestination?: import('pino').DestinationStream;
  /** Requests per user and minute at the gateway. */
  rateLimitPerMinute?: number;
  /** The gateway's deadline for one subgraph fetch, in ms (its default otherwise). */
  subgraphTimeoutMs?: number;
  /** The gateway's limits per address, on refused authentications and on exports. */
  rateLimits?: Partial<RateLimits>;
  /**
   * Each subgraph's webhook delivery worker: `false` starts none, options tune them (tests pass a
   * fast `pollIntervalMs`). Absent: one worker per subgraph with the production defaults.
   */
  webhooksWorker?: false | WebhooksWorkerSettings;
  /** The monitoring token each subgraph's `GET /metrics` accepts besides the gateway's secret. */
  metricsToken?: string;
  /** Called once databases are migrated, before the gateway starts (to load data). */
  beforeGateway?(dataSources: Record<SubgraphName, DataSource>): Promise<void>;
}

/**
 * Starts the whole hub in this process: one database and role per subgraph (created when
 * missing), the three subgraphs connected as their own roles, and the gateway over them. Used by
 * `npm start` and by the end-to-end tests, so both run exactly the same wiring.
 */
export async function startHub(options: HubOptions): Promise<Hub> {
  const logLevel = options.logLevel ?? 'warn';
  const databaseUrls = {} as Record<SubgraphName, string>;
  const ownerUrls = {} as Record<SubgraphName, string>;
  for (const name of SUBGRAPH_NAMES) {
    const database = databaseName(options.prefix, name);
    const password = `${database}-local`;
    await provisionDatabase(options.adminUrl, { database, role: database, password });
    databaseUrls[name] = withDatabase(options.adminUrl, database, { user: database, password });
    ownerUrls[name] = withDatabase(options.adminUrl, database, { user: ownerRole(database), password });
  }
  const subgraphs = {} as Record<SubgraphName, LaunchedSubgraph>;
  // Subgraphs query the gateway for other domains' facts; it starts after them, on its own port.
  let gatewayUrl = '';
  const stopAll = async () => {
    await Promise.all(Object.values(subgraphs).map((s) => s.stop()));
  };
  const loggers = Object.fromEntries(
    [...SUBGRAPH_NAMES, 'gateway'].map((name) => [name, createLogger(name, logLevel, options.logDestination)]),
  ) as Record<SubgraphName | 'gateway', ReturnType<typeof createLogger>>;
  try {
    for (const name of SUBGRAPH_NAMES) {
      subgraphs[name] = await launchSubgraph(SUBGRAPHS[name] as DeployableSubgraph, {
        databaseUrl: databaseUrls[name],
        migrationDatabaseUrl: ownerUrls[name],
        port: options.ports?.[name] ?? 0,
        development: options.development ?? false,
        logLevel: logLevel as never,
        auth: options.auth,
        gatewayUrl: () => gatewayUrl,
        ...(options.webhooksWorker === undefined ? {} : { webhooksWorker: options.webhooksWorker }),
        ...(options.metricsToken ? { metricsToken: options.metricsToken } : {}),
      }, loggers[name]);
    }
    await options.beforeGateway?.(
      Object.fromEntries(SUBGRAPH_NAMES.map((n) => [n, subgraphs[n].dataSource])) as Record<SubgraphName, DataSource>,
    );
    const gateway = await startGateway({
      supergraphSdl: readFileSync(SUPERGRAPH_PATH, 'utf8'),
      subgraphs: defaultSubgraphs().map((s) => ({ ...s, url: subgraphs[s.name as SubgraphName].url })),
      port: options.ports?.gateway ?? 0,
      development: options.development ?? false,
      logger: loggers.gateway,
      auth: options.auth,
      rateLimitPerMinute: options.rateLimitPerMinute,
      ...(options.subgraphTimeoutMs ? { subgraphTimeoutMs: options.subgraphTimeoutMs } : {}),
      ...(options.rateLimits ? { rateLimits: options.rateLimits } : {}),
    });
    gatewayUrl = gateway.url;
    return {
      gatewayUrl: gateway.url,
      subgraphs,
      databaseUrls,
      ownerUrls,
      stopSubgraph: (name) => subgraphs[name].stop(),
      async stop() {
        // From here on, connections closing (Ctrl-C also reaches an embedded database) are expected.
        for (const logger of Object.values(loggers)) logger.level = 'error';
        await gateway.stop();
        await stopAll();
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
