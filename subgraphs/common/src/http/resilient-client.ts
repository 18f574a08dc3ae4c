import {
  circuitBreaker,
  CircuitState,
  ConsecutiveBreaker,
  ConstantBackoff,
  ExponentialBackoff,
  handleWhen,
  BrokenCircuitError,
  retry,
  TaskCancelledError,
  timeout,
  TimeoutStrategy,
  type CircuitBreakerPolicy,
  type IBackoff,
  type RetryPolicy,
  type TimeoutPolicy,
} from 'cockatiel';
import type { z } from 'zod';
import { systemClock, type Clock } from './clock';
import { RemoteError, RemoteMalformed, RemoteRejected, RemoteUnavailable } from './errors';
import { defaultMetricsRegistry, type MetricsRegistry, type RemoteMetrics, type RemoteMetricsSnapshot } from './metrics';

/** How one remote is called. Every duration is in milliseconds. */
export interface ResilientClientOptions {
  /** The remote's display name, used in error messages and metrics ("France Travail (offres)"). */
  remote: string;
  /** The base URL; request paths are appended to it. */
  baseUrl: string;
  /** The limit for one attempt, headers and body included. Default 5,000. */
  timeoutMs?: number;
  /** Retries after the first attempt, for idempotent requests only. Default 3. */
  retries?: number;
  /** The first back-off delay; later ones grow exponentially, with jitter. Default 200. */
  initialBackoffMs?: number;
  /** The longest back-off delay. Default 5,000. */
  maxBackoffMs?: number;
  /**
   * The longest `Retry-After` the client waits for. A remote asking for more is treated as
   * unavailable at once: waiting longer would hold the caller's request beyond any reason.
   * Default 10,000.
   */
  maxRetryAfterMs?: number;
  /** Consecutive failed attempts (network, timeout, 5xx) that open the circuit. Default 5. */
  breakerThreshold?: number;
  /** How long the circuit stays open before one trial call is let through. Default 30,000. */
  halfOpenAfterMs?: number;
  /** Headers sent with every request (User-Agent, Accept...). */
  headers?: Record<string, string>;
  /** Time, injectable so tests run back-offs instantly. */
  clock?: Clock;
  /** Where the metrics go; the process-wide registry by default. */
  metrics?: MetricsRegistry;
  /** The fetch implementation; Node's own by default. */
  fetch?: typeof fetch;
}

type QueryValue = string | number | boolean | null | undefined | readonly (string | number)[];

/** One request. `schema` validates the parsed JSON body of a 2xx answer (not of a 204). */
export interface RemoteRequest<S extends z.ZodType> {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Appended to the base URL; may be absolute (then used as is). */
  path: string;
  /** Query parameters; arrays become repeated keys, null and undefined are left out. */
  query?: Record<string, QueryValue>;
  headers?: Record<string, string>;
  /** A form body (application/x-www-form-urlencoded). */
  form?: Record<string, string>;
  /** A JSON body. */
  json?: unknown;
  schema: S;
  /**
   * Whether a non-GET request may be retried. Only requests whose repetition has no effect
   * (a token request) may say so: a retried POST that did reach the remote would act twice.
   */
  retryable?: boolean;
  /** Added to a `RemoteRejected` message: what to check when the remote refuses (a token...). */
  rejectionHint?: (status: number) => string | undefined;
}

/** A successful answer: the status, the headers, and the validated body (`null` for a 204). */
export interface RemoteResponse<T> {
  status: number;
  headers: Headers;
  data: T | null;
}

const CIRCUIT_NAMES: Record<CircuitState, RemoteMetricsSnapshot['circuit']> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Isolated]: 'isolated',
};

/**
 * A JSON HTTP client for one remote, built on Node's fetch and cockatiel:
 * - each attempt has a timeout (the request is aborted when it fires);
 * - idempotent requests (GET, or marked `retryable`) are retried on network errors, timeouts,
 *   5xx and 429, with exponential back-off and jitter, or after the `Retry-After` the remote
 *   asked for (up to `maxRetryAfterMs`);
 * - a circuit breaker per client opens after `breakerThreshold` consecutive failed attempts and
 *   fails calls at once, without reaching the remote, until `halfOpenAfterMs` has passed; then
 *   one trial call decides whether it closes again;
 * - answers are parsed and validated with a zod schema; failures are typed (`RemoteUnavailable`,
 *   `RemoteRejected`, `RemoteMalformed`) and name the remote;
 * - calls, attempts, retries, errors and latencies are counted per remote (`metrics()`).
 *
 * Create one client per remote and keep it for the life of the process: the breaker and the
 * metrics are its memory of the remote.
 */
