import type { DataSource } from 'typeorm';
import type { Logger } from '../logger';
import { OUTBOX_EVENT_TABLE, WEBHOOK_DELIVERY_TABLE, WEBHOOK_SUBSCRIPTION_TABLE } from './migration';
import type { WebhookEventType } from './outbox';
import { EVENT_ID_HEADER, EVENT_TYPE_HEADER, SIGNATURE_HEADER, signWebhook } from './signature';

/**
 * The body every delivery carries. `id` is the event id: the same on every retry and for every
 * subscriber, so a receiver that stores the ids it has processed turns at-least-once into
 * effectively-once. No ordering is promised between events; `occurredAt` says which came first.
 */
export interface WebhookBody {
  id: string;
  type: WebhookEventType;
  occurredAt: string;
  parcoursId: string | null;
  data: Record<string, unknown>;
}

export interface RetryPolicy {
  /** The delay after the first failed attempt; it doubles with each further failure. */
  baseDelayMs: number;
  /** No delay grows beyond this. */
  maxDelayMs: number;
  /**
   * Fraction of the delay taken off at random (0 to 1), so that the deliveries that failed
   * together (a receiver's outage) do not all come back in the same second.
   */
  jitter: number;
}

/**
 * The wait before the next attempt, after `failedAttempts` attempts have failed (1 for the first):
 * base·2^(failedAttempts−1), capped at maxDelayMs, minus up to `jitter` of it.
 */
export function retryDelayMs(failedAttempts: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const exponent = Math.max(0, failedAttempts - 1);
  // 2^exponent overflows to Infinity long before it matters; min() handles that too.
  const capped = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** exponent);
  return Math.round(capped * (1 - policy.jitter * random()));
}

export interface DeliveryWorkerOptions {
  /** The subgraph's data source, as the application role. */
  dataSource: DataSource;
  logger: Logger;
  /**
   * The worker's clock (leases, due dates, signature timestamps); tests inject one. New deliveries
   * are due from the database's `now()`, so in production both clocks should agree (NTP).
   */
  clock?: () => Date;
  /** The jitter's randomness, in [0, 1); tests inject a constant. */
  random?: () => number;
  /**
   * Deliveries in flight at once, all receivers together (and claimed per `runOnce` round).
   * Default 20.
   */
  batchSize?: number;
  /**
   * Deliveries in flight at once to one subscription, so that a slow or hanging receiver uses up
   * its own share and never the others'. Default 5.
   */
  perSubscriptionConcurrency?: number;
  /** The wait between rounds when a round found less than a full batch. Default 1 s. */
  pollIntervalMs?: number;
  /** The HTTP timeout of one delivery, response included. Default 10 s. */
  timeoutMs?: number;
  /**
   * How long a claim is held. It must exceed the timeout: a delivery still running when its lease
   * runs out could be claimed and sent again by another worker. Default 60 s.
   */
  leaseMs?: number;
  /** Attempts before a delivery is DEAD. Default 12 (about 15 hours with the default back-off). */
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  jitter?: number;
  /** Failed attempts in a row, across deliveries, after which a subscription is paused. Default 20. */
  pauseAfterConsecutiveFailures?: number;
  /** The HTTP client; the global fetch by default. */
  fetch?: typeof fetch;
}

export interface RunSummary {
  /** Deliveries claimed this round. */
  claimed: number;
  delivered: number;
  /** Failed and to be retried. */
  failed: number;
  /** Failed for the last time this round, or found exhausted after a crashed worker's lease. */
  dead: number;
  /** Not recorded because the worker was abandoned mid-flight (their leases will expire). */
  abandoned: number;
}

interface ClaimedDelivery {
  id: string;
  event_id: string;
  subscription_id: string;
  attempts: number;
  lease_token: string;
  type: WebhookEventType;
  parcours_id: string | null;
  payload: Record<string, unknown>;
  occurred_at: Date;
  url: string;
  secret: string;
}

type Outcome =
  | { kind: 'DELIVERED'; statusCode: number }
  | { kind: 'FAILED'; statusCode: number | null; error: string }
  | { kind: 'ABANDONED' };

