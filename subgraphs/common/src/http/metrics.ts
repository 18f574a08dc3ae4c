import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { UnavailableReason } from './errors';

/**
 * In-memory metrics per remote: enough to see from a log line which outside system is slow or
 * failing, and, through each subgraph's `GET /metrics` (Prometheus text format, see
 * `MetricsRegistry.exposition`), from a monitoring system. Counters only grow; latencies are kept
 * over a rolling window of the last attempts so a percentile describes the remote as it is now,
 * and in a Prometheus histogram for rates and quantiles over any period.
 */

/** What `metrics()` reports for one remote. */
export interface RemoteMetricsSnapshot {
  remote: string;
  /** Logical calls made by the code (a call and its retries count once), finished or not. */
  calls: number;
  /** Logical calls that ended with a validated answer. */
  successes: number;
  /** HTTP attempts sent (calls plus retries). */
  attempts: number;
  /** Attempts that were retries. */
  retries: number;
  /** Logical calls that ended in an error, and by kind. */
  errors: number;
  errorsByKind: { unavailable: number; rejected: number; malformed: number };
  /** The `unavailable` errors by reason (network, timeout, server, rate-limited, circuit-open). */
  unavailableByReason: Record<UnavailableReason, number>;
  /** The circuit breaker's state. */
  circuit: 'closed' | 'open' | 'half-open' | 'isolated';
  /** Latency of the attempts in the rolling window, in milliseconds. */
  latencyMs: { count: number; p50: number | null; p95: number | null; max: number | null };
}

const WINDOW = 200;

export const CIRCUIT_STATES: readonly RemoteMetricsSnapshot['circuit'][] = ['closed', 'open', 'half-open', 'isolated'];
const ERROR_KINDS = ['unavailable', 'rejected', 'malformed'] as const;
const UNAVAILABLE_REASONS: readonly UnavailableReason[] = ['network', 'timeout', 'server', 'rate-limited', 'circuit-open'];

/** The counters of one remote; written by its client, read through a registry. */
export class RemoteMetrics {
  calls = 0;
  successes = 0;
  attempts = 0;
  retries = 0;
  errors = 0;
  readonly errorsByKind = { unavailable: 0, rejected: 0, malformed: 0 };
  readonly unavailableByReason: Record<UnavailableReason, number> = { network: 0, timeout: 0, server: 0, 'rate-limited': 0, 'circuit-open': 0 };
  circuit: RemoteMetricsSnapshot['circuit'] = 'closed';
  private readonly latencies: number[] = [];
  private next = 0;

  /** `observe` also receives every latency (the registry's Prometheus histogram). */
  constructor(
    readonly remote: string,
    private readonly observe?: (ms: number) => void,
  ) {}

  recordLatency(ms: number): void {
    // A ring buffer: a long-running process keeps a bounded, recent sample.
    if (this.latencies.length < WINDOW) this.latencies.push(ms);
    else this.latencies[this.next] = ms;
    this.next = (this.next + 1) % WINDOW;
    this.observe?.(ms);
  }

  snapshot(): RemoteMetricsSnapshot {
    const sorted = [...this.latencies].sort((a, b) => a - b);
    const at = (q: number) => (sorted.length === 0 ? null : round(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!));
    return {
      remote: this.remote,
      calls: this.calls,
      successes: this.successes,
      attempts: this.attempts,
      retries: this.retries,
      errors: this.errors,
      errorsByKind: { ...this.errorsByKind },
      unavailableByReason: { ...this.unavailableByReason },
      circuit: this.circuit,
      latencyMs: { count: sorted.length, p50: at(0.5), p95: at(0.95), max: sorted.length === 0 ? null : round(sorted[sorted.length - 1]!) },
    };
  }
}

const round = (ms: number) => Math.round(ms * 10) / 10;

/**
 * The bounds of the latency histogram, in seconds: from a fast cached answer to the longest
 * timeout the connectors allow (10 s).
 */
