import { Faker, base, en, fr } from '@faker-js/faker';

/**
 * The only source of randomness of the demo generator: a seeded faker (French locale, like
 * `fakerFR`) behind a few short helpers. A private instance rather than the shared `fakerFR`
 * singleton, so that nothing else in the process (a test, another generator) can move the sequence
 * between two calls and break the "same seed + same today => same data" promise.
 */
export class Random {
  readonly faker: Faker;

  constructor(seed: number) {
    this.faker = new Faker({ locale: [fr, en, base] });
    this.faker.seed(seed);
  }

  /** A random v4 uuid drawn from the seeded sequence (so ids are reproducible too). */
  uuid(): string {
    return this.faker.string.uuid();
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    return this.faker.number.int({ min, max });
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.faker.datatype.boolean({ probability: p });
  }

  /** One element, uniformly. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick: expected a non-empty list');
    return this.faker.helpers.arrayElement(items);
  }

  /** One value, with probability proportional to its weight; zero weights are never drawn. */
  weighted<T>(entries: ReadonlyArray<readonly [T, number]>): T {
    const positive = entries.filter(([, w]) => w > 0).map(([value, weight]) => ({ value, weight }));
    if (positive.length === 0) throw new RangeError('weighted: expected at least one positive weight');
    return this.faker.helpers.weightedArrayElement(positive);
  }

  /** `count` distinct values drawn by weight, without replacement. */
  weightedDistinct<T>(entries: ReadonlyArray<readonly [T, number]>, count: number): T[] {
    const remaining = [...entries];
    const drawn: T[] = [];
    while (drawn.length < count && remaining.some(([, w]) => w > 0)) {
      const value = this.weighted(remaining);
      drawn.push(value);
      remaining.splice(
        remaining.findIndex(([v]) => v === value),
        1,
      );
    }
    return drawn;
  }

  /** A shuffled copy. */
  shuffle<T>(items: readonly T[]): T[] {
    return this.faker.helpers.shuffle([...items]);
  }
}

/**
 * Splits `total` into integer counts proportional to `weights` (largest remainder), so that the
 * demo has exactly the intended mix instead of a sampled approximation of it.
 */
export function apportion<K extends string>(total: number, weights: Readonly<Record<K, number>>): Record<K, number> {
  const keys = Object.keys(weights) as K[];
  const sum = keys.reduce((s, k) => s + weights[k], 0);
  const exact = keys.map((k) => ({ k, q: (total * weights[k]) / sum }));
  const counts = Object.fromEntries(exact.map(({ k, q }) => [k, Math.floor(q)])) as Record<K, number>;
  let missing = total - keys.reduce((s, k) => s + counts[k], 0);
  // Ties are broken by declaration order, which keeps the split deterministic.
  for (const { k } of [...exact].sort((a, b) => (b.q % 1) - (a.q % 1))) {
    if (missing <= 0) break;
    counts[k] += 1;
    missing -= 1;
  }
  return counts;
}