const USER_AGENT = 'AGIR-Hub-Webhooks/1.0';
const ERROR_SNIPPET = 300;

function positiveInteger(problems: string[], name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) problems.push(`${name} must be a positive integer, got ${String(value)}`);
}

/**
 * Sends the queued deliveries of one subgraph's database. Any number of workers may run against
 * the same database: each round claims due deliveries with `FOR UPDATE SKIP LOCKED` and writes a
 * lease on them (`locked_until`, `lease_token`) in the same statement, so no two workers hold the
 * same delivery at once; the result is written only by the holder of the lease. A worker that dies
 * mid-delivery leaves its leases to expire, after which the deliveries are claimed again: an event
 * is never lost, and is sent twice only if it was in flight at the crash (at-least-once).
 *
 * The retry policy is the outbox's own (each attempt is a row update with its due date), so the
 * HTTP call itself is a plain fetch with a timeout and no retry of its own.
 */
export class DeliveryWorker {
  private readonly db: DataSource;
  private readonly logger: Logger;
  private readonly clock: () => Date;
  private readonly random: () => number;
  private readonly fetch: typeof fetch;
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly timeoutMs: number;
  private readonly leaseMs: number;
  private readonly maxAttempts: number;
  private readonly retry: RetryPolicy;
  private readonly pauseAfter: number;

  private loop: Promise<void> | undefined;
  private stopping = false;
  private abandoned = false;
  private wake: (() => void) | undefined;
  private readonly abort = new AbortController();
  private readonly rounds = new Set<Promise<RunSummary>>();
  /** The deliveries the running loop launched, each on its own. */
  private readonly launched = new Set<Promise<void>>();
  private readonly inFlightBySubscription = new Map<string, number>();
  private readonly perSubscription: number;
  /** The loop's last claim filled every free slot: a finished delivery should wake it. */
  private saturated = false;
  private inFlightCount = 0;

