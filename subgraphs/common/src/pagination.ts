import { badUserInput } from './errors';

/** The page size bounds every list query accepts. */
export const MAX_PAGE_SIZE = 100;

export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

/**
 * Validates `first`/`after` and decodes the cursor. A cursor is opaque to clients: base64url of a
 * JSON array holding the sort key of the last row seen, so that the next page is a keyset query
 * (stable under inserts, no OFFSET scans).
 */
export function parsePageArgs(args: PageArgs, defaultSize = 20): { limit: number; after: unknown[] | null } {
  const limit = args.first ?? defaultSize;
  if (!Number.isInteger(limit) || limit < 0 || limit > MAX_PAGE_SIZE) {
    throw badUserInput(`« first » doit être un entier entre 0 et ${MAX_PAGE_SIZE}, reçu ${String(args.first)}.`, 'first');
  }
  if (args.after == null) return { limit, after: null };
  try {
    const decoded: unknown = JSON.parse(Buffer.from(args.after, 'base64url').toString('utf8'));
    if (Array.isArray(decoded) && decoded.length > 0) return { limit, after: decoded };
  } catch {
    // fall through to the error below
  }
  throw badUserInput(
    `Le curseur « after » n'est pas valide : utilisez la valeur pageInfo.endCursor d'une réponse précédente, telle quelle.`,
    'after',
  );
}

export function encodeCursor(key: unknown[]): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

export interface Connection<T> {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: { cursor: string; node: T }[];
}

/**
 * Builds a connection from `limit + 1` fetched rows: the extra row only tells whether a next page
 * exists and is not returned.
 */
export function toConnection<T>(rows: T[], limit: number, totalCount: number, keyOf: (row: T) => unknown[]): Connection<T> {
  const page = rows.slice(0, limit);
  const edges = page.map((node) => ({ cursor: encodeCursor(keyOf(node)), node }));
  return {
    totalCount,
    pageInfo: { hasNextPage: rows.length > limit, endCursor: edges.at(-1)?.cursor ?? null },
    edges,
  };
}
