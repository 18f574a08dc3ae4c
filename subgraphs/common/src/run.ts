import type { EntitySchema, MixedList } from 'typeorm';
import { createTokenVerifier } from './auth';
import { ConfigError, type SubgraphConfig } from './config';
import { createDataSource, migrate } from './database';
import { createLogger, type Logger } from './logger';
import { startSubgraph, type BaseContext, type RunningService, type SubgraphDefinition } from './server';
import { DeliveryWorker } from './webhooks/worker';

/** A subgraph with what it needs to own its database. */
export interface DeployableSubgraph<Ctx extends BaseContext = BaseContext> extends SubgraphDefinition<Ctx> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  entities: EntitySchema<any>[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  migrations: MixedList<Function>;
}

/**
 * Connects a subgraph to its database, applies its migrations and serves it. Returns the running
 * service and a `stop` that also closes the database pool.
 */
export async function launchSubgraph<Ctx extends BaseContext>(
  subgraph: DeployableSubgraph<Ctx>,
  config: SubgraphConfig & { host?: string },
  logger: Logger = createLogger(subgraph.name, config.logLevel),
): Promise<RunningService & { dataSource: import('typeorm').DataSource; counter: import('./database').SqlCounter }> {
  if (config.migrationDatabaseUrl) {
    const owner = createDataSource({ url: config.migrationDatabaseUrl, entities: subgraph.entities, migrations: subgraph.migrations, logger, poolSize: 1 });
    await owner.dataSource.initialize();
    try {
      const applied = await migrate(owner.dataSource);
      if (applied.length > 0) logger.info({ migrations: applied }, 'migrations applied');
    } finally {
      await owner.dataSource.destroy();
    }
  } else {
    logger.warn('MIGRATION_DATABASE_URL is not set: migrations run as the application role, which then owns the tables (the audit trail is not protected from it)');
  }
  const { dataSource, counter } = createDataSource({
    url: config.databaseUrl,
    entities: subgraph.entities,
    migrations: subgraph.migrations,
    logger,
    ...(config.statementTimeoutMs ? { statementTimeoutMs: config.statementTimeoutMs } : {}),
  });
  await dataSource.initialize();
  try {
    if (!config.migrationDatabaseUrl) {
      const applied = await migrate(dataSource);
      if (applied.length > 0) logger.info({ migrations: applied }, 'migrations applied');
    }
    const auth = { verify: createTokenVerifier(config.auth), gatewaySecret: config.auth.gatewaySecret };
    const gatewayUrl = typeof config.gatewayUrl === 'function' ? config.gatewayUrl : () => config.gatewayUrl as string;
    const service = await startSubgraph(subgraph, {
      auth,
      gatewayUrl,
      dataSource,
      counter,
      logger,
      port: config.port,
      host: config.host,
      development: config.development,
      ...(config.metricsToken ? { metricsToken: config.metricsToken } : {}),
    });
    // Sends the events this subgraph's transactions wrote to its outbox (webhooks to member tools).
    let worker: DeliveryWorker | undefined;
    if (config.webhooksWorker !== false) {
      try {
        worker = new DeliveryWorker({ ...config.webhooksWorker, dataSource, logger: logger.child({ component: 'webhooks' }) });
        worker.start();
      } catch (error) {
        await service.stop();
        throw error;
      }
    }
    return {
      ...service,
      dataSource,
      counter,
      async stop() {
        // In this order: no new request, those in flight answered (Apollo's drain), the webhook
        // deliveries in flight finished and recorded (the others stay unclaimed for the next
        // worker, none leased), then the pool closed.
        await service.stop();
        await worker?.stop();
        if (dataSource.isInitialized) await dataSource.destroy();
        logger.info('stopped: requests drained, webhook deliveries recorded, database pool closed');
      },
    };
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
}

/**
 * The body of a service's entrypoint: reads the configuration (exiting with every problem listed
 * when it is invalid), starts the service, and stops it cleanly on SIGINT/SIGTERM. This is the
 * process's one signal handler (Apollo Server's own is off, `stopOnTerminationSignals: false`, as
 * it would exit before the webhook worker and the pool are stopped); a second signal during the
 * stop exits at once.
 */
export async function runMain(service: string, start: (logger: Logger) => Promise<{ url: string; stop(): Promise<void> }>): Promise<void> {
  const logger = createLogger(service);
  let running: { url: string; stop(): Promise<void> };
  try {
    running = await start(logger);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
    } else {
      logger.fatal({ err: error }, 'start failed');
    }
    process.exit(1);
  }
  logger.info({ url: running.url }, `${service} ready`);
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal while stopping: exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'stopping');
    running.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'stop failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}
