/**
 * In-memory metrics per remote: enough to see from a health page or a log line which outside
 * system is slow or failing, without a metrics backend. Counters only grow; latencies are kept
 * over a rolling window of the last attempts so a percentile describes the remote as it is now.
 */

/** What `metrics()` reports for one remote. */
export interface RemoteMetricsSnapshot {
  remote: string;
  /** Logical calls made by the code (a call and its retries count once). */
  calls: number;
  /** HTTP attempts sent (calls plus retries). */
  attempts: number;
  /** Attempts that were retries. */
  retries: number;
  /** Logical calls that ended in an error, and by kind. */
  errors: number;
  errorsByKind: { unavailable: number; rejected: number; malformed: number };
  /** The circuit breaker's state. */
  circuit: 'closed' | 'open' | 'half-open' | 'isolated';
  /** Latency of the attempts in the rolling window, in milliseconds. */
  latencyMs: { count: number; p50: number | null; p95: number | null; max: number | null };
}

const WINDOW = 200;

/** The counters of one remote; written by its client, read through a registry. */
export class RemoteMetrics {
  calls = 0;
  attempts = 0;
  retries = 0;
  errors = 0;
  readonly errorsByKind = { unavailable: 0, rejected: 0, malformed: 0 };
  circuit: RemoteMetricsSnapshot['circuit'] = 'closed';
  private readonly latencies: number[] = [];
  private next = 0;

  constructor(readonly remote: string) {}

  recordLatency(ms: number): void {
    // A ring buffer: a long-running process keeps a bounded, recent sample.
    if (this.latencies.length < WINDOW) this.latencies.push(ms);
    else this.latencies[this.next] = ms;
    this.next = (this.next + 1) % WINDOW;
  }

  snapshot(): RemoteMetricsSnapshot {
    const sorted = [...this.latencies].sort((a, b) => a - b);
    const at = (q: number) => (sorted.length === 0 ? null : round(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!));
    return {
      remote: this.remote,
      calls: this.calls,
      attempts: this.attempts,
      retries: this.retries,
      errors: this.errors,
      errorsByKind: { ...this.errorsByKind },
      circuit: this.circuit,
      latencyMs: { count: sorted.length, p50: at(0.5), p95: at(0.95), max: sorted.length === 0 ? null : round(sorted[sorted.length - 1]!) },
    };
  }
}

const round = (ms: number) => Math.round(ms * 10) / 10;

/**
 * The metrics of a set of remotes. The process has one default registry (what `metrics()`
 * reads); tests give their clients a registry of their own so counts do not leak between them.
 */
export class MetricsRegistry {
  private readonly remotes = new Map<string, RemoteMetrics>();

  /** The metrics of a remote, created on first use; clients of the same remote share them. */
  forRemote(remote: string): RemoteMetrics {
    let metrics = this.remotes.get(remote);
    if (!metrics) {
      metrics = new RemoteMetrics(remote);
      this.remotes.set(remote, metrics);
    }
    return metrics;
  }

  /** A snapshot of every remote, by name. */
  snapshot(): Record<string, RemoteMetricsSnapshot> {
    return Object.fromEntries([...this.remotes].map(([name, metrics]) => [name, metrics.snapshot()]));
  }
}

/** The process's registry, used by clients that are not given one. */
export const defaultMetricsRegistry = new MetricsRegistry();

/** The metrics of every remote the process has called, by remote name. */
export function metrics(registry: MetricsRegistry = defaultMetricsRegistry): Record<string, RemoteMetricsSnapshot> {
  return registry.snapshot();
}
