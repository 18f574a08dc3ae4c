import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { freePort } from '../scripts/free-port';

const CHILD = path.join(__dirname, 'support', 'embedded-postgres-child.ts');

/** Starts the stand-in for npm start; resolves with its output once its database is ready. */
async function startRun(dataDir: string, port: number): Promise<{ child: ChildProcessWithoutNullStreams; output: string[] }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dataDir, String(port)]);
  const output: string[] = [];
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output.push(...chunk.toString().split('\n').filter(Boolean));
      if (output.includes('ready')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`the run exited (${code}) before its database was ready: ${output.join(' | ')}`)));
  });
  return { child, output };
}

const exited = (child: ChildProcessWithoutNullStreams) => new Promise<number | null>((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', resolve)));

/** `npm start` after a `kill -9` of the previous one, whose database was left running. */
describe('the embedded PostgreSQL of npm start', () => {
  let parent: string;
  beforeAll(() => {
    parent = mkdtempSync(path.join(tmpdir(), 'agir-pg-left-'));
    chmodSync(parent, 0o755); // as root, PostgreSQL runs as the postgres user, which must reach it
  });
  afterAll(() => rmSync(parent, { recursive: true, force: true }));

  it('stops the server an earlier, killed run left behind, says so, and starts', async () => {
    const dataDir = path.join(parent, 'data');
    const port = await freePort();
    const first = await startRun(dataDir, port);
    first.child.kill('SIGKILL');
    await exited(first.child);
    // Its database outlived it, still holding the port.
    const leftover = new Client({ connectionString: `postgres://postgres:agir-embedded@127.0.0.1:${port}/postgres` });
    await leftover.connect();
    await leftover.end();

    const second = await startRun(dataDir, port);
    try {
      expect(second.output).toContainEqual(expect.stringMatching(/^An embedded PostgreSQL from an earlier run is still running on .+ \(pid \d+\): stopping it first\.$/));
      const client = new Client({ connectionString: `postgres://postgres:agir-embedded@127.0.0.1:${port}/postgres` });
      await client.connect();
      expect((await client.query('SELECT 1 AS un')).rows).toEqual([{ un: 1 }]);
      await client.end();
    } finally {
      second.child.kill('SIGTERM');
      expect(await exited(second.child)).toBe(0);
    }
  }, 180_000);
});
