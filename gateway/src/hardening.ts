import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { GraphQLFormattedError } from 'graphql';
import { z } from 'zod';

/**
 * The gateway's limits on what one operation may ask. The unified parcours view is 7 levels deep
 * and costs about 200 by graphql-armor's count (2 per object, 1 per scalar, times 1.5 per level);
 * the limits leave room for the dashboards' queries and refuse the classic abuses: a depth bomb,
 * an alias bomb (the same expensive field asked hundreds of times), a huge document.
 */
export const limitsSchema = z.object({
  maxDepth: z.number().int().positive(),
  maxAliases: z.number().int().positive(),
  maxCost: z.number().int().positive(),
  maxTokens: z.number().int().positive(),
  maxDirectives: z.number().int().positive(),
});
export type QueryLimits = z.infer<typeof limitsSchema>;

export const DEFAULT_LIMITS: QueryLimits = { maxDepth: 10, maxAliases: 15, maxCost: 3000, maxTokens: 2000, maxDirectives: 20 };

export function armor(limits: QueryLimits) {
  return new ApolloArmor({
    maxDepth: { n: limits.maxDepth, exposeLimits: true },
    maxAliases: { n: limits.maxAliases, exposeLimits: true },
    costLimit: { maxCost: limits.maxCost, exposeLimits: true },
    maxTokens: { n: limits.maxTokens, exposeLimits: true },
    maxDirectives: { n: limits.maxDirectives, exposeLimits: true },
    // Field suggestions ("did you mean …?") would reveal the schema to a caller probing it.
    blockFieldSuggestion: { enabled: true },
  }).protect();
}

const LIMIT_MESSAGES: [RegExp, string, string][] = [
  [/Query depth limit of (\d+) exceeded, found (\d+)/, 'PROFONDEUR', 'La requête est trop profonde'],
  [/Aliases limit of (\d+) exceeded, found (\d+)/, 'ALIAS', "La requête utilise trop d'alias"],
  [/Query Cost limit of (\d+) exceeded, found (\d+)/, 'COUT', 'La requête est trop coûteuse'],
  [/Token limit of (\d+) exceeded/, 'JETONS', 'Le document de la requête est trop long'],
  [/Directives limit of (\d+) exceeded, found (\d+)/, 'DIRECTIVES', 'La requête utilise trop de directives'],
];

/**
 * graphql-armor reports its refusals as validation or syntax errors; they become a code of their
 * own, QUERY_LIMIT_EXCEEDED, naming the limit, so that a client can tell "too big" from "wrong".
 */
export function typedLimitError(formatted: GraphQLFormattedError): GraphQLFormattedError {
  for (const [pattern, limite, label] of LIMIT_MESSAGES) {
    const match = pattern.exec(formatted.message);
    if (match) {
      const [, max, found] = match;
      return {
        message: `${label} : limite ${max}${found ? `, trouvé ${found}` : ''}. Découpez-la en plusieurs requêtes plus simples.`,
        extensions: { code: 'QUERY_LIMIT_EXCEEDED', limite, max: Number(max), ...(found ? { trouve: Number(found) } : {}) },
      };
    }
  }
  return formatted;
}
