/**
 * `npm run anonymise [-- --annees 2]`: the retention job. Coordination, where identities live,
 * finds the people whose parcours ended more than N years ago (default 2) since the last contact
 * and anonymises them, keeping the statistics; then each domain subgraph removes the free text
 * and identifiers it holds on those parcours. Each database is reached with its own URL:
 * COORDINATION_DATABASE_URL (required), DROITS_LOGEMENT_DATABASE_URL and
 * EMPLOI_FORMATION_DATABASE_URL (each association may run its part where its database lives: the
 * script prints the parcours ids, which are not personal data).
 */
import { parseArgs } from 'node:util';
import { createDataSource, createLogger, postgresUrl, readEnv, today } from '@agir/common';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { anonymiserParcoursTermines } from '../subgraphs/coordination/src/retention';
import { anonymiserDroitsLogement } from '../subgraphs/droits-logement/src/retention';
import { anonymiserEmploiFormation } from '../subgraphs/emploi-formation/src/retention';

async function withDatabase<T>(url: string, fn: (db: DataSource) => Promise<T>): Promise<T> {
  const { dataSource } = createDataSource({ url, entities: [], migrations: [], logger: createLogger('anonymise', 'warn') });
  await dataSource.initialize();
  try {
    return await fn(dataSource);
  } finally {
    await dataSource.destroy();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { annees: { type: 'string', default: '2' } } });
  const annees = Number(values.annees);
  if (!Number.isInteger(annees) || annees < 1) throw new Error(`--annees doit être un entier ≥ 1, reçu « ${values.annees} ».`);
  const env = readEnv(
    'anonymise',
    z.object({ COORDINATION_DATABASE_URL: postgresUrl, DROITS_LOGEMENT_DATABASE_URL: postgresUrl.optional(), EMPLOI_FORMATION_DATABASE_URL: postgresUrl.optional() }),
    process.env,
  );
  const { parcours } = await withDatabase(env.COORDINATION_DATABASE_URL, (db) => anonymiserParcoursTermines(db, { aujourdhui: today(), annees }));
  const dl = env.DROITS_LOGEMENT_DATABASE_URL ? await withDatabase(env.DROITS_LOGEMENT_DATABASE_URL, (db) => anonymiserDroitsLogement(db, parcours)) : null;
  const ef = env.EMPLOI_FORMATION_DATABASE_URL ? await withDatabase(env.EMPLOI_FORMATION_DATABASE_URL, (db) => anonymiserEmploiFormation(db, parcours)) : null;
  process.stdout.write(`${JSON.stringify({ anonymises: parcours.length, parcours, lignesDroitsLogement: dl, lignesEmploiFormation: ef })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
