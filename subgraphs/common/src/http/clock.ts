/**
 * Time as the HTTP clients see it: `now()` for token expiry and cache lifetimes, `sleep()` for
 * back-off and `Retry-After`. Tests pass a clock that records the waits and advances instantly,
 * so a back-off of several seconds costs nothing and can be asserted exactly.
 */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** The real clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * A small time-bounded cache for answers of public reference data (offers, catalogues), keyed by
 * the normalised request. It is bounded in size and in time: entries expire after `ttlMs`, and
 * the oldest entry goes when `maxEntries` is reached. Only successful answers are stored, so an
 * outage is never remembered.
 */
export class TtlCache<V> {
  private readonly entries = new Map<string, { value: V; expiresAt: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly clock: Clock = systemClock,
    private readonly maxEntries = 500,
  ) {}

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.clock.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(key: string, value: V): void {
    if (this.ttlMs <= 0) return;
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, { value, expiresAt: this.clock.now() + this.ttlMs });
  }

  clear(): void {
    this.entries.clear();
  }
}
