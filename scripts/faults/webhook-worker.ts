/**
 * A webhook delivery worker alone in its process, on one subgraph's database (the subgraphs of the
 * fault suite run with WEBHOOKS_WORKER=false), so that the suite can kill it mid-batch without
 * touching the service. Its lease is shorter than production's (WEBHOOKS_LEASE_MS) so that the
 * deliveries a killed worker held are claimed again within the suite's bounded run.
 */
import { createDataSource, createLogger, DeliveryWorker } from '@agir/common';

async function main(): Promise<void> {
  const logger = createLogger('webhooks-worker', process.env.LOG_LEVEL ?? 'warn');
  const { dataSource } = createDataSource({ url: process.env.DATABASE_URL ?? '', entities: [], migrations: [], logger, poolSize: 4 });
  await dataSource.initialize();
  const worker = new DeliveryWorker({
    dataSource,
    logger,
    leaseMs: Number(process.env.WEBHOOKS_LEASE_MS ?? 12_000),
    timeoutMs: 5_000,
    pollIntervalMs: 200,
  });
  worker.start();
  const stop = () => {
    void worker
      .stop()
      .then(() => dataSource.destroy())
      .finally(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`webhook worker failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
