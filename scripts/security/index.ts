/**
 * `npm run security`: the hub in production mode, each service its own process as the compose
 * file runs them, checked as an attacker holding one valid user token would: graphql-http's
 * GraphQL-over-HTTP audits at the gateway, forged tokens at every port, the query limits and
 * request shapes at every port, and a fuzz of malformed requests (5,000 by default, `--fuzz N`)
 * counting server errors and stack traces. Prints the table; exits 1 on any failed row.
 *
 * Uses the PostgreSQL of DATABASE_URL (a superuser URL), or a throw-away embedded one.
 */
import { throwAwayDatabase } from '../embedded-postgres';
import { mintToken } from '../tokens';
import { formatTable, runChecks, type Target } from './checks';
import { SECURITY_AUDIENCE, SECURITY_ISSUER, startProductionHub } from './services';

async function main(): Promise<number> {
  const at = process.argv.indexOf('--fuzz');
  const fuzzCount = at > 0 ? Number(process.argv[at + 1]) : 5000;
  if (!Number.isInteger(fuzzCount) || fuzzCount < 1) {
    process.stderr.write(`--fuzz attend un nombre entier de requêtes, reçu « ${process.argv[at + 1]} ».\n`);
    return 2;
  }
  const database = await throwAwayDatabase();
  process.stdout.write('Starting the hub in production mode (one process per service)…\n');
  const hub = await startProductionHub(process.env.DATABASE_URL!);
  try {
    const token = await mintToken(hub.keys, { sub: 'securite', name: 'Contrôle de sécurité', structure: '00000000-0000-4000-8000-000000000001', roles: ['COORDINATION'], departements: ['44'] }, { issuer: SECURITY_ISSUER, audience: SECURITY_AUDIENCE, expiresIn: '1h' });
    const targets: Target[] = Object.entries(hub.urls).map(([name, url]) => ({ name, url }));
    const started = Date.now();
    const rows = await runChecks({ targets, keys: hub.keys, issuer: SECURITY_ISSUER, audience: SECURITY_AUDIENCE, token }, { fuzzCount });
    process.stdout.write(`\n${formatTable(rows)}\n\n`);
    const failed = rows.filter((r) => !r.ok);
    process.stdout.write(`${rows.length - failed.length} passed, ${failed.length} failed (${fuzzCount} malformed requests, ${((Date.now() - started) / 1000).toFixed(0)} s)\n`);
    return failed.length === 0 ? 0 : 1;
  } finally {
    await hub.stop();
    await database.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`npm run security failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
