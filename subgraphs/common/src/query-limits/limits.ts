import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, validate, type GraphQLFormattedError, type ParseOptions, type ValidationRule } from 'graphql';
import { z } from 'zod';
import { costLimitError, costLimitPlugin, operationCost } from './cost';

/**
 * The limits on what one operation may ask: depth, aliases, cost, document size and directives.
 * They refuse the classic abuses: a depth bomb, an alias bomb (the same expensive field asked many
 * times), a huge document. The gateway applies them to every request; each subgraph applies the
 * same ones to every request that does not come from the gateway (which has applied them
 * already), so that a caller reaching a subgraph's port directly meets the same limits.
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

/** armor's validation rules and plugins for these limits, without its cost (`cost.ts`) and token count (the parser's). */
function armorProtection(limits: QueryLimits) {
  return new ApolloArmor({
    maxDepth: { n: limits.maxDepth, exposeLimits: true },
    maxAliases: { n: limits.maxAliases, exposeLimits: true },
    // graphql-armor's cost counts a literal `first` only: the hub's own rule (`cost.ts`) replaces it.
    costLimit: { enabled: false },
    // graphql-armor counts tokens in a parser of its own run before Apollo's, whose errors (even a
    // plain syntax error) came out as HTTP 500: graphql-js's parser counts them instead
    // (`parseOptions`), and its refusal is a parse error, HTTP 400.
    maxTokens: { enabled: false },
    maxDirectives: { n: limits.maxDirectives, exposeLimits: true },
    // Field suggestions ("did you mean …?") would reveal the schema to a caller probing it.
    blockFieldSuggestion: { enabled: true },
  }).protect();
}

/** The parser's options that enforce the document size limit. */
export function parseOptions(limits: QueryLimits): ParseOptions {
  return { maxTokens: limits.maxTokens };
}

/** The limits as validation rules and plugins of the gateway's Apollo Server, which applies them to every request. */
export function armor(limits: QueryLimits): { validationRules: ValidationRule[]; plugins: ApolloServerPlugin[]; parseOptions: ParseOptions } {
  const protection = armorProtection(limits);
  return {
    validationRules: protection.validationRules as ValidationRule[],
    plugins: [...(protection.plugins as ApolloServerPlugin[]), costLimitPlugin({ maxCost: limits.maxCost })],
    parseOptions: parseOptions(limits),
  };
}

/**
 * The same limits for a subgraph: every operation that does not carry the gateway's credential
 * (`fromGateway` false) is checked against the depth, alias and directive rules and the cost
 * before it runs, and refused with the same typed errors as at the gateway. Field suggestions are
 * masked for every caller. Validation rules apply to every request of an Apollo Server, so the
 * rules run here, in a plugin that can tell the callers apart.
 */
export function directCallerLimits<Ctx extends object>(limits: QueryLimits, fromGateway: (context: Ctx) => boolean): ApolloServerPlugin<Ctx>[] {
  const protection = armorProtection(limits);
  const rules = protection.validationRules as ValidationRule[];
  return [
    ...(protection.plugins as ApolloServerPlugin<Ctx>[]),
    {
      async requestDidStart() {
        return {
          async didResolveOperation({ contextValue, document, operation, request, schema }) {
            if (fromGateway(contextValue)) return;
            const [refused] = validate(schema, document, rules);
            if (refused) {
              const typed = typedLimitError({ message: refused.message });
              throw new GraphQLError(typed.message, { extensions: { ...(typed.extensions ?? { code: 'GRAPHQL_VALIDATION_FAILED' }), http: { status: 400 } } });
            }
            if (!operation) return;
            const cost = Math.round(operationCost(schema, document, operation, request.variables ?? {}));
            if (cost > limits.maxCost) throw costLimitError(limits.maxCost, cost);
          },
        };
      },
    },
  ];
}

const LIMIT_MESSAGES: [RegExp, string, string][] = [
  [/Query depth limit of (\d+) exceeded, found (\d+)/, 'PROFONDEUR', 'La requête est trop profonde'],
  [/Aliases limit of (\d+) exceeded, found (\d+)/, 'ALIAS', "La requête utilise trop d'alias"],
  [/Document contains more that (\d+) tokens/, 'JETONS', 'Le document de la requête est trop long'],
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
