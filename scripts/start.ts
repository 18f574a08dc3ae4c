/**
 * `npm start`: the whole hub on one machine, with demo data.
 *
 * Uses the PostgreSQL server of DATABASE_URL (a superuser URL) when set, otherwise starts an
 * embedded one (data kept under .data/postgres, port 54329 by default). Creates one database and
 * role per subgraph, migrates, loads the demo data set when the databases are empty, starts the
 * three subgraphs and the gateway, and prints the gateway URL with an example query.
 */
import path from 'node:path';
import { z } from 'zod';
import { ConfigError, port, postgresUrl, readEnv } from '@agir/common';
import { loadDemoData } from './demo';
import { startEmbeddedPostgres, type EmbeddedCluster } from './embedded-postgres';
import { startHub } from './hub';
import { DEMO_AUDIENCE, DEMO_ISSUER, ensureDevAuth } from './tokens';
import { ROOT } from './supergraph';

const EXAMPLE_QUERY = `query {
  parcoursListe(first: 20) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node {
      id statut departement
      beneficiaire { id nom prenom }
      situationLogement { categorie }
      demarchesDroits { type statut }
      situationProfessionnelle { categorie }
      langue { niveauCecrl }
    } }
  }
}`;

async function main(): Promise<void> {
  const env = readEnv(
    'npm start',
    z.object({
      DATABASE_URL: postgresUrl.optional(),
      EMBEDDED_POSTGRES_PORT: port(54329),
      GATEWAY_PORT: port(4000),
      COORDINATION_PORT: port(4001),
      DROITS_LOGEMENT_PORT: port(4002),
      EMPLOI_FORMATION_PORT: port(4003),
      LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('warn'),
      WEBHOOKS_WORKER: z.enum(['true', 'false']).default('true'),
    }),
    process.env,
  );
  let embedded: EmbeddedCluster | undefined;
  let adminUrl = env.DATABASE_URL;
  if (!adminUrl) {
    process.stdout.write(`Starting embedded PostgreSQL on 127.0.0.1:${env.EMBEDDED_POSTGRES_PORT} (data in .data/postgres)…\n`);
    embedded = await startEmbeddedPostgres({ dataDir: path.join(ROOT, '.data', 'postgres'), port: env.EMBEDDED_POSTGRES_PORT, persistent: true });
    adminUrl = embedded.adminUrl;
  }
  const started = Date.now();
  // The demo's signing keys and gateway secret, made on first start (npm run token signs with them).
  const devAuth = await ensureDevAuth(path.join(ROOT, '.data', 'keys'));
  const hub = await startHub({
    adminUrl,
    auth: { issuer: DEMO_ISSUER, audience: DEMO_AUDIENCE, jwks: devAuth.jwksPath, gatewaySecret: devAuth.gatewaySecret },
    prefix: 'agir',
    development: true,
    logLevel: env.LOG_LEVEL,
    ...(env.WEBHOOKS_WORKER === 'false' ? { webhooksWorker: false as const } : {}),
    ports: {
      gateway: env.GATEWAY_PORT,
      coordination: env.COORDINATION_PORT,
      'droits-logement': env.DROITS_LOGEMENT_PORT,
      'emploi-formation': env.EMPLOI_FORMATION_PORT,
    },
    async beforeGateway(dataSources) {
      const [{ count }] = (await dataSources.coordination.query('SELECT count(*)::int AS count FROM parcours')) as [{ count: number }];
      if (count > 0) {
        process.stdout.write(`Databases already hold ${count} parcours: demo data not reloaded.\n`);
        return;
      }
      const summary = await loadDemoData(dataSources);
      process.stdout.write(`Demo data loaded: ${summary.parcours} parcours, ${summary.sites} sites, ${summary.referents} referents.\n`);
    },
  });
  process.stdout.write(
    [
      '',
      `AGIR federation hub ready in ${((Date.now() - started) / 1000).toFixed(1)} s.`,
      `  Gateway:           ${hub.gatewayUrl}`,
      ...Object.entries(hub.subgraphs).map(([name, s]) => `  Subgraph ${name.padEnd(17)}${s.url}`),
      '',
      'Try it with a coordinator\'s token (npm run token -- --role <ROLE> for the other roles):',
      '  TOKEN=$(npm run -s token -- --role COORDINATION)',
      `  curl -s ${hub.gatewayUrl} -H 'content-type: application/json' -H "authorization: Bearer $TOKEN" \\`,
      `    --data '${JSON.stringify({ query: EXAMPLE_QUERY.replace(/\s+/g, ' ') })}'`,
      '',
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal}: stopping the hub…\n`);
    await hub.stop();
    await embedded?.stop();
    process.exit(0);
  };
  // embedded-postgres installs exit hooks that stop the database at once on a signal, while the
  // subgraphs still hold connections; the hub is stopped first, then the database, in that order.
  process.removeAllListeners('SIGINT');
  process.removeAllListeners('SIGTERM');
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  // npm does not pass a SIGTERM it receives on to its script's process: the hub would outlive it,
  // re-parented, holding the ports and the database. The parent's death stops the hub the same way.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) void stop('parent process gone');
  }, 1000).unref();
}

main().catch((error: unknown) => {
  process.stderr.write(error instanceof ConfigError ? `${error.message}\n` : `npm start failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
