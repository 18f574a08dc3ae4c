import { GraphQLError } from 'graphql';
import { ErrorCode } from './errors';
import { REQUEST_ID_HEADER } from './logger';
import { GATEWAY_KEY_HEADER } from './auth';

/**
 * A subgraph's way to read another domain's facts: a GraphQL query to the gateway, on behalf of
 * the caller (their token and request id are passed on, so the owning subgraph applies its own
 * rules to them). No subgraph ever reads another's database.
 */
export interface GatewayClient {
  query<T>(query: string, variables?: Record<string, unknown>): Promise<T>;
}

/**
 * `gatewaySecret` tells the gateway that the request comes from a subgraph on a user's behalf: the
 * user's action was counted against their rate limit when it entered, and is not counted again.
 */
export function createGatewayClient(options: { url: () => string; authorization?: string; requestId: string; gatewaySecret?: string }): GatewayClient {
  return {
    async query<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
      let body: { data?: T; errors?: { message: string; extensions?: { code?: string } }[] };
      try {
        const response = await fetch(options.url(), {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            [REQUEST_ID_HEADER]: options.requestId,
            ...(options.authorization ? { authorization: options.authorization } : {}),
            ...(options.gatewaySecret ? { [GATEWAY_KEY_HEADER]: options.gatewaySecret } : {}),
          },
          body: JSON.stringify({ query, variables }),
          signal: AbortSignal.timeout(5000),
        });
        body = (await response.json()) as typeof body;
      } catch (error) {
        throw new GraphQLError('La passerelle ne répond pas : impossible de lire les données des autres domaines. Réessayez plus tard.', {
          extensions: { code: ErrorCode.SUBGRAPH_UNAVAILABLE },
          originalError: error instanceof Error ? error : undefined,
        });
      }
      const first = body.errors?.[0];
      if (first) {
        throw new GraphQLError(first.message, { extensions: { code: first.extensions?.code ?? ErrorCode.SUBGRAPH_UNAVAILABLE } });
      }
      return body.data as T;
    },
  };
}
