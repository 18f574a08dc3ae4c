import type { ApolloServerPlugin } from '@apollo/server';
import {
  getNamedType,
  GraphQLError,
  isCompositeType,
  isInterfaceType,
  isObjectType,
  Kind,
  valueFromASTUntyped,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/**
 * The cost of an operation, counted as graphql-armor counts it (2 per object, 1 per scalar, each
 * level 1.5 times its parent's), with one difference that matters: a field's cost is multiplied by
 * the page size it asks for (`first` or `last`) whether the size is written in the query, passed
 * as a variable, left to the variable's default or to the argument's default in the schema.
 * graphql-armor's rule reads literals only (a validation rule cannot see variable values), so a
 * page passed as a variable cost as if it held one item. Fragments count as if written in place.
 */
export interface CostWeights {
  objectCost: number;
  scalarCost: number;
  depthCostFactor: number;
}

export const COST_WEIGHTS: CostWeights = { objectCost: 2, scalarCost: 1, depthCostFactor: 1.5 };

const LIST_SIZE_ARGUMENTS = ['first', 'last'];

/**
 * What one item of a list weighs, for the lists that differ from the parcours list (1 otherwise).
 * An analysts' row is a flat pseudonymised row of one statement in one subgraph, with no entity
 * for the other subgraphs to resolve: its page of 1,000 (the CSV export's) weighs what a page of
 * 100 parcours does.
 */
const ITEM_WEIGHTS: Record<string, number> = { 'Query.analyseParcours': 0.1 };

interface Scope {
  schema: GraphQLSchema;
  fragments: Map<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
  variableDefaults: Map<string, unknown>;
  weights: CostWeights;
}

/** The page size a field asks for: its `first`/`last` argument, from the query, a variable or a default; 1 otherwise. */
function listSize(field: FieldNode, definition: GraphQLField<unknown, unknown> | undefined, scope: Scope): number {
  for (const name of LIST_SIZE_ARGUMENTS) {
    const argument = field.arguments?.find((a) => a.name.value === name);
    let value: unknown;
    if (argument) {
      value =
        argument.value.kind === Kind.VARIABLE
          ? (scope.variables[argument.value.name.value] ?? scope.variableDefaults.get(argument.value.name.value))
          : valueFromASTUntyped(argument.value);
    } else {
      value = definition?.args.find((a) => a.name === name)?.defaultValue;
    }
    if (typeof value === 'number' && Number.isFinite(value)) return Math.max(1, Math.floor(value));
  }
  return 1;
}

function selectionCost(selectionSet: SelectionSetNode, parent: GraphQLCompositeType | undefined, scope: Scope): number {
  let cost = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      const fields = parent && (isObjectType(parent) || isInterfaceType(parent)) ? parent.getFields() : undefined;
      const definition = fields?.[selection.name.value];
      if (!selection.selectionSet) {
        cost += scope.weights.scalarCost;
        continue;
      }
      if (selection.name.value === '__schema' || selection.name.value === '__type') continue; // introspection, refused outside development
      const type = definition ? getNamedType(definition.type) : undefined;
      const children = selectionCost(selection.selectionSet, type && isCompositeType(type) ? type : undefined, scope);
      const size = listSize(selection, definition, scope);
      const weight = size > 1 && parent ? (ITEM_WEIGHTS[`${parent.name}.${selection.name.value}`] ?? 1) : 1;
      cost += (scope.weights.objectCost + scope.weights.depthCostFactor * children) * Math.max(1, size * weight);
    } else {
      const fragment = selection.kind === Kind.FRAGMENT_SPREAD ? scope.fragments.get(selection.name.value) : selection;
      if (!fragment) continue;
      const condition = fragment.typeCondition ? scope.schema.getType(fragment.typeCondition.name.value) : parent;
      cost += selectionCost(fragment.selectionSet, condition && isCompositeType(condition) ? condition : parent, scope);
    }
  }
  return cost;
}

/** The cost of `operation` in `document` with these variable values (validation has already refused fragment cycles). */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> = {},
  weights: CostWeights = COST_WEIGHTS,
): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const variableDefaults = new Map<string, unknown>();
  for (const v of operation.variableDefinitions ?? []) if (v.defaultValue) variableDefaults.set(v.variable.name.value, valueFromASTUntyped(v.defaultValue));
  const root = operation.operation === 'query' ? schema.getQueryType() : operation.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
  return selectionCost(operation.selectionSet, root ?? undefined, { schema, fragments, variables, variableDefaults, weights });
}

/** The refusal of an operation over a limit, in the shape of every limit of the gateway (see `typedLimitError`). */
export function costLimitError(max: number, found: number): GraphQLError {
  return new GraphQLError(`La requête est trop coûteuse : limite ${max}, trouvé ${found}. Découpez-la en plusieurs requêtes plus simples.`, {
    extensions: { code: 'QUERY_LIMIT_EXCEEDED', limite: 'COUT', max, trouve: found, http: { status: 400 } },
  });
}

/**
 * Refuses, before any subgraph is called, an operation whose cost (`operationCost`, with the
 * request's variables) exceeds `maxCost`. A plugin rather than a validation rule: validation
 * rules do not see the variables.
 */
export function costLimitPlugin(options: { maxCost: number }): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, operation, schema }) {
          if (!operation) return;
          const cost = Math.round(operationCost(schema, document, operation, request.variables ?? {}));
          if (cost > options.maxCost) throw costLimitError(options.maxCost, cost);
        },
      };
    },
  };
}
