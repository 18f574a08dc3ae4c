import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import { z } from 'zod';
import { costLimitPlugin } from './cost';

/**
 * The gateway's limits on what one operation may ask: depth, aliases, cost, document size and
 * directives. They refuse the classic abuses: a depth bomb, an alias bomb (the same expensive
 * field asked many times), a huge document.
 *
 * The cost (`cost.ts`: 2 per object, 1 per scalar, each level 1.5 times its parent's, times the
 * page size `first` however it is given) of the README's unified view at its largest page,
 * `parcoursListe(first: 100)`, is 10,288; with the binôme's two referents and their structures,
 * 18,219. The limit, 18,500, admits both and refuses what costs more: the same page asked twice
 * under two aliases (20,575), a page of 100 with deeper nodes, a list nested in a list. The
 * analysts' page of 1,000 rows (the CSV export's) costs about 7,400.
 */
export const limitsSchema = z.object({
  maxDepth: z.number().int().positive(),
  maxAliases: z.number().int().positive(),
  maxCost: z.number().int().positive(),
  maxTokens: z.number().int().positive(),
  maxDirectives: z.number().int().positive(),
});
export type QueryLimits = z.infer<typeof limitsSchema>;

export const DEFAULT_LIMITS: QueryLimits = { maxDepth: 10, maxAliases: 15, maxCost: 18_500, maxTokens: 2000, maxDirectives: 20 };

/** The limits as validation rules and plugins of the gateway's Apollo Server. */
export function armor(limits: QueryLimits): { validationRules: ReturnType<ApolloArmor['protect']>['validationRules']; plugins: ApolloServerPlugin[] } {
  const protection = new ApolloArmor({
    maxDepth: { n: limits.maxDepth, exposeLimits: true },
    maxAliases: { n: limits.maxAliases, exposeLimits: true },
    // graphql-armor's cost counts a literal `first` only: the gateway's own rule (`cost.ts`) replaces it.
    costLimit: { enabled: false },
    maxTokens: { n: limits.maxTokens, exposeLimits: true },
    maxDirectives: { n: limits.maxDirectives, exposeLimits: true },
    // Field suggestions ("did you mean …?") would reveal the schema to a caller probing it.
    blockFieldSuggestion: { enabled: true },
  }).protect();
  return {
    validationRules: protection.validationRules,
    plugins: [...(protection.plugins as ApolloServerPlugin[]), costLimitPlugin({ maxCost: limits.maxCost })],
  };
}

const LIMIT_MESSAGES: [RegExp, string, string][] = [
  [/Query depth limit of (\d+) exceeded, found (\d+)/, 'PROFONDEUR', 'La requête est trop profonde'],
  [/Aliases limit of (\d+) exceeded, found (\d+)/, 'ALIAS', "La requête utilise trop d'alias"],
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