export const LATENCY_BUCKETS_SECONDS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The metrics of a set of remotes. The process has one default registry (what `metrics()`
 * reads, and what each subgraph's `GET /metrics` exposes); tests give their clients a registry
 * of their own so counts do not leak between them.
 */
export class MetricsRegistry {
  private readonly remotes = new Map<string, RemoteMetrics>();
  /** The same numbers as Prometheus metrics, read at each scrape (see `exposition`). */
  private readonly prometheus = new Registry();
  private readonly latency: Histogram<'remote'>;

  constructor() {
    const registers = [this.prometheus];
    const all = () => [...this.remotes.values()];
    // Counters and gauges read the remotes' own counts when scraped: the clients keep writing
    // plain numbers, and the two views can never disagree.
    new Counter({
      name: 'agir_remote_calls_total',
      help: 'Finished logical calls to an outside system (a call and its retries count once), by outcome: success or error.',
      labelNames: ['remote', 'outcome'],
      registers,
      collect() {
        this.reset();
        for (const m of all()) {
          this.inc({ remote: m.remote, outcome: 'success' }, m.successes);
          this.inc({ remote: m.remote, outcome: 'error' }, m.errors);
        }
      },
    });
    new Counter({
      name: 'agir_remote_attempts_total',
      help: 'HTTP attempts sent to an outside system (calls plus retries).',
      labelNames: ['remote'],
      registers,
      collect() {
        this.reset();
        for (const m of all()) this.inc({ remote: m.remote }, m.attempts);
      },
    });
    new Counter({
      name: 'agir_remote_retries_total',
      help: 'Attempts that were retries of an idempotent call.',
      labelNames: ['remote'],
      registers,
      collect() {
        this.reset();
        for (const m of all()) this.inc({ remote: m.remote }, m.retries);
      },
    });
    new Counter({
      name: 'agir_remote_errors_total',
      help: 'Logical calls that ended in an error, by kind: unavailable (network, timeout, 5xx, 429, open circuit), rejected (other 4xx), malformed (an answer not matching the documented shape).',
      labelNames: ['remote', 'kind'],
      registers,
      collect() {
        this.reset();
        for (const m of all()) for (const kind of ERROR_KINDS) this.inc({ remote: m.remote, kind }, m.errorsByKind[kind]);
      },
    });
    new Counter({
      name: 'agir_remote_unavailable_total',
      help: 'Logical calls that ended unavailable, by reason: network, timeout, server (5xx), rate-limited (429), circuit-open.',
      labelNames: ['remote', 'reason'],
      registers,
      collect() {
        this.reset();
        for (const m of all()) for (const reason of UNAVAILABLE_REASONS) this.inc({ remote: m.remote, reason }, m.unavailableByReason[reason]);
      },
    });
    new Gauge({
      name: 'agir_remote_circuit_state',
      help: "The circuit breaker of an outside system: 1 for its current state (closed, open, half-open, isolated), 0 for the others.",
      labelNames: ['remote', 'state'],
      registers,
      collect() {
        this.reset();
        for (const m of all()) for (const state of CIRCUIT_STATES) this.set({ remote: m.remote, state }, m.circuit === state ? 1 : 0);
      },
    });
    this.latency = new Histogram({
      name: 'agir_remote_attempt_duration_seconds',
      help: 'Duration of each HTTP attempt to an outside system, answer body included, failures and timeouts included.',
      labelNames: ['remote'],
      buckets: LATENCY_BUCKETS_SECONDS,
      registers,
    });
  }

  /** The metrics of a remote, created on first use; clients of the same remote share them. */
  forRemote(remote: string): RemoteMetrics {
    let metrics = this.remotes.get(remote);
    if (!metrics) {
      const histogram = this.latency.labels({ remote });
      metrics = new RemoteMetrics(remote, (ms) => histogram.observe(ms / 1000));
      // The remote's histogram is exposed from the start, at zero, like its counters.
      this.latency.zero({ remote });
      this.remotes.set(remote, metrics);
    }
    return metrics;
  }

  /** A snapshot of every remote, by name. */
  snapshot(): Record<string, RemoteMetricsSnapshot> {
    return Object.fromEntries([...this.remotes].map(([name, metrics]) => [name, metrics.snapshot()]));
  }

  /** Every remote's metrics in the Prometheus text exposition format, with its content type. */
  async exposition(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.prometheus.contentType, body: await this.prometheus.metrics() };
  }
}

/** The process's registry, used by clients that are not given one. */
export const defaultMetricsRegistry = new MetricsRegistry();

/** The metrics of every remote the process has called, by remote name. */
export function metrics(registry: MetricsRegistry = defaultMetricsRegistry): Record<string, RemoteMetricsSnapshot> {
  return registry.snapshot();
}
