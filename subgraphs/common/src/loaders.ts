import DataLoader from 'dataloader';

/**
 * A loader of one row per key. `fetch` receives the distinct keys of one tick and returns the
 * rows it found in any order; the loader puts them back in key order with `null` for a miss, as
 * DataLoader requires. Create loaders per request (in the context), never share them.
 */
export function rowLoader<K extends string, R>(fetch: (keys: readonly K[]) => Promise<R[]>, keyOf: (row: R) => K): DataLoader<K, R | null> {
  return new DataLoader<K, R | null>(async (keys) => {
    const rows = await fetch(keys);
    const byKey = new Map<K, R>();
    for (const row of rows) byKey.set(keyOf(row), row);
    return keys.map((key) => byKey.get(key) ?? null);
  });
}

/**
 * A loader of many rows per key (a parcours's procedures, say). Rows keep the order `fetch`
 * returned them in, so the SQL's ORDER BY decides the order inside each group.
 */
export function groupLoader<K extends string, R>(fetch: (keys: readonly K[]) => Promise<R[]>, keyOf: (row: R) => K): DataLoader<K, R[]> {
  return new DataLoader<K, R[]>(async (keys) => {
    const rows = await fetch(keys);
    const byKey = new Map<K, R[]>();
    for (const row of rows) {
      const key = keyOf(row);
      const group = byKey.get(key);
      if (group) group.push(row);
      else byKey.set(key, [row]);
    }
    return keys.map((key) => byKey.get(key) ?? []);
  });
}

/**
 * A loader over a small reference table (structures, sites): the first batch reads the whole
 * table once for the request and every later batch is served from it. Loaders that batch by key
 * can still run one query per tree level in which keys appear; for a table of a few dozen rows,
 * one read is cheaper and keeps a request's statement count independent of timing and data.
 */
export function tableLoader<K extends string, R>(fetchAll: () => Promise<R[]>, keyOf: (row: R) => K): DataLoader<K, R | null> {
  let table: Promise<Map<K, R>> | undefined;
  return new DataLoader<K, R | null>(async (keys) => {
    table ??= fetchAll().then((rows) => new Map(rows.map((row) => [keyOf(row), row])));
    const byKey = await table;
    return keys.map((key) => byKey.get(key) ?? null);
  });
}
