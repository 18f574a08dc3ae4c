import { throwAwayDatabase, type EmbeddedCluster } from '../../scripts/embedded-postgres';

declare global {
  // eslint-disable-next-line no-var
  var __AGIR_DATABASE__: Pick<EmbeddedCluster, 'stop'> | undefined;
}

/**
 * Tests run against real PostgreSQL: the server of DATABASE_URL (a superuser URL) when the
 * environment gives one, otherwise an embedded server started here for the whole run. Each test
 * file then creates its own databases on it and drops them when done.
 */
export default async function globalSetup(): Promise<void> {
  globalThis.__AGIR_DATABASE__ = await throwAwayDatabase();
}
