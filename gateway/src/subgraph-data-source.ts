import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ErrorCode, GATEWAY_KEY_HEADER, REQUEST_ID_HEADER, type Logger, type Viewer } from '@agir/common';
import { GraphQLError } from 'graphql';

export interface GatewayContext {
  requestId: string;
  logger: Logger;
  /** The caller's verified token, passed on as is: each subgraph verifies it again. */
  authorization: string;
  viewer: Viewer;
}

/**
 * Calls one subgraph on behalf of the gateway: passes the request id on, and turns a subgraph
 * that cannot be reached into a typed error naming its domain, so that the rest of the parcours
 * still answers and the client knows which part is missing.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    private readonly subgraph: { name: string; url: string; domaine: string },
    private readonly gatewaySecret: string,
  ) {
    super({ url: subgraph.url });
  }

  override willSendRequest({ request, context }: { request: { http?: { headers: { set(name: string, value: string): void } } }; context: Partial<GatewayContext> }): void {
    const headers = request.http?.headers;
    if (!headers) return;
    if (context.requestId) headers.set(REQUEST_ID_HEADER, context.requestId);
    if (context.authorization) headers.set('authorization', context.authorization);
    headers.set(GATEWAY_KEY_HEADER, this.gatewaySecret);
  }

  override async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): ReturnType<RemoteGraphQLDataSource['process']> {
    try {
      return await super.process(options);
    } catch (error) {
      // A subgraph refusing the request itself (HTTP 4xx with GraphQL errors, e.g. a variable
      // that its scalar refuses) has answered: its errors go to the client as they are.
      const response = (error as { extensions?: { response?: { status?: number; body?: { errors?: unknown[] } } } }).extensions?.response;
      if (response?.status && response.status < 500 && Array.isArray(response.body?.errors)) {
        return { errors: response.body.errors as never };
      }
      const context = options.context as Partial<GatewayContext>;
      context.logger?.warn({ err: error, subgraph: this.subgraph.name }, 'subgraph unavailable');
      throw new GraphQLError(
        `Le domaine ${this.subgraph.domaine} est indisponible : ses champs sont absents (null) de cette réponse, le reste du parcours est complet. Réessayez plus tard.`,
        { extensions: { code: ErrorCode.SUBGRAPH_UNAVAILABLE, serviceName: this.subgraph.name, domaine: this.subgraph.domaine } },
      );
    }
  }
}
