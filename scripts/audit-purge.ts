/**
 * `npm run audit:purge`: deletes the audit entries older than the retention period
 * (AUDIT_RETENTION_MONTHS, 12 by default, 6 to 36) from one subgraph's database. DATABASE_URL must be the
 * database's OWNER role (the application role cannot delete from the audit trail); each
 * association runs it on its own database, e.g. monthly from cron.
 */
import { auditRetentionMonths, createDataSource, createLogger, postgresUrl, purgeAudit, readEnv } from '@agir/common';
import { z } from 'zod';

async function main(): Promise<void> {
  const env = readEnv('audit:purge', z.object({ DATABASE_URL: postgresUrl, AUDIT_RETENTION_MONTHS: auditRetentionMonths }), process.env);
  const { dataSource } = createDataSource({ url: env.DATABASE_URL, entities: [], migrations: [], logger: createLogger('audit-purge', 'warn') });
  await dataSource.initialize();
  try {
    const deleted = await purgeAudit(dataSource, env.AUDIT_RETENTION_MONTHS);
    process.stdout.write(`${JSON.stringify({ supprimees: deleted, retentionMois: env.AUDIT_RETENTION_MONTHS })}\n`);
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
