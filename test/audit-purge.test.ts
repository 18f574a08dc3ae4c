import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { SUBGRAPH_NAMES } from '../scripts/hub';
import { startTestHub, type TestHub } from './support/hub';

const run = promisify(execFile);
const ROOT = path.join(__dirname, '..');

/** `npm run audit:purge`, as an association runs it on its own database. */
async function purge(databaseUrl: string, months: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(path.join(ROOT, 'node_modules', '.bin', 'tsx'), ['scripts/audit-purge.ts'], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: databaseUrl, AUDIT_RETENTION_MONTHS: months },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/**
 * The retention of the audit trail on real PostgreSQL: the application role can neither delete
 * nor rewrite an entry; the purge job, run as the database's owner, deletes what is older than
 * AUDIT_RETENTION_MONTHS (6 to 36) and nothing else.
 */
describe('the retention of the audit trail', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub();
  });
  afterAll(async () => {
    await hub?.stop();
  });

  it.each(SUBGRAPH_NAMES)('keeps %s’s audit trail 12 months, purged by its owner only', async (name) => {
    const db = hub.subgraphs[name].dataSource;
    // A search is an entry like any other (the constraint allows SEARCH).
    await db.query(
      `INSERT INTO audit_log (at, user_id, roles, operation, action, allowed) VALUES
         (now() - interval '13 months', 'purge-ancien', '{COORDINATION}', 'READ', 'lecture', true),
         (now() - interval '13 months', 'purge-ancien', '{COORDINATION}', 'SEARCH', 'recherche', true),
         (now() - interval '11 months', 'purge-recent', '{COORDINATION}', 'READ', 'lecture', true)`,
    );
    await expect(db.query(`DELETE FROM audit_log WHERE user_id = 'purge-ancien'`)).rejects.toThrow(/permission denied/);
    await expect(db.query(`UPDATE audit_log SET at = now() WHERE user_id = 'purge-ancien'`)).rejects.toThrow(/permission denied/);

    const tooShort = await purge(hub.ownerUrls[name], '3');
    expect(tooShort.code).toBe(1);
    expect(tooShort.stderr).toContain('AUDIT_RETENTION_MONTHS: doit être au moins 6 mois');
    const tooLong = await purge(hub.ownerUrls[name], '48');
    expect(tooLong.stderr).toContain('AUDIT_RETENTION_MONTHS: doit être au plus 36 mois');

    const done = await purge(hub.ownerUrls[name], '12');
    expect(done.code).toBe(0);
    expect(JSON.parse(done.stdout)).toEqual({ supprimees: 2, retentionMois: 12, clesIdempotenceSupprimees: 0, retentionClesHeures: 24 });
    const left = await db.query(`SELECT user_id, operation FROM audit_log WHERE user_id LIKE 'purge-%' ORDER BY id`);
    expect(left).toEqual([{ user_id: 'purge-recent', operation: 'READ' }]);
  });
});
