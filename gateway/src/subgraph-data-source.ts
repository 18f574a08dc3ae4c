import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ErrorCode, GATEWAY_KEY_HEADER, IDEMPOTENCY_KEY_HEADER, REQUEST_ID_HEADER, type Logger, type Viewer } from '@agir/common';
import { BrokenCircuitError, circuitBreaker, ConsecutiveBreaker, handleWhen, type CircuitBreakerPolicy } from 'cockatiel';
import { GraphQLError } from 'graphql';

/** How long the gateway waits for one subgraph fetch, answer included, by default. */
export const DEFAULT_SUBGRAPH_TIMEOUT_MS = 10_000;
/** Consecutive failed fetches (unreachable or past the deadline) that open a subgraph's circuit. */
export const SUBGRAPH_BREAKER_THRESHOLD = 3;
/** How long an open circuit answers at once before one request tries the subgraph again. */
export const DEFAULT_SUBGRAPH_HALF_OPEN_MS = 5_000;

export interface GatewayContext {
  requestId: string;
  logger: Logger;
  /** The caller's verified token, passed on as is: each subgraph verifies it again. */
  authorization: string;
  viewer: Viewer;
  /** The client's `Idempotency-Key`, passed on to the subgraphs' mutation fetches only. */
  idempotencyKey?: string;
}

/** A fetch that got no answer: refused, reset, or past its deadline (not an answer with errors). */
class SubgraphUnreachable extends Error {
  constructor(
    readonly timedOut: boolean,
    options: { cause: unknown },
  ) {
    super(timedOut ? 'subgraph fetch past its deadline' : 'subgraph unreachable', options);
  }
}

/**
 * Calls one subgraph on behalf of the gateway: passes the request id on, and turns a subgraph
 * that cannot be reached into a typed error naming its domain, so that the rest of the parcours
 * still answers and the client knows which part is missing.
 *
 * Each fetch has a deadline, so a subgraph that accepts connections and never answers (a frozen
 * process, a saturated event loop, a partition) costs its own fields, not the whole request; and a
 * circuit breaker, so that while it stays so, requests do not each wait for the deadline: after
 * three consecutive failures its fields answer at once, and every few seconds one request tries it
 * again and closes the circuit when it answers.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  private readonly breaker: CircuitBreakerPolicy;

  constructor(
    private readonly subgraph: { name: string; url: string; domaine: string },
    private readonly gatewaySecret: string,
    private readonly timeoutMs: number = DEFAULT_SUBGRAPH_TIMEOUT_MS,
    halfOpenAfterMs: number = DEFAULT_SUBGRAPH_HALF_OPEN_MS,
  ) {
    super({
      url: subgraph.url,
      // Node's own fetch (undici) rather than the library's default agent: undici reads the
      // subgraph's `Keep-Alive: timeout=5` answer and retires an idle connection before the server
      // closes it, where the default agent kept idle sockets without limit and could reuse one at
      // the very moment the subgraph closed it.
      fetcher: (async (url: string, init: RequestInit) => {
        try {
          return await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
        } catch (error) {
          throw new SubgraphUnreachable((error as { name?: string }).name === 'TimeoutError', { cause: error });
        }
      }) as never,
    });
    this.breaker = circuitBreaker(
      handleWhen((error) => error instanceof SubgraphUnreachable),
      { halfOpenAfter: halfOpenAfterMs, breaker: new ConsecutiveBreaker(SUBGRAPH_BREAKER_THRESHOLD) },
    );
  }

  override willSendRequest({ request, context }: { request: { query?: string; http?: { headers: { set(name: string, value: string): void } } }; context: Partial<GatewayContext> }): void {
    const headers = request.http?.headers;
    if (!headers) return;
    // The subgraph that owns the write keeps the key; the reads of the same plan need none.
    if (context.idempotencyKey !== undefined && /^\s*mutation\b/.test(request.query ?? '')) headers.set(IDEMPOTENCY_KEY_HEADER, context.idempotencyKey);
    if (context.requestId) headers.set(REQUEST_ID_HEADER, context.requestId);
    if (context.authorization) headers.set('authorization', context.authorization);
    headers.set(GATEWAY_KEY_HEADER, this.gatewaySecret);
  }

  override async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): ReturnType<RemoteGraphQLDataSource['process']> {
    try {
      return await this.breaker.execute(() => super.process(options));
    } catch (error) {
      // A subgraph refusing the request itself (HTTP 4xx with GraphQL errors, e.g. a variable
      // that its scalar refuses) has answered: its errors go to the client as they are.
      const response = (error as { extensions?: { response?: { status?: number; body?: { errors?: unknown[] } } } }).extensions?.response;
      if (response?.status && response.status < 500 && Array.isArray(response.body?.errors)) {
        return { errors: response.body.errors as never };
      }
      const raison = error instanceof BrokenCircuitError ? 'CIRCUIT_OUVERT' : error instanceof SubgraphUnreachable && error.timedOut ? 'DELAI_DEPASSE' : 'INJOIGNABLE';
      const context = options.context as Partial<GatewayContext>;
      if (raison !== 'CIRCUIT_OUVERT') context.logger?.warn({ err: error, subgraph: this.subgraph.name, raison }, 'subgraph unavailable');
      const pourquoi = {
        DELAI_DEPASSE: ` (pas de réponse en ${this.timeoutMs} ms)`,
        CIRCUIT_OUVERT: ' (il ne répondait plus : la passerelle réessaie dans quelques secondes)',
        INJOIGNABLE: '',
      }[raison];
      throw new GraphQLError(
        `Le domaine ${this.subgraph.domaine} est indisponible${pourquoi} : ses champs sont absents (null) de cette réponse, le reste du parcours est complet. Réessayez plus tard.`,
        {
          extensions: {
            code: ErrorCode.SUBGRAPH_UNAVAILABLE,
            serviceName: this.subgraph.name,
            domaine: this.subgraph.domaine,
            raison,
            ...(raison === 'DELAI_DEPASSE' ? { delaiMs: this.timeoutMs } : {}),
          },
        },
      );
    }
  }
}
