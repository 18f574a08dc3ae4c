import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createDataSource, createLogger, dropDatabase, ownerRole, provisionDatabase, withDatabase } from '@agir/common';
import { createSubscription, DeliveryWorker, enqueueEvent } from '@agir/common/src/webhooks';
import type { DataSource } from 'typeorm';
import { generateSigningKeys } from '../scripts/tokens';
import { startWebhookReceiver, type WebhookReceiver } from './fakes/webhook-receiver';
import { adminUrl, AUDIENCE, ISSUER } from './support/hub';

const MAIN = path.join(__dirname, '..', 'subgraphs', 'droits-logement', 'src', 'main.ts');
const SECRET = 'whsec_test_0123456789abcdefghijklmnopqrstuvwxyz';
const STRUCTURE = '00000000-0000-4000-8000-000000000002';
const PARCOURS = '6f1c2a54-7b8e-4d2a-9c1e-5a6b7c8d9e0f';

/**
 * A subgraph run as its own process, as in deployment, stopped by SIGTERM (a redeploy) while
 * webhook deliveries are in flight: they finish and are recorded, the ones not started stay
 * unclaimed for the next worker, and the process exits 0 once its pool is closed. Nothing is sent
 * twice, nothing is lost.
 */
describe('SIGTERM to a subgraph with webhook deliveries in flight', () => {
  const database = `agir_arret${randomBytes(4).toString('hex')}`;
  const password = 'arret-test';
  let dir: string;
  let app: DataSource;
  let receiver: WebhookReceiver;
  let child: ChildProcessWithoutNullStreams | undefined;

  beforeAll(async () => {
    await provisionDatabase(adminUrl(), { database, role: database, password });
    dir = mkdtempSync(path.join(tmpdir(), 'agir-arret-'));
    writeFileSync(path.join(dir, 'jwks.json'), JSON.stringify((await generateSigningKeys()).jwks));
    receiver = await startWebhookReceiver({ secret: SECRET });
  });
  afterAll(async () => {
    child?.kill('SIGKILL');
    await app?.destroy();
    await receiver?.close();
    await dropDatabase(adminUrl(), { database, role: database });
    rmSync(dir, { recursive: true, force: true });
  });

  it('finishes the deliveries in flight, leaves the others unclaimed, closes its pool and exits 0', async () => {
    const lines: string[] = [];
    child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'production',
        LOG_LEVEL: 'info',
        PORT: '0',
        DATABASE_URL: withDatabase(adminUrl(), database, { user: database, password }),
        MIGRATION_DATABASE_URL: withDatabase(adminUrl(), database, { user: ownerRole(database), password }),
        AUTH_JWKS: path.join(dir, 'jwks.json'),
        AUTH_ISSUER: ISSUER,
        AUTH_AUDIENCE: AUDIENCE,
        GATEWAY_SECRET: randomBytes(32).toString('hex'),
      },
    });
    const started = child;
    const exited = new Promise<number | null>((resolve) => started.once('exit', (code) => resolve(code)));
    started.stdout.on('data', (chunk: Buffer) => lines.push(...chunk.toString().split('\n').filter(Boolean)));
    started.stderr.on('data', (chunk: Buffer) => lines.push(...chunk.toString().split('\n').filter(Boolean)));
    const logged = async (message: string) => {
      for (let i = 0; i < 1200 && !lines.some((line) => line.includes(message)); i += 1) {
        if (started.exitCode !== null) throw new Error(`the subgraph exited (${started.exitCode}): ${lines.join('\n')}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(lines.join('\n')).toContain(message);
    };
    await logged('droits-logement ready');

    app = createDataSource({ url: withDatabase(adminUrl(), database, { user: database, password }), entities: [], migrations: [], logger: createLogger('arret-test', 'silent') }).dataSource;
    await app.initialize();
    receiver.slow(3000);
    await createSubscription(app, { structureId: STRUCTURE, url: receiver.url, eventTypes: ['PARCOURS_SORTI'], secret: SECRET });
    const enqueued = await app.transaction(async (manager) => {
      const ids: string[] = [];
      for (let i = 0; i < 10; i += 1) ids.push((await enqueueEvent(manager, { type: 'PARCOURS_SORTI', parcoursId: PARCOURS, payload: { n: i } })).id);
      return ids;
    });
    // The subscription's five slots are taken: five deliveries are in flight, each answered in 3 s.
    await receiver.waitForRequests(5, 30_000);
    started.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(lines.join('\n')).toContain('stopped: requests drained, webhook deliveries recorded, database pool closed');

    const rows = (await app.query(`SELECT status, attempts, locked_until IS NULL AS libre, count(*)::int AS n FROM webhook_delivery GROUP BY 1, 2, 3 ORDER BY 1`)) as unknown[];
    expect(rows).toEqual([
      { status: 'DELIVERED', attempts: 1, libre: true, n: 5 },
      { status: 'PENDING', attempts: 0, libre: true, n: 5 },
    ]);
    expect(receiver.requests).toHaveLength(5);

    // The next worker (the redeployed process) sends the other five at once: each event once in all.
    receiver.slow(0);
    const next = new DeliveryWorker({ dataSource: app, logger: createLogger('arret-test', 'silent') });
    expect(await next.runOnce()).toMatchObject({ claimed: 5, delivered: 5 });
    const taken = receiver.takenIds();
    expect(taken).toHaveLength(10);
    expect(new Set(taken)).toEqual(new Set(enqueued));
  }, 120_000);
});
