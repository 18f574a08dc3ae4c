import { randomBytes } from 'node:crypto';
import { createDataSource, createLogger, dropDatabase, ownerRole, provisionDatabase, withDatabase } from '@agir/common';
import {
  createSubscription,
  DeliveryWorker,
  enqueueEvent,
  listDeliveries,
  listSubscriptions,
  resumeSubscription,
  retryDelayMs,
  signWebhook,
  verifyWebhook,
  webhooksMigration,
  type DeliveryWorkerOptions,
  type WebhookEventType,
} from '@agir/common/src/webhooks';
import type { DataSource } from 'typeorm';
import { startWebhookReceiver, type WebhookReceiver } from './fakes/webhook-receiver';
import { adminUrl } from './support/hub';

/**
 * Webhooks leave through a transactional outbox: an event exists only if the change that caused
 * it committed, and the delivery worker sends every committed event at least once, signed, with
 * retries, pauses for failing subscribers, and no loss when a worker dies mid-batch.
 */
describe('webhooks: outbox, signature and delivery worker', () => {
  const database = `agir_webhooks${randomBytes(4).toString('hex')}`;
  const password = 'webhooks-test';
  const logger = createLogger('webhooks-test', 'silent');
  const STRUCTURE = '00000000-0000-4000-8000-000000000002';
  const SECRET = 'whsec_test_0123456789abcdefghijklmnopqrstuvwxyz';
  const PARCOURS = '6f1c2a54-7b8e-4d2a-9c1e-5a6b7c8d9e0f';
  let owner: DataSource;
  let app: DataSource;
  const receivers: WebhookReceiver[] = [];
  const workers: DeliveryWorker[] = [];

  // A fixed clock a second ahead of the database's, so that every delivery enqueued by the test
  // is already due; tests move it by hand.
  let now = 0;
  const clock = () => new Date(now);

  async function receiver(): Promise<WebhookReceiver> {
    const started = await startWebhookReceiver({ secret: SECRET, now: clock });
    receivers.push(started);
    return started;
  }

  function worker(options: Partial<DeliveryWorkerOptions> = {}): DeliveryWorker {
    const created = new DeliveryWorker({ dataSource: app, logger, clock, random: () => 0, timeoutMs: 2000, leaseMs: 30_000, baseDelayMs: 1000, ...options });
    workers.push(created);
    return created;
  }

  async function subscribe(url: string, eventTypes: WebhookEventType[] = ['PARCOURS_SORTI']) {
    return createSubscription(app, { structureId: STRUCTURE, url, eventTypes, secret: SECRET });
  }

  async function enqueueMany(count: number, type: WebhookEventType = 'PARCOURS_SORTI'): Promise<string[]> {
    return app.transaction(async (manager) => {
      const ids: string[] = [];
      for (let i = 0; i < count; i += 1) ids.push((await enqueueEvent(manager, { type, parcoursId: PARCOURS, payload: { n: i } })).id);
      return ids;
    });
  }

  async function deliveryOf(eventId: string) {
    const rows = (await app.query(
      `SELECT status, attempts, next_attempt_at, last_error, last_status_code, delivered_at, locked_until FROM webhook_delivery WHERE event_id = $1`,
      [eventId],
    )) as Record<string, unknown>[];
    expect(rows).toHaveLength(1);
    return rows[0]!;
  }

  async function count(sql: string): Promise<number> {
    return ((await app.query(sql)) as { n: number }[])[0]!.n;
  }

  beforeAll(async () => {
    await provisionDatabase(adminUrl(), { database, role: database, password });
    owner = createDataSource({ url: withDatabase(adminUrl(), database, { user: ownerRole(database), password }), entities: [], migrations: [webhooksMigration(1700000000600)], logger }).dataSource;
    await owner.initialize();
    await owner.runMigrations();
    app = createDataSource({ url: withDatabase(adminUrl(), database, { user: database, password }), entities: [], migrations: [], logger, poolSize: 12 }).dataSource;
    await app.initialize();
  });

  beforeEach(async () => {
    now = Date.now() + 1000;
    await app.query('DELETE FROM webhook_delivery');
    await app.query('DELETE FROM outbox_event');
    await app.query('DELETE FROM webhook_subscription');
  });

  afterEach(async () => {
    for (const w of workers.splice(0)) await w.stop({ abandon: true });
    for (const r of receivers.splice(0)) await r.close();
  });

  afterAll(async () => {
    await app?.destroy();
    await owner?.destroy();
    await dropDatabase(adminUrl(), { database, role: database });
  });

  it('emits nothing for a rolled-back change, and one delivery per subscriber for a committed one', async () => {
    const r = await receiver();
    const sortie = await subscribe(r.url, ['PARCOURS_ORIENTE', 'PARCOURS_SORTI']);
    await subscribe(r.url, ['CONTRAT_SIGNE']);
    const switchedOff = await subscribe(r.url, ['PARCOURS_SORTI']);
    await app.query('UPDATE webhook_subscription SET active = false WHERE id = $1', [switchedOff.id]);

    await expect(
      app.transaction(async (manager) => {
        await enqueueEvent(manager, { type: 'PARCOURS_SORTI', parcoursId: PARCOURS, payload: { statut: 'SORTI' } });
        throw new Error('the change itself failed');
      }),
    ).rejects.toThrow('the change itself failed');
    expect(await count('SELECT count(*)::int AS n FROM outbox_event')).toBe(0);
    expect(await count('SELECT count(*)::int AS n FROM webhook_delivery')).toBe(0);
    await expect(enqueueEvent(app.manager, { type: 'PARCOURS_SORTI', payload: {} })).rejects.toThrow(/inside the transaction of the change/);

    const committed = await app.transaction((manager) => enqueueEvent(manager, { type: 'PARCOURS_SORTI', parcoursId: PARCOURS, payload: { statut: 'SORTI' } }));
    expect(committed.deliveries).toBe(1);
    expect(await app.query('SELECT subscription_id, status, attempts FROM webhook_delivery')).toEqual([{ subscription_id: sortie.id, status: 'PENDING', attempts: 0 }]);

    expect(await worker().runOnce()).toEqual({ claimed: 1, delivered: 1, failed: 0, dead: 0, abandoned: 0 });
    expect(r.requests.map((q) => [q.eventId, q.eventType, q.answer])).toEqual([[committed.id, 'PARCOURS_SORTI', 204]]);
  });

  it('queues an event restricted to some structures for their subscriptions only', async () => {
    const r = await receiver();
    const AUTRE = '00000000-0000-4000-8000-000000000003';
    const mienne = await subscribe(r.url, ['LOGEMENT_ENTREE']);
    const autre = await createSubscription(app, { structureId: AUTRE, url: r.url, eventTypes: ['LOGEMENT_ENTREE'], secret: SECRET });

    const restreint = await app.transaction((manager) =>
      enqueueEvent(manager, { type: 'LOGEMENT_ENTREE', parcoursId: PARCOURS, payload: {}, structureIds: [STRUCTURE.toUpperCase()] }),
    );
    expect(restreint.deliveries).toBe(1);
    const pourTous = await app.transaction((manager) => enqueueEvent(manager, { type: 'LOGEMENT_ENTREE', parcoursId: PARCOURS, payload: {} }));
    expect(pourTous.deliveries).toBe(2);
    const personne = await app.transaction((manager) => enqueueEvent(manager, { type: 'LOGEMENT_ENTREE', parcoursId: PARCOURS, payload: {}, structureIds: [] }));
    expect(personne.deliveries).toBe(0);
    expect(await app.query('SELECT event_id, subscription_id FROM webhook_delivery ORDER BY created_at, subscription_id = $1 DESC', [mienne.id])).toEqual([
      { event_id: restreint.id, subscription_id: mienne.id },
      { event_id: pourTous.id, subscription_id: mienne.id },
      { event_id: pourTous.id, subscription_id: autre.id },
    ]);
    await expect(app.transaction((manager) => enqueueEvent(manager, { type: 'LOGEMENT_ENTREE', payload: {}, structureIds: ['aurore'] }))).rejects.toThrow(/structureIds must be UUIDs/);
  });

  it('signs each delivery so that the receiver refuses a tampered body and a replay', async () => {
    const r = await receiver();
    await subscribe(r.url);
    const event = await app.transaction((manager) =>
      enqueueEvent(manager, { type: 'PARCOURS_SORTI', parcoursId: PARCOURS, payload: { statut: 'SORTI', motif: 'LOGEMENT_ET_EMPLOI' }, occurredAt: new Date('2024-03-05T09:30:00.000Z') }),
    );
    expect(await worker().runOnce()).toMatchObject({ claimed: 1, delivered: 1 });

    const timestamp = Math.floor(now / 1000);
    const [request] = r.requests;
    expect(request!.verification).toEqual({ ok: true, timestamp });
    expect(request!.signature).toBe(signWebhook(SECRET, timestamp, request!.rawBody));
    expect(request!.signature).toMatch(new RegExp(`^t=${timestamp},v1=[0-9a-f]{64}$`));
    expect(JSON.parse(request!.rawBody)).toEqual({
      id: event.id,
      type: 'PARCOURS_SORTI',
      occurredAt: '2024-03-05T09:30:00.000Z',
      parcoursId: PARCOURS,
      data: { statut: 'SORTI', motif: 'LOGEMENT_ET_EMPLOI' },
    });
    expect(await deliveryOf(event.id)).toEqual({
      status: 'DELIVERED', attempts: 1, next_attempt_at: expect.any(Date), last_error: null, last_status_code: 204, delivered_at: new Date(now), locked_until: null,
    });

    // The same checks, as a receiver runs them on what it gets.
    const tampered = request!.rawBody.replace('LOGEMENT_ET_EMPLOI', 'EXCLUSION');
    expect(verifyWebhook(SECRET, request!.signature, tampered, { now: now })).toMatchObject({ ok: false, reason: 'BAD_SIGNATURE' });
    expect(verifyWebhook('whsec_another_secret_of_enough_length_000', request!.signature, request!.rawBody, { now: now })).toMatchObject({ ok: false, reason: 'BAD_SIGNATURE' });
    expect(verifyWebhook(SECRET, request!.signature, request!.rawBody, { now: now + 299_000 })).toEqual({ ok: true, timestamp });
    expect(verifyWebhook(SECRET, request!.signature, request!.rawBody, { now: now + 301_000 })).toMatchObject({ ok: false, reason: 'STALE' });
    expect(verifyWebhook(SECRET, `t=${timestamp}`, request!.rawBody, { now: now })).toMatchObject({ ok: false, reason: 'MALFORMED' });
    expect(verifyWebhook(SECRET, undefined, request!.rawBody, { now: now })).toMatchObject({ ok: false, reason: 'MALFORMED' });

    // And over HTTP: an attacker replaying the captured request, altered, or later.
    const replay = (body: string) =>
      fetch(r.url, { method: 'POST', headers: { 'content-type': 'application/json', 'X-Agir-Signature': request!.signature, 'X-Agir-Event-Id': event.id }, body });
    expect((await replay(tampered)).status).toBe(401);
    now += 6 * 60_000;
    expect((await replay(request!.rawBody)).status).toBe(401);
    expect(r.requests.map((q) => [q.answer, q.verification.ok ? 'OK' : q.verification.reason])).toEqual([[204, 'OK'], [401, 'BAD_SIGNATURE'], [401, 'STALE']]);
  });

  it('retries a failing delivery with growing, jittered, capped delays, then gives it up as DEAD', async () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => retryDelayMs(n, { baseDelayMs: 1000, maxDelayMs: 30_000, jitter: 0 }))).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000]);
    expect(retryDelayMs(1, { baseDelayMs: 1000, maxDelayMs: 30_000, jitter: 0.2 }, () => 1)).toBe(800);

    const r = await receiver();
    const subscription = await subscribe(r.url);
    r.failAlways(503);
    const [eventId] = await enqueueMany(1);
    const w = worker({ maxAttempts: 4, baseDelayMs: 1000, maxDelayMs: 3000, jitter: 0.5, random: () => 0.5, pauseAfterConsecutiveFailures: 100 });

    const delays: number[] = [];
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      expect(await w.runOnce()).toEqual({ claimed: 1, delivered: 0, failed: 1, dead: 0, abandoned: 0 });
      const row = await deliveryOf(eventId!);
      expect(row).toMatchObject({ status: 'FAILED', attempts: attempt, last_status_code: 503, last_error: 'HTTP 503: refused (test failure)', locked_until: null });
      const due = (row.next_attempt_at as Date).getTime();
      delays.push(due - now);
      now = due - 1;
      expect((await w.runOnce()).claimed).toBe(0);
      now = due;
    }
    // base·2^n minus a quarter (jitter 0.5 × random 0.5), the third capped at 3000 before jitter.
    expect(delays).toEqual([750, 1500, 2250]);
    expect(await w.runOnce()).toEqual({ claimed: 1, delivered: 0, failed: 0, dead: 1, abandoned: 0 });
    now += 24 * 3600_000;
    expect((await w.runOnce()).claimed).toBe(0);

    expect(r.requests.map((q) => [q.eventId, q.verification.ok, q.answer])).toEqual(Array(4).fill([eventId, true, 503]));
    expect(await listDeliveries(app, { subscriptionId: subscription.id, status: 'DEAD', limit: 10 })).toEqual([
      {
        id: expect.any(String), eventId, eventType: 'PARCOURS_SORTI', parcoursId: PARCOURS, subscriptionId: subscription.id, status: 'DEAD', attempts: 4,
        nextAttemptAt: expect.any(Date), lastError: 'HTTP 503: refused (test failure)', lastStatusCode: 503, deliveredAt: null, createdAt: expect.any(Date),
      },
    ]);
    expect(await listDeliveries(app, { subscriptionId: subscription.id, status: 'DELIVERED', limit: 10 })).toEqual([]);
  });

  it('counts a receiver that answers too slowly as a failure, and sends the same event id again', async () => {
    const r = await receiver();
    await subscribe(r.url);
    const [eventId] = await enqueueMany(1);
    r.slow(1500);
    const w = worker({ timeoutMs: 300, leaseMs: 1300 });
    expect(await w.runOnce()).toMatchObject({ claimed: 1, failed: 1 });
    expect(await deliveryOf(eventId!)).toMatchObject({ status: 'FAILED', attempts: 1, last_error: 'no response within 300 ms', last_status_code: null });
    r.succeed();
    now += 1000;
    expect(await w.runOnce()).toMatchObject({ claimed: 1, delivered: 1 });
    expect(r.requests.map((q) => q.eventId)).toEqual([eventId, eventId]);
  });

  it('pauses a subscriber that keeps failing, keeps queueing its events, and delivers them all on resume', async () => {
    const r = await receiver();
    const subscription = await subscribe(r.url);
    const w = worker({ batchSize: 10, pauseAfterConsecutiveFailures: 3, baseDelayMs: 1000, maxAttempts: 10 });

    // Two failures then a success: the count starts again from zero.
    r.failNext(2);
    const [first] = await enqueueMany(1);
    for (let i = 0; i < 2; i += 1) {
      expect(await w.runOnce()).toMatchObject({ claimed: 1, failed: 1 });
      now += 5000;
    }
    expect((await listSubscriptions(app, STRUCTURE))[0]).toMatchObject({ active: true, consecutiveFailures: 2 });
    expect(await w.runOnce()).toMatchObject({ claimed: 1, delivered: 1 });
    expect((await listSubscriptions(app, STRUCTURE))[0]).toMatchObject({ active: true, consecutiveFailures: 0, pausedAt: null });

    await r.down();
    const queued = await enqueueMany(5);
    expect(await w.runOnce()).toEqual({ claimed: 5, delivered: 0, failed: 5, dead: 0, abandoned: 0 });
    const pausedAt = new Date(now);
    expect(await listSubscriptions(app, STRUCTURE)).toEqual([
      { id: subscription.id, structureId: STRUCTURE, url: r.url, eventTypes: ['PARCOURS_SORTI'], active: false, pausedAt, consecutiveFailures: 5, createdAt: expect.any(Date) },
    ]);
    expect((await deliveryOf(queued[0]!)).last_error).toMatch(/^fetch failed/);

    // Paused: due deliveries wait, and new events still queue for it.
    now += 60_000;
    expect((await w.runOnce()).claimed).toBe(0);
    const [duringPause] = await enqueueMany(1);
    expect(await count(`SELECT count(*)::int AS n FROM webhook_delivery WHERE status = 'PENDING'`)).toBe(1);
    expect((await w.runOnce()).claimed).toBe(0);

    await r.up();
    expect(await resumeSubscription(app, subscription.id, { structureId: STRUCTURE, now: clock() })).toMatchObject({ active: true, pausedAt: null, consecutiveFailures: 0 });
    expect(await resumeSubscription(app, subscription.id, { structureId: '00000000-0000-4000-8000-000000000099' })).toBeNull();
    expect(await w.runOnce()).toEqual({ claimed: 6, delivered: 6, failed: 0, dead: 0, abandoned: 0 });
    expect(new Set(r.takenIds())).toEqual(new Set([first, ...queued, duringPause]));
    expect(await count(`SELECT count(*)::int AS n FROM webhook_delivery WHERE status = 'DELIVERED'`)).toBe(7);
  });

  it('loses nothing when a worker dies mid-batch: a new worker resends, after the lease, only what was in flight', async () => {
    const r = await receiver();
    const subscription = await subscribe(r.url);
    const enqueued = await enqueueMany(200);
    const started = now;
    // The 151st request onwards hang: the subscription's 5 slots fill with hung deliveries, and
    // nothing more goes to it while they hang.
    r.hangAfter(150);
    const a = worker({ batchSize: 20, pollIntervalMs: 10, leaseMs: 30_000, timeoutMs: 10_000 });
    a.start();
    await r.waitForRequests(155, 15_000);
    for (let i = 0; i < 1500 && (await count(`SELECT count(*)::int AS n FROM webhook_delivery WHERE status = 'DELIVERED'`)) < 150; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(a.inFlight).toBe(5);
    await a.stop({ abandon: true });

    const hung = r.requests.filter((q) => q.answer === 'HUNG').map((q) => q.eventId);
    expect(hung).toHaveLength(5);
    const leased = ((await app.query(`SELECT event_id FROM webhook_delivery WHERE status = 'PENDING' AND locked_until > $1`, [clock()])) as { event_id: string }[]).map((row) => row.event_id);
    expect(new Set(leased)).toEqual(new Set(hung));
    expect(await count(`SELECT count(*)::int AS n FROM webhook_delivery WHERE status = 'DELIVERED'`)).toBe(150);

    // A new worker before the lease is over sends the 45 never claimed, not the 5 leased.
    r.succeed();
    const b = worker({ batchSize: 20, leaseMs: 30_000, timeoutMs: 10_000 });
    now = started + 29_000;
    expect(await b.runOnce()).toMatchObject({ claimed: 20, delivered: 20 });
    expect(await b.runOnce()).toMatchObject({ claimed: 20, delivered: 20 });
    expect(await b.runOnce()).toMatchObject({ claimed: 5, delivered: 5 });
    expect((await b.runOnce()).claimed).toBe(0);
    // Once it is over, the in-flight ones go again.
    now = started + 30_001;
    expect(await b.runOnce()).toEqual({ claimed: 5, delivered: 5, failed: 0, dead: 0, abandoned: 0 });
    expect((await b.runOnce()).claimed).toBe(0);

    expect(r.requests).toHaveLength(205);
    expect(r.requests.every((q) => q.verification.ok)).toBe(true);
    const taken = r.takenIds();
    expect(new Set(taken)).toEqual(new Set(enqueued));
    const seen = new Map<string, number>();
    for (const id of taken) seen.set(id, (seen.get(id) ?? 0) + 1);
    const duplicated = [...seen].filter(([, n]) => n > 1);
    expect(new Set(duplicated.map(([id]) => id))).toEqual(new Set(hung));
    expect(duplicated.every(([, n]) => n === 2)).toBe(true);
    expect(await app.query(`SELECT status, attempts, count(*)::int AS n FROM webhook_delivery WHERE subscription_id = $1 GROUP BY 1, 2 ORDER BY 2`, [subscription.id])).toEqual([
      { status: 'DELIVERED', attempts: 1, n: 195 },
      { status: 'DELIVERED', attempts: 2, n: 5 },
    ]);
  });

  it('gives up as DEAD a delivery whose last attempt never got a result (its worker died)', async () => {
    const r = await receiver();
    await subscribe(r.url);
    const [eventId] = await enqueueMany(1);
    r.hangAfter(0);
    const started = now;
    const a = worker({ maxAttempts: 1 });
    const round = a.runOnce();
    await r.waitForRequests(1);
    await a.stop({ abandon: true });
    expect(await round).toEqual({ claimed: 1, delivered: 0, failed: 0, dead: 0, abandoned: 1 });
    expect(await deliveryOf(eventId!)).toMatchObject({ status: 'PENDING', attempts: 1, locked_until: new Date(started + 30_000) });

    const b = worker({ maxAttempts: 1 });
    now = started + 29_999;
    expect(await b.runOnce()).toEqual({ claimed: 0, delivered: 0, failed: 0, dead: 0, abandoned: 0 });
    now = started + 30_000;
    expect(await b.runOnce()).toEqual({ claimed: 0, delivered: 0, failed: 0, dead: 1, abandoned: 0 });
    expect(await deliveryOf(eventId!)).toMatchObject({
      status: 'DEAD', attempts: 1, locked_until: null, last_error: 'no result recorded for the last attempt (worker stopped during the delivery)',
    });
    expect(r.requests).toHaveLength(1);
  });

  it('never has two concurrent workers send the same delivery', async () => {
    const r = await receiver();
    await subscribe(r.url);
    const enqueued = await enqueueMany(100);
    r.slow(5);
    const a = worker({ batchSize: 10 });
    const b = worker({ batchSize: 10 });
    for (let round = 0; round < 5; round += 1) {
      const [fromA, fromB] = await Promise.all([a.runOnce(), b.runOnce()]);
      expect([fromA.claimed, fromA.delivered, fromB.claimed, fromB.delivered]).toEqual([10, 10, 10, 10]);
    }
    expect((await Promise.all([a.runOnce(), b.runOnce()])).map((s) => s.claimed)).toEqual([0, 0]);
    expect(r.requests).toHaveLength(100);
    expect(new Set(r.requests.map((q) => q.eventId))).toEqual(new Set(enqueued));
    expect(await app.query(`SELECT status, attempts, count(*)::int AS n FROM webhook_delivery GROUP BY 1, 2`)).toEqual([{ status: 'DELIVERED', attempts: 1, n: 100 }]);
  });

  it('serves a healthy receiver in full while another hangs: each receiver uses up only its own slots', async () => {
    const hanging = await receiver();
    const healthy = await receiver();
    hanging.hangAfter(0);
    await subscribe(hanging.url);
    await subscribe(healthy.url);
    // Every event goes to both subscriptions; the hanging receiver's deliveries come first in the queue.
    const enqueued = await enqueueMany(50);
    // Due now whatever time the enqueueing took on a busy machine.
    now = Date.now() + 1000;
    // A delivery that gets no answer waits out its timeout; this one is long enough that the
    // healthy receiver's 50 must all arrive before the hanging receiver's first timeout.
    const w = worker({ batchSize: 20, perSubscriptionConcurrency: 5, pollIntervalMs: 10, timeoutMs: 60_000, leaseMs: 90_000 });
    w.start();
    await healthy.waitForRequests(50, 50_000);
    expect(new Set(healthy.takenIds())).toEqual(new Set(enqueued));
    for (let i = 0; i < 2000 && (await count(`SELECT count(*)::int AS n FROM webhook_delivery WHERE status = 'DELIVERED'`)) < 50; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(await count(`SELECT count(*)::int AS n FROM webhook_delivery WHERE status = 'DELIVERED'`)).toBe(50);
    // The hanging receiver holds its 5 slots, and only those: no delivery of it has failed yet.
    expect(hanging.requests).toHaveLength(5);
    expect(w.inFlight).toBe(5);
    expect(await count(`SELECT count(*)::int AS n FROM webhook_delivery WHERE status = 'FAILED'`)).toBe(0);
  }, 60_000);

  it('refuses a per-subscription concurrency above the overall one', () => {
    expect(() => worker({ batchSize: 4, perSubscriptionConcurrency: 5 })).toThrow('perSubscriptionConcurrency (5) must not exceed batchSize (4)');
  });

  it('stops gracefully: the deliveries in flight finish and are recorded', async () => {
    const r = await receiver();
    await subscribe(r.url);
    const enqueued = await enqueueMany(5);
    r.slow(200);
    const w = worker({ batchSize: 5, pollIntervalMs: 10 });
    w.start();
    await r.waitForRequests(5);
    await w.stop();
    expect(w.inFlight).toBe(0);
    expect(await count(`SELECT count(*)::int AS n FROM webhook_delivery WHERE status = 'DELIVERED' AND locked_until IS NULL`)).toBe(5);
    expect(new Set(r.takenIds())).toEqual(new Set(enqueued));
  });

  it('accepts only https subscriber URLs (http on the loopback for tests) and known event types', async () => {
    await expect(subscribe('http://outil.example.org/hook')).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'url' } });
    await expect(subscribe('https://user:pw@outil.example.org/hook')).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'url' } });
    await expect(subscribe('ftp://outil.example.org/hook')).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'url' } });
    await expect(createSubscription(app, { structureId: STRUCTURE, url: 'https://outil.example.org/hook', eventTypes: ['PARCOURS_PERDU'] })).rejects.toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', field: 'eventTypes' },
    });
    const created = await createSubscription(app, { structureId: STRUCTURE, url: 'https://outil.example.org/hook', eventTypes: ['PARCOURS_SORTI', 'CONTRAT_SIGNE', 'PARCOURS_SORTI'] });
    expect(created).toMatchObject({ url: 'https://outil.example.org/hook', eventTypes: ['CONTRAT_SIGNE', 'PARCOURS_SORTI'], active: true, pausedAt: null, consecutiveFailures: 0 });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect((await subscribe('http://localhost:8080/hook')).url).toBe('http://localhost:8080/hook');
    expect((await listSubscriptions(app, STRUCTURE)).map((s) => Object.keys(s).includes('secret'))).toEqual([false, false]);
  });

  it('keeps committed events immutable for the application role', async () => {
    const [eventId] = await enqueueMany(1);
    await expect(app.query(`UPDATE outbox_event SET payload = '{}' WHERE id = $1`, [eventId])).rejects.toMatchObject({ driverError: expect.objectContaining({ code: '42501' }) });
  });
});
