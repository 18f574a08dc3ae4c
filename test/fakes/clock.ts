import type { Clock } from '@agir/common/src/http';

/**
 * A clock for tests: `sleep` records the delay, advances `now` by it and returns at once, so a
 * back-off or a `Retry-After` of seconds takes no time and can be asserted exactly.
 */
export class ManualClock implements Clock {
  /** Every delay the code under test slept, in order. */
  readonly sleeps: number[] = [];

  constructor(private current = Date.UTC(2026, 2, 2, 9, 0, 0)) {}

  now(): number {
    return this.current;
  }

  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.current += ms;
  }

  /** Moves time forward without sleeping (a token or a cache entry ages). */
  advance(ms: number): void {
    this.current += ms;
  }
}
