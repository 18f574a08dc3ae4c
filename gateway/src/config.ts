import { readFileSync } from 'node:fs';
import path from 'node:path';
import { authEnv, authSettings, httpUrl, logLevel, nodeEnv, port, readEnv, type AuthSettings } from '@agir/common';
import { z } from 'zod';
import { DEFAULT_SUBGRAPH_TIMEOUT_MS } from './subgraph-data-source';

const SCHEMA_DIR = path.resolve(__dirname, '..', '..', 'schema');

export interface SubgraphEndpoint {
  name: string;
  url: string;
  domaine: string;
}

export interface GatewayConfig {
  port: number;
  supergraphPath: string;
  subgraphs: SubgraphEndpoint[];
  development: boolean;
  logLevel: string;
  auth: AuthSettings;
  subgraphTimeoutMs: number;
}

/** The subgraphs the supergraph was composed from, with their default local URLs. */
export function defaultSubgraphs(): SubgraphEndpoint[] {
  const file = JSON.parse(readFileSync(path.join(SCHEMA_DIR, 'subgraphs.json'), 'utf8')) as { subgraphs: SubgraphEndpoint[] };
  return file.subgraphs.map(({ name, url, domaine }) => ({ name, url, domaine }));
}

/** `droits-logement` → `DROITS_LOGEMENT_URL`. */
export const urlVariable = (subgraph: string) => `${subgraph.toUpperCase().replace(/-/g, '_')}_URL`;

/**
 * Reads the gateway's configuration once: its port, the supergraph file, and each subgraph's URL
 * (COORDINATION_URL, DROITS_LOGEMENT_URL, EMPLOI_FORMATION_URL; the composed defaults otherwise).
 */
export function readConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const subgraphs = defaultSubgraphs();
  const schema = z.object({
    PORT: port(4000),
    SUPERGRAPH_PATH: z.string().default(path.join(SCHEMA_DIR, 'supergraph.graphql')),
    NODE_ENV: nodeEnv,
    LOG_LEVEL: logLevel,
    // One subgraph fetch's deadline: past it, that domain's fields answer SUBGRAPH_UNAVAILABLE.
    SUBGRAPH_TIMEOUT_MS: z.coerce
      .number()
      .int('doit être un nombre entier de millisecondes')
      .min(100, 'doit être au moins 100 ms')
      .max(120_000, 'doit être au plus 120000 ms (2 minutes)')
      .default(DEFAULT_SUBGRAPH_TIMEOUT_MS),
    ...authEnv,
    ...Object.fromEntries(subgraphs.map((s) => [urlVariable(s.name), httpUrl.default(s.url)])),
  });
  const parsed = readEnv('gateway', schema, env) as Record<string, string | number> & Parameters<typeof authSettings>[0];
  return {
    port: parsed.PORT as number,
    supergraphPath: parsed.SUPERGRAPH_PATH as string,
    development: parsed.NODE_ENV === 'development',
    logLevel: parsed.LOG_LEVEL as string,
    auth: authSettings(parsed),
    subgraphTimeoutMs: parsed.SUBGRAPH_TIMEOUT_MS as number,
    subgraphs: subgraphs.map((s) => ({ ...s, url: parsed[urlVariable(s.name)] as string })),
  };
}
