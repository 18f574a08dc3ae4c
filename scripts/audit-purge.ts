/**
 * `npm run audit:purge`: deletes the audit entries older than the retention period
 * (AUDIT_RETENTION_MONTHS, 12 by default, 6 to 36) and the mutations' idempotency keys older than
 * IDEMPOTENCY_RETENTION_HOURS (default and minimum 24) from one subgraph's database. DATABASE_URL must be the
 * database's OWNER role (the application role cannot delete from the audit trail); each
 * association runs it on its own database, e.g. monthly from cron.
 */
import { auditRetentionMonths, createDataSource, createLogger, IDEMPOTENCY_RETENTION_HOURS, postgresUrl, purgeAudit, purgeIdempotencyKeys, readEnv } from '@agir/common';
import { z } from 'zod';

async function main(): Promise<void> {
  const env = readEnv(
    'audit:purge',
    z.object({
      DATABASE_URL: postgresUrl,
      AUDIT_RETENTION_MONTHS: auditRetentionMonths,
      IDEMPOTENCY_RETENTION_HOURS: z.coerce.number().int().min(IDEMPOTENCY_RETENTION_HOURS, `au moins ${IDEMPOTENCY_RETENTION_HOURS} heures`).default(IDEMPOTENCY_RETENTION_HOURS),
    }),
    process.env,
  );
  const { dataSource } = createDataSource({ url: env.DATABASE_URL, entities: [], migrations: [], logger: createLogger('audit-purge', 'warn') });
  await dataSource.initialize();
  try {
    const deleted = await purgeAudit(dataSource, env.AUDIT_RETENTION_MONTHS);
    const keys = await purgeIdempotencyKeys(dataSource, env.IDEMPOTENCY_RETENTION_HOURS);
    process.stdout.write(
      `${JSON.stringify({ supprimees: deleted, retentionMois: env.AUDIT_RETENTION_MONTHS, clesIdempotenceSupprimees: keys, retentionClesHeures: env.IDEMPOTENCY_RETENTION_HOURS })}\n`,
    );
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