  constructor(options: DeliveryWorkerOptions) {
    this.db = options.dataSource;
    this.logger = options.logger;
    this.clock = options.clock ?? (() => new Date());
    this.random = options.random ?? Math.random;
    this.fetch = options.fetch ?? fetch;
    this.batchSize = options.batchSize ?? 20;
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.leaseMs = options.leaseMs ?? 60_000;
    this.maxAttempts = options.maxAttempts ?? 12;
    this.retry = { baseDelayMs: options.baseDelayMs ?? 30_000, maxDelayMs: options.maxDelayMs ?? 6 * 3600_000, jitter: options.jitter ?? 0.2 };
    this.pauseAfter = options.pauseAfterConsecutiveFailures ?? 20;
    this.perSubscription = options.perSubscriptionConcurrency ?? Math.min(5, this.batchSize);

    const problems: string[] = [];
    positiveInteger(problems, 'batchSize', this.batchSize);
    positiveInteger(problems, 'pollIntervalMs', this.pollIntervalMs);
    positiveInteger(problems, 'timeoutMs', this.timeoutMs);
    positiveInteger(problems, 'leaseMs', this.leaseMs);
    positiveInteger(problems, 'maxAttempts', this.maxAttempts);
    positiveInteger(problems, 'baseDelayMs', this.retry.baseDelayMs);
    positiveInteger(problems, 'maxDelayMs', this.retry.maxDelayMs);
    positiveInteger(problems, 'pauseAfterConsecutiveFailures', this.pauseAfter);
    positiveInteger(problems, 'perSubscriptionConcurrency', this.perSubscription);
    if (this.perSubscription > this.batchSize) problems.push(`perSubscriptionConcurrency (${this.perSubscription}) must not exceed batchSize (${this.batchSize})`);
    if (!(this.retry.jitter >= 0 && this.retry.jitter <= 1)) problems.push(`jitter must be between 0 and 1, got ${String(this.retry.jitter)}`);
    // The margin covers recording the result after the response: the lease must outlive both.
    if (this.leaseMs < this.timeoutMs + 1000) problems.push(`leaseMs (${this.leaseMs}) must exceed timeoutMs (${this.timeoutMs}) by at least 1000 ms, or a slow delivery could be claimed twice`);
    if (problems.length > 0) throw new Error(`DeliveryWorker options are invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }

  /** Deliveries being sent right now. */
  get inFlight(): number {
    return this.inFlightCount;
  }

  /**
   * Sends deliveries until `stop()`. Each delivery runs on its own: whenever slots are free (at
   * most `batchSize` in flight, `perSubscriptionConcurrency` per subscription) the due deliveries
   * are claimed for them, so a delivery never waits for another to finish, and a receiver that
   * hangs holds its own slots until its timeout while the others are served. Claims again at once
   * when a delivery frees a slot the last claim could have used, else every pollIntervalMs.
   */
  start(): void {
    if (this.loop) throw new Error('DeliveryWorker.start: already started');
    if (this.stopping) throw new Error('DeliveryWorker.start: this worker was stopped; create a new one');
    this.loop = this.run();
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      const free = this.batchSize - this.inFlightCount;
      let claimed = 0;
      if (free > 0) {
        try {
          const now = this.clock();
          await this.sweepExhausted(now);
          const batch = await this.claim(now, free, this.perSubscription);
          claimed = batch.length;
          // Claimed while a stop began: handed back untouched rather than sent during the stop.
          if (this.stopping) await this.release(batch);
          else for (const delivery of batch) this.launch(delivery);
        } catch (error) {
          // A database outage must not end the loop: log it and try again after the usual wait.
          this.logger.error({ err: error }, 'webhook delivery round failed');
        }
      }
      if (this.stopping) break;
      this.saturated = free === 0 || claimed === free;
      if (free > 0 && claimed === free) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.pollIntervalMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }

  /** Gives claimed deliveries back as they were before the claim: no attempt counted, no lease. */
  private async release(batch: ClaimedDelivery[]): Promise<void> {
    if (batch.length === 0 || this.abandoned) return;
    await this.db.query(
      `UPDATE ${WEBHOOK_DELIVERY_TABLE} d SET attempts = d.attempts - 1, locked_until = NULL, lease_token = NULL
       FROM unnest($1::uuid[], $2::uuid[]) AS r(id, lease_token)
       WHERE d.id = r.id AND d.lease_token = r.lease_token`,
      [batch.map((d) => d.id), batch.map((d) => d.lease_token)],
    );
  }

  /** Sends one claimed delivery on its own, holding a slot of its subscription meanwhile. */
  private launch(delivery: ClaimedDelivery): void {
    const subscription = delivery.subscription_id;
    this.inFlightBySubscription.set(subscription, (this.inFlightBySubscription.get(subscription) ?? 0) + 1);
    const sent: Promise<void> = this.deliver(delivery).then(
      () => undefined,
      // Its result could not be written (the database went away): its lease expires and it goes again.
      (error: unknown) => this.logger.error({ err: error, deliveryId: delivery.id }, 'webhook delivery result not recorded'),
    );
    this.launched.add(sent);
    void sent.finally(() => {
      this.launched.delete(sent);
      const left = (this.inFlightBySubscription.get(subscription) ?? 1) - 1;
      if (left > 0) this.inFlightBySubscription.set(subscription, left);
      else this.inFlightBySubscription.delete(subscription);
      if (this.saturated) this.wake?.();
    });
  }

  /**
   * Stops the worker. By default gracefully: no new round starts, and the deliveries in flight are
   * finished and recorded before the promise resolves. With `abandon: true` it behaves like a
   * crash, for tests: requests in flight are cut and nothing more is written, so their leases are
   * left to expire and another worker sends them again.
   */
  async stop(options: { abandon?: boolean } = {}): Promise<void> {
    this.stopping = true;
    if (options.abandon) {
      this.abandoned = true;
      this.abort.abort(new Error('delivery worker abandoned'));
    }
    this.wake?.();
    await Promise.allSettled([this.loop, ...this.rounds]);
    await Promise.allSettled([...this.launched]);
  }

  /** One round: claim the due deliveries, send them concurrently, record each result. */
  runOnce(): Promise<RunSummary> {
    const round = this.round();
    this.rounds.add(round);
    const forget = () => this.rounds.delete(round);
    round.then(forget, forget);
    return round;
  }

  private async round(): Promise<RunSummary> {
    const summary: RunSummary = { claimed: 0, delivered: 0, failed: 0, dead: 0, abandoned: 0 };
    if (this.abandoned) return summary;
    const now = this.clock();
    summary.dead += await this.sweepExhausted(now);
    const claimed = await this.claim(now, this.batchSize, this.batchSize);
    summary.claimed = claimed.length;
    // allSettled: one result that fails to be written must not hide the others still in flight
    // (a graceful stop waits for all of them); its lease expires and it is sent again.
    const results = await Promise.allSettled(claimed.map((delivery) => this.deliver(delivery)));
    const failure = results.find((result) => result.status === 'rejected');
    if (failure) throw failure.reason;
    for (const result of results) if (result.status === 'fulfilled') summary[result.value] += 1;
    return summary;
  }

  /**
   * Deliveries whose last allowed attempt was claimed by a worker that never recorded it (it
   * crashed, or was cut off) would otherwise stay PENDING forever: once the lease is over they
   * are DEAD. Attempts are counted at claim time precisely so that a delivery which kills its
   * worker every time cannot be retried without end.
   */
  private async sweepExhausted(now: Date): Promise<number> {
    const rows = (await this.db.query(
      `WITH swept AS (
         UPDATE ${WEBHOOK_DELIVERY_TABLE}
         SET status = 'DEAD', locked_until = NULL, lease_token = NULL,
             last_error = coalesce(last_error || ' / ', '') || 'no result recorded for the last attempt (worker stopped during the delivery)'
         WHERE status IN ('PENDING', 'FAILED') AND attempts >= $2 AND (locked_until IS NULL OR locked_until <= $1)
         RETURNING 1
       )
       SELECT count(*)::int AS n FROM swept`,
      [now, this.maxAttempts],
    )) as { n: number }[];
    return rows[0]!.n;
  }

  /**
   * Claims up to `limit` due deliveries, at most `perSubscription` per subscription counting those
   * this worker has in flight. SKIP LOCKED lets concurrent workers take disjoint rows instead of
   * queueing on each other's locks; the row locks last only for this statement, the lease written
   * here is what keeps other workers away for the duration of the HTTP call.
   */
  private async claim(now: Date, limit: number, perSubscription: number): Promise<ClaimedDelivery[]> {
    const busy = [...this.inFlightBySubscription];
    return (await this.db.query(
      `WITH busy AS (
         SELECT * FROM unnest($5::uuid[], $6::int[]) AS b(subscription_id, n)
       ), due AS (
         SELECT picked.id, picked.next_attempt_at
         FROM ${WEBHOOK_SUBSCRIPTION_TABLE} s
         LEFT JOIN busy ON busy.subscription_id = s.id
         CROSS JOIN LATERAL (
           SELECT d.id, d.next_attempt_at FROM ${WEBHOOK_DELIVERY_TABLE} d
           WHERE d.subscription_id = s.id
             AND d.status IN ('PENDING', 'FAILED') AND d.next_attempt_at <= $1
             AND (d.locked_until IS NULL OR d.locked_until <= $1)
             AND d.attempts < $4
           ORDER BY d.next_attempt_at, d.id
           LIMIT greatest(0, $7 - coalesce(busy.n, 0))
           FOR UPDATE OF d SKIP LOCKED
         ) picked
         WHERE s.active
         ORDER BY picked.next_attempt_at, picked.id
         LIMIT $2
       ), claimed AS (
         UPDATE ${WEBHOOK_DELIVERY_TABLE} d
         SET attempts = d.attempts + 1, locked_until = $3, lease_token = gen_random_uuid()
         FROM due WHERE d.id = due.id
         RETURNING d.id, d.event_id, d.subscription_id, d.attempts, d.lease_token
       )
       SELECT c.id, c.event_id, c.subscription_id, c.attempts, c.lease_token,
              e.type, e.parcours_id, e.payload, e.occurred_at, s.url, s.secret
       FROM claimed c
       JOIN ${OUTBOX_EVENT_TABLE} e ON e.id = c.event_id
       JOIN ${WEBHOOK_SUBSCRIPTION_TABLE} s ON s.id = c.subscription_id`,
      [now, limit, new Date(now.getTime() + this.leaseMs), this.maxAttempts, busy.map(([id]) => id), busy.map(([, n]) => n), perSubscription],
    )) as ClaimedDelivery[];
  }

  private async deliver(delivery: ClaimedDelivery): Promise<keyof Omit<RunSummary, 'claimed'>> {
    this.inFlightCount += 1;
    let outcome: Outcome;
    try {
      outcome = await this.send(delivery);
    } finally {
      this.inFlightCount -= 1;
    }
    if (outcome.kind === 'ABANDONED' || this.abandoned) return 'abandoned';
    if (outcome.kind === 'DELIVERED') {
      await this.recordSuccess(delivery, outcome.statusCode);
      return 'delivered';
    }
    return this.recordFailure(delivery, outcome);
  }

  private async send(delivery: ClaimedDelivery): Promise<Outcome> {
    // An abort that came before this delivery started would never reach its listener.
    if (this.abandoned) return { kind: 'ABANDONED' };
    const body: WebhookBody = {
      id: delivery.event_id,
      type: delivery.type,
      occurredAt: delivery.occurred_at.toISOString(),
      parcoursId: delivery.parcours_id,
      data: delivery.payload,
    };
    const rawBody = JSON.stringify(body);
    const timestamp = Math.floor(this.clock().getTime() / 1000);
    // One controller per delivery, aborted by its own timeout or by an abandoning stop. (Not
    // AbortSignal.any over the worker's long-lived signal: that would attach one more dependent
    // signal to it per delivery, for the life of the process.)
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new DOMException(`no response within ${this.timeoutMs} ms`, 'TimeoutError')), this.timeoutMs);
    const onAbandon = () => controller.abort(this.abort.signal.reason);
    this.abort.signal.addEventListener('abort', onAbandon, { once: true });
    try {
      const response = await this.fetch(delivery.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': USER_AGENT,
          [SIGNATURE_HEADER]: signWebhook(delivery.secret, timestamp, rawBody),
          [EVENT_ID_HEADER]: delivery.event_id,
          [EVENT_TYPE_HEADER]: delivery.type,
        },
        body: rawBody,
        // A redirect would resend a signed body to a URL nobody subscribed: report it instead.
        redirect: 'manual',
        signal: controller.signal,
      });
      if (response.status >= 200 && response.status < 300) {
        await response.body?.cancel().catch(() => undefined);
        return { kind: 'DELIVERED', statusCode: response.status };
      }
      if (response.status >= 300 && response.status < 400) {
        await response.body?.cancel().catch(() => undefined);
        const location = response.headers.get('location') ?? '(no Location)';
        return { kind: 'FAILED', statusCode: response.status, error: `HTTP ${response.status} redirect to ${location.slice(0, 200)} not followed: update the subscription URL` };
      }
      const text = await response.text().catch(() => '');
      const snippet = text.replace(/\s+/g, ' ').trim().slice(0, ERROR_SNIPPET);
      return { kind: 'FAILED', statusCode: response.status, error: `HTTP ${response.status}${snippet ? `: ${snippet}` : ''}` };
    } catch (error) {
      if (this.abandoned) return { kind: 'ABANDONED' };
      return { kind: 'FAILED', statusCode: null, error: this.describe(error) };
    } finally {
      clearTimeout(timer);
      this.abort.signal.removeEventListener('abort', onAbandon);
    }
  }

  private describe(error: unknown): string {
    const e = error as { name?: string; message?: string; cause?: { message?: string } } | null;
    if (e?.name === 'TimeoutError') return `no response within ${this.timeoutMs} ms`;
    const cause = e?.cause?.message ? `: ${e.cause.message}` : '';
    return `${e?.message ?? String(error)}${cause}`.slice(0, ERROR_SNIPPET);
  }

  private async recordSuccess(delivery: ClaimedDelivery, statusCode: number): Promise<void> {
    const rows = (await this.db.query(
      `WITH done AS (
         UPDATE ${WEBHOOK_DELIVERY_TABLE}
         SET status = 'DELIVERED', delivered_at = $3, last_status_code = $4, last_error = NULL, locked_until = NULL, lease_token = NULL
         WHERE id = $1 AND lease_token = $2
         RETURNING subscription_id
       ), reset AS (
         UPDATE ${WEBHOOK_SUBSCRIPTION_TABLE} s SET consecutive_failures = 0
         FROM done WHERE s.id = done.subscription_id AND s.consecutive_failures <> 0
         RETURNING 1
       )
       SELECT count(*)::int AS n FROM done`,
      [delivery.id, delivery.lease_token, this.clock(), statusCode],
    )) as { n: number }[];
    if (rows[0]!.n === 0) this.lostLease(delivery, 'DELIVERED');
  }

  private async recordFailure(delivery: ClaimedDelivery, outcome: Extract<Outcome, { kind: 'FAILED' }>): Promise<'failed' | 'dead'> {
    const now = this.clock();
    const dead = delivery.attempts >= this.maxAttempts;
    const next = new Date(now.getTime() + retryDelayMs(delivery.attempts, this.retry, this.random));
    const rows = (await this.db.query(
      `WITH failed AS (
         UPDATE ${WEBHOOK_DELIVERY_TABLE}
         SET status = $3, next_attempt_at = CASE WHEN $3 = 'DEAD' THEN next_attempt_at ELSE $4 END,
             last_error = $5, last_status_code = $6, locked_until = NULL, lease_token = NULL
         WHERE id = $1 AND lease_token = $2
         RETURNING subscription_id
       ), counted AS (
         UPDATE ${WEBHOOK_SUBSCRIPTION_TABLE} s
         SET consecutive_failures = s.consecutive_failures + 1,
             active = s.active AND s.consecutive_failures + 1 < $7,
             paused_at = CASE WHEN s.active AND s.consecutive_failures + 1 >= $7 THEN $8 ELSE s.paused_at END
         FROM failed WHERE s.id = failed.subscription_id
         RETURNING s.id, s.active, s.paused_at, s.consecutive_failures
       )
       SELECT (SELECT count(*)::int FROM failed) AS n, counted.* FROM (SELECT 1) one LEFT JOIN counted ON true`,
      [delivery.id, delivery.lease_token, dead ? 'DEAD' : 'FAILED', next, outcome.error, outcome.statusCode, this.pauseAfter, now],
    )) as { n: number; id: string | null; active: boolean | null; paused_at: Date | null; consecutive_failures: number | null }[];
    const row = rows[0]!;
    if (row.n === 0) {
      this.lostLease(delivery, dead ? 'DEAD' : 'FAILED');
      return dead ? 'dead' : 'failed';
    }
    this.logger.warn(
      { deliveryId: delivery.id, eventId: delivery.event_id, subscriptionId: delivery.subscription_id, attempts: delivery.attempts, statusCode: outcome.statusCode, error: outcome.error, ...(dead ? {} : { nextAttemptAt: next.toISOString() }) },
      dead ? 'webhook delivery dead: no more attempts' : 'webhook delivery failed, will retry',
    );
    // The count goes up by one at a time and only a success or a resume resets it, so it equals
    // the threshold exactly once per pause: the failure that paused the subscription.
    if (row.active === false && row.consecutive_failures === this.pauseAfter) {
      this.logger.warn({ subscriptionId: delivery.subscription_id, consecutiveFailures: row.consecutive_failures }, 'webhook subscription paused after repeated failures; resumeSubscription restarts it');
    }
    return dead ? 'dead' : 'failed';
  }

  /** The lease ran out before the result was written: another worker owns the row now. */
  private lostLease(delivery: ClaimedDelivery, result: string): void {
    this.logger.warn({ deliveryId: delivery.id, eventId: delivery.event_id, result }, 'webhook delivery result not recorded: its lease had expired and the delivery was claimed again');
  }
}
