import { ConfigError, createDataSource, createLogger, postgresUrl, readEnv } from '@agir/common';
import { z } from 'zod';
import { offreLocaleConfig } from './config';
import { DataInclusionClient } from './data-inclusion/client';
import { OffreLocaleStore, type RapportSynchronisation } from './offre-locale-store';
import { synchroniserOffreLocale } from './offre-locale-sync';
import { RefugiesInfoClient } from './refugies-info/client';

/**
 * Runs the local offer synchronisation by hand (or from cron) for the départements given as
 * arguments, or OFFRE_LOCALE_DEPARTEMENTS:
 *
 *   DATABASE_URL=postgres://agir_coordination:…@127.0.0.1:5432/agir_coordination \
 *   DATA_INCLUSION_TOKEN=… node --import tsx subgraphs/coordination/src/connectors/sync-offre-locale.ts 44 85
 *
 * Prints one JSON report per département; exits 1 when a run failed (the catalogue is then
 * unchanged), 2 when the configuration is invalid. The tables come from the migration
 * 1700000009000-CatalogueOffreLocale, which must have run.
 */
export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const logger = createLogger('offre-locale-sync', env.LOG_LEVEL ?? 'warn');
  let config;
  let databaseUrl: string;
  try {
    config = offreLocaleConfig(env);
    databaseUrl = readEnv('offre locale', z.object({ DATABASE_URL: postgresUrl }), env).DATABASE_URL;
    if (!config.dataInclusion) throw new ConfigError('offre locale', ['DATA_INCLUSION_TOKEN: requis pour synchroniser (variable absente)']);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 2;
  }
  const departements = argv.length ? argv : config.departements;
  const { dataSource } = createDataSource({ url: databaseUrl, entities: [], migrations: [], logger, poolSize: 2 });
  await dataSource.initialize();
  try {
    const store = new OffreLocaleStore(dataSource);
    const sources = {
      dataInclusion: new DataInclusionClient(config.dataInclusion),
      refugiesInfo: new RefugiesInfoClient(config.refugiesInfo),
      ...(config.thematiques ? { thematiques: config.thematiques } : {}),
    };
    const rapports: RapportSynchronisation[] = [];
    // One département at a time: the Réfugiés.info list is downloaded once and reused from cache.
    for (const departement of departements) rapports.push(await synchroniserOffreLocale(departement, store, sources));
    for (const rapport of rapports) process.stdout.write(`${JSON.stringify(rapport)}\n`);
    return rapports.every((rapport) => rapport.statut === 'REUSSIE') ? 0 : 1;
  } finally {
    await dataSource.destroy();
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
