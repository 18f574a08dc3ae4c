import { readFileSync } from 'node:fs';
import { parse, type DocumentNode } from 'graphql';

/** Reads a subgraph's `.graphql` file (kept next to its resolvers) as a document. */
export function loadTypeDefs(path: string): DocumentNode {
  return parse(readFileSync(path, 'utf8'));
}

/** A resolver map as `buildSubgraphSchema` takes it: fields by type name. */
export type ResolverMap = Record<string, Record<string, unknown>>;

/**
 * Merges resolver maps type by type (a subgraph's own resolvers and those built for it, such as
 * its webhook API). A field defined twice is a mistake, reported rather than silently overwritten.
 */
export function mergeResolvers(...maps: ResolverMap[]): ResolverMap {
  const merged: ResolverMap = {};
  for (const map of maps) {
    for (const [type, fields] of Object.entries(map)) {
      const existing = merged[type];
      // Kept as given when only one map has the type: a scalar's GraphQLScalarType stays one.
      if (existing === undefined) {
        merged[type] = fields;
        continue;
      }
      for (const field of Object.keys(fields)) {
        if (field in existing) throw new Error(`mergeResolvers: ${type}.${field} is defined by two resolver maps; keep one`);
      }
      merged[type] = { ...existing, ...fields };
    }
  }
  return merged;
}