export class ResilientHttpClient {
  readonly remote: string;
  private readonly baseUrl: string;
  private readonly clock: Clock;
  private readonly stats: RemoteMetrics;
  private readonly fetchImpl: typeof fetch;
  private readonly maxRetryAfterMs: number;
  private readonly backoffFactory: ExponentialBackoff<unknown>;
  private readonly retryPolicy: RetryPolicy;
  private readonly breaker: CircuitBreakerPolicy;
  private readonly timeoutPolicy: TimeoutPolicy;
  private readonly timeoutMs: number;
  private readonly defaultHeaders: Record<string, string>;

  constructor(options: ResilientClientOptions) {
    this.remote = options.remote;
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.clock = options.clock ?? systemClock;
    this.stats = (options.metrics ?? defaultMetricsRegistry).forRemote(options.remote);
    this.fetchImpl = options.fetch ?? fetch;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? 10_000;
    this.timeoutMs = options.timeoutMs ?? 5_000;
    this.defaultHeaders = { accept: 'application/json', ...options.headers };
    // cockatiel's decorrelated-jitter exponential back-off gives the delays; the waiting itself
    // goes through the injected clock (see `request`), which cockatiel's own timer cannot do.
    this.backoffFactory = new ExponentialBackoff({ initialDelay: options.initialBackoffMs ?? 200, maxDelay: options.maxBackoffMs ?? 5_000 });
    this.retryPolicy = retry(
      handleWhen((error) => error instanceof RemoteUnavailable && this.isRetryable(error)),
      { maxAttempts: options.retries ?? 3, backoff: new ConstantBackoff(0) },
    );
    this.retryPolicy.onRetry(() => {
      this.stats.retries += 1;
    });
    // Only the remote's own failures count towards opening the circuit: a 4xx, a malformed body
    // or a 429 comes from a remote that is up, and the circuit is about remotes that are down.
    this.breaker = circuitBreaker(
      handleWhen((error) => error instanceof TaskCancelledError || (error instanceof RemoteUnavailable && error.reason !== 'rate-limited')),
      { halfOpenAfter: options.halfOpenAfterMs ?? 30_000, breaker: new ConsecutiveBreaker(options.breakerThreshold ?? 5) },
    );
    this.breaker.onStateChange((state) => {
      this.stats.circuit = CIRCUIT_NAMES[state];
    });
    this.timeoutPolicy = timeout(this.timeoutMs, TimeoutStrategy.Aggressive);
  }

  /** The circuit breaker's state, as `metrics()` reports it. */
  get circuit(): RemoteMetricsSnapshot['circuit'] {
    return CIRCUIT_NAMES[this.breaker.state];
  }

  /** This remote's metrics. */
  metrics(): RemoteMetricsSnapshot {
    return this.stats.snapshot();
  }

  /** Shorthand for a GET. */
  get<S extends z.ZodType>(path: string, schema: S, init: Omit<RemoteRequest<S>, 'path' | 'schema' | 'method'> = {}): Promise<RemoteResponse<z.output<S>>> {
    return this.request({ ...init, method: 'GET', path, schema });
  }

  /**
   * Sends a request through the timeout, the breaker and (when idempotent) the retries; resolves
   * with the validated answer, or rejects with a `RemoteError`.
   */
  async request<S extends z.ZodType>(request: RemoteRequest<S>): Promise<RemoteResponse<z.output<S>>> {
    const idempotent = (request.method ?? 'GET') === 'GET' || request.retryable === true;
    this.stats.calls += 1;
    let backoff: IBackoff<unknown> | undefined;
    let wait = 0;

    const attempt = async ({ attempt: retryNumber }: { attempt: number }): Promise<RemoteResponse<z.output<S>>> => {
      if (retryNumber > 0) await this.clock.sleep(wait);
      try {
        return await this.breaker.execute(() => this.timeoutPolicy.execute(({ signal }) => this.send(request, signal)));
      } catch (error) {
        const failure = this.toRemoteError(error);
        if (failure instanceof RemoteUnavailable && idempotent && this.isRetryable(failure)) {
          backoff = backoff ? backoff.next(undefined) : this.backoffFactory.next();
          wait = failure.retryAfterMs ?? backoff.duration;
        }
        throw failure;
      }
    };

    try {
      const answer = idempotent ? await this.retryPolicy.execute(attempt) : await attempt({ attempt: 0 });
      this.stats.successes += 1;
      return answer;
    } catch (error) {
      const failure = this.toRemoteError(error);
      this.stats.errors += 1;
      this.stats.errorsByKind[failure.kind] += 1;
      if (failure instanceof RemoteUnavailable) this.stats.unavailableByReason[failure.reason] += 1;
      throw failure;
    }
  }

