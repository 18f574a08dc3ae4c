/**
 * Starts an embedded PostgreSQL on the data directory and port given as arguments, prints what it
 * says and then `ready`, and waits; SIGTERM stops the database, then the process. A stand-in for
 * `npm start`'s process, for tests that kill it (the package is an ES module, which the test
 * runner's module system cannot load, so tests drive it in a process of its own).
 */
import { startEmbeddedPostgres } from '../../scripts/embedded-postgres';

const [dataDir, port] = process.argv.slice(2);
void startEmbeddedPostgres({ dataDir: dataDir!, port: Number(port), persistent: true, log: (line) => process.stdout.write(`${line}\n`) }).then((cluster) => {
  process.removeAllListeners('SIGTERM');
  process.once('SIGTERM', () => void cluster.stop().then(() => process.exit(0)));
  process.stdout.write('ready\n');
  setInterval(() => undefined, 60_000);
});
