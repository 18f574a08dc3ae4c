import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, startEmbeddedPostgres, type EmbeddedCluster } from '../../scripts/embedded-postgres';

declare global {
  // eslint-disable-next-line no-var
  var __AGIR_EMBEDDED__: EmbeddedCluster | undefined;
}


/**
 * Tests run against real PostgreSQL: the server of DATABASE_URL (a superuser URL) when the
 * environment gives one, otherwise an embedded server started here for the whole run. Each test
 * file then creates its own databases on it and drops them when done.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.DATABASE_URL) return;
  const parent = mkdtempSync(path.join(tmpdir(), 'agir-test-pg-'));
  // As root, PostgreSQL runs as the `postgres` user, which must be able to reach its data directory.
  chmodSync(parent, 0o755);
  const dataDir = path.join(parent, 'data');
  const cluster = await startEmbeddedPostgres({ dataDir, port: await freePort(), persistent: false });
  globalThis.__AGIR_EMBEDDED__ = cluster;
  process.env.DATABASE_URL = cluster.adminUrl;
}