  /** One attempt: fetch, then classify the status and validate the body. */
  private async send<S extends z.ZodType>(request: RemoteRequest<S>, signal: AbortSignal): Promise<RemoteResponse<z.output<S>>> {
    const url = this.url(request);
    const headers: Record<string, string> = { ...this.defaultHeaders, ...request.headers };
    let body: string | undefined;
    if (request.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(request.form).toString();
    } else if (request.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(request.json);
    }

    this.stats.attempts += 1;
    const started = performance.now();
    let response: Response;
    let text: string;
    try {
      response = await this.fetchImpl(url, { method: request.method ?? 'GET', headers, body, signal, redirect: 'follow' });
      text = await response.text();
    } catch (error) {
      // An abort is the timeout policy's doing (fetch may reject before the policy does).
      if (signal.aborted) throw this.timeoutError(error);
      throw new RemoteUnavailable(this.remote, { reason: 'network', detail: `erreur réseau (${describeNetworkError(error)})` }, { cause: error });
    } finally {
      this.stats.recordLatency(performance.now() - started);
    }

    const { status } = response;
    if (status === 429) {
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), this.clock.now());
      const tooLong = retryAfterMs !== undefined && retryAfterMs > this.maxRetryAfterMs;
      throw new RemoteUnavailable(this.remote, {
        reason: 'rate-limited',
        status,
        detail: `trop de requêtes (HTTP 429${retryAfterMs !== undefined ? `, réessayer dans ${Math.ceil(retryAfterMs / 1000)} s` : ''}${tooLong ? `, au-delà des ${this.maxRetryAfterMs} ms acceptés` : ''})`,
        ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      });
    }
    if (status >= 500) {
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), this.clock.now());
      throw new RemoteUnavailable(this.remote, { reason: 'server', status, detail: `erreur du serveur (HTTP ${status})`, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) });
    }
    if (status >= 400) {
      throw new RemoteRejected(this.remote, status, parseLoosely(text), request.rejectionHint?.(status));
    }
    if (status === 204 || status === 205) {
      return { status, headers: response.headers, data: null };
    }
    if (status < 200 || status >= 300) {
      throw new RemoteMalformed(this.remote, `statut HTTP ${status} inattendu`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new RemoteMalformed(this.remote, `corps non JSON (${text.length} caractères, début : ${JSON.stringify(text.slice(0, 40))})`, { cause: error });
    }
    const parsed = request.schema.safeParse(json);
    if (!parsed.success) {
      throw new RemoteMalformed(this.remote, describeIssues(parsed.error.issues), { cause: parsed.error });
    }
    return { status, headers: response.headers, data: parsed.data };
  }

  private url(request: RemoteRequest<z.ZodType>): string {
    const url = new URL(/^https?:\/\//.test(request.path) ? request.path : `${this.baseUrl}${request.path.startsWith('/') ? '' : '/'}${request.path}`);
    for (const [key, value] of Object.entries(request.query ?? {})) {
      if (value === null || value === undefined) continue;
      if (Array.isArray(value)) for (const item of value) url.searchParams.append(key, String(item));
      else url.searchParams.append(key, String(value));
    }
    return url.toString();
  }

  /**
   * Whether another attempt may help: not when the circuit is open (the breaker decides when to
   * try again), nor when the remote asks to wait longer than this client accepts to.
   */
  private isRetryable(error: RemoteUnavailable): boolean {
    if (error.reason === 'circuit-open') return false;
    return error.retryAfterMs === undefined || error.retryAfterMs <= this.maxRetryAfterMs;
  }

  private timeoutError(cause: unknown): RemoteUnavailable {
    return new RemoteUnavailable(this.remote, { reason: 'timeout', detail: `pas de réponse dans le délai de ${this.timeoutMs} ms` }, { cause });
  }

  /** Maps what the policies throw (timeouts, open circuit) to the typed errors. */
  private toRemoteError(error: unknown): RemoteError {
    if (error instanceof RemoteError) return error;
    // `instanceof`, not cockatiel's `isTaskCancelledError`: in 3.2.1 that one tests the wrong
    // marker property and never recognises a timeout.
    if (error instanceof TaskCancelledError) return this.timeoutError(error);
    if (error instanceof BrokenCircuitError) {
      return new RemoteUnavailable(this.remote, { reason: 'circuit-open', detail: 'circuit ouvert après des échecs répétés, appel non tenté' }, { cause: error });
    }
    return new RemoteUnavailable(this.remote, { reason: 'network', detail: `erreur inattendue (${error instanceof Error ? error.message : String(error)})` }, { cause: error });
  }
}


/**
 * `Retry-After` in seconds or as an HTTP date, in milliseconds from now; undefined when absent
 * or unreadable.
 */
export function parseRetryAfter(header: string | null, now: number): number | undefined {
  if (header === null) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function parseLoosely(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  const shown = issues.slice(0, 3).map((issue) => `${issue.path.length ? issue.path.join('.') : '(racine)'} : ${issue.message}`);
  return `${shown.join(' ; ')}${issues.length > 3 ? ` ; et ${issues.length - 3} autre(s) écart(s)` : ''}`;
}

function describeNetworkError(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    if (cause instanceof Error && 'code' in cause) return `${String((cause as { code: unknown }).code)} : ${cause.message}`;
    return error.message;
  }
  return String(error);
}
