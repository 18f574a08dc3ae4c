import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, type ApolloServerPlugin, type BaseContext as ApolloBaseContext } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import express from 'express';
import type { DocumentNode, FragmentDefinitionNode, GraphQLSchema, OperationDefinitionNode, SelectionSetNode } from 'graphql';
import type { DataSource } from 'typeorm';
import { GraphQLError, Kind, type GraphQLFormattedError } from 'graphql';
import { AuthenticationError, bearerToken, GATEWAY_KEY_HEADER, secretMatches, type Viewer } from './auth';
import { createErrorFormatter, ErrorCode } from './errors';
import { createGatewayClient, type GatewayClient } from './gateway-client';
import { AuditTrail, isAudited } from './audit';
import { enterRequestScope } from './request-scope';
import { applyFieldRules, type FieldRules, type ProtectedFieldHooks } from './field-rules';
import { REQUEST_ID_HEADER, type Logger } from './logger';
import type { SqlCounter } from './database';
import type { MetricsRegistry } from './http/metrics';
import { metricsEndpoint } from './metrics-endpoint';
import { DEFAULT_LIMITS, directCallerLimits, parseOptions, typedLimitError } from './query-limits';
import { idempotencyPlugin } from './idempotency';

/** What every resolver of every subgraph receives; each subgraph adds its loaders. */
export interface BaseContext {
  requestId: string;
  logger: Logger;
  dataSource: DataSource;
  /** The verified caller. */
  viewer: Viewer;
  /** True when the request carries the gateway's own credential. */
  viaGateway: boolean;
  /** Queries the gateway on the caller's behalf (to read another domain's facts). */
  gateway: GatewayClient;
  /** This request's audit trail (reads written once at the end, writes in their transaction). */
  audit: AuditTrail;
}

/** How a service authenticates its callers. */
export interface ServiceAuth {
  verify(token: string): Promise<Viewer>;
  /** The secret the gateway presents to the subgraphs (header x-agir-gateway-key). */
  gatewaySecret: string;
}

/** A 401 in the shape of a GraphQL response, so that clients read it like any other error. */
function unauthenticated(res: express.Response, message: string): void {
  res.status(401).setHeader('www-authenticate', 'Bearer').json({ errors: [{ message, extensions: { code: ErrorCode.UNAUTHENTICATED } }] });
}

/**
 * Express middleware: a request without a valid bearer token gets a 401 and never reaches
 * GraphQL. On success the viewer is in `res.locals.viewer`.
 */
export function requireBearer(auth: ServiceAuth): express.RequestHandler {
  return (req, res, next) => {
    const token = bearerToken(req.header('authorization'));
    if (!token) {
      unauthenticated(res, 'Authentification requise : envoyez un jeton « Authorization: Bearer <jeton> » (npm run token pour la démonstration).');
      return;
    }
    auth.verify(token).then(
      (viewer) => {
        res.locals.viewer = viewer;
        enterRequestScope({ viewer, requestId: res.locals.requestId as string });
        res.locals.viaGateway = secretMatches(auth.gatewaySecret, req.header(GATEWAY_KEY_HEADER));
        next();
      },
      (error: unknown) => {
        if (error instanceof AuthenticationError) unauthenticated(res, error.message);
        else next(error);
      },
    );
  };
}

const FEDERATION_INTERNALS = new Set(['_entities', '_service']);

/**
 * The first federation internal field the operation selects anywhere: at the top, nested, inside
 * inline fragments or named fragments (each expanded once, so a cycle cannot loop), whatever the
 * aliases. The operation is walked as GraphQL executes it, not its text.
 */
export function federationInternalSelected(operation: OperationDefinitionNode, document: DocumentNode): string | null {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const expanded = new Set<string>();
  const walk = (selectionSet: SelectionSetNode | undefined): string | null => {
    for (const selection of selectionSet?.selections ?? []) {
      if (selection.kind === Kind.FIELD) {
        if (FEDERATION_INTERNALS.has(selection.name.value)) return selection.name.value;
        const inner = walk(selection.selectionSet);
        if (inner) return inner;
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const inner = walk(selection.selectionSet);
        if (inner) return inner;
      } else if (!expanded.has(selection.name.value)) {
        expanded.add(selection.name.value);
        const inner = walk(fragments.get(selection.name.value)?.selectionSet);
        if (inner) return inner;
      }
    }
    return null;
  };
  return walk(operation.selectionSet);
}

/**
 * Federation's internal root fields resolve any entity by key, bypassing the queries' own
 * checks, and `_service` hands out the subgraph's whole SDL: only the gateway, proving itself
 * with its key, may call them.
 */
function federationInternalsGuard<Ctx extends BaseContext>(): ApolloServerPlugin<Ctx> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, contextValue }) {
          if (!operation || contextValue.viaGateway) return;
          const internal = federationInternalSelected(operation, document);
          if (internal) {
            throw new GraphQLError(`Le champ ${internal} est réservé à la passerelle : interrogez la passerelle (gateway).`, {
              extensions: { code: ErrorCode.FORBIDDEN, http: { status: 403 }, field: `Query.${internal}` },
            });
          }
        },
      };
    },
  };
}

/**
 * Writes to the audit trail every FORBIDDEN this request answered that the field rules did not
 * already record (a role or département refused by a root field, a federation internal field):
 * who, what (the root field, or the field the error names), when, and why (its message).
 */
function recordRefusals(audit: AuditTrail, errors: readonly GraphQLError[], root: 'Query' | 'Mutation'): void {
  for (const error of errors) {
    if (error.extensions?.code !== ErrorCode.FORBIDDEN || isAudited(error)) continue;
    const named = typeof error.extensions.field === 'string' ? error.extensions.field : null;
    const top = typeof error.path?.[0] === 'string' ? `${root}.${error.path[0]}` : null;
    const parcoursId = typeof error.extensions.parcoursId === 'string' ? error.extensions.parcoursId : null;
    audit.recordRefusal({ operation: root === 'Mutation' ? 'WRITE' : 'READ', field: named ?? top ?? root, reason: error.message, parcoursId });
  }
}

/**
 * A subgraph as the server and the tests both build it: its name, its SDL, its resolvers and
 * how to make the per-request context (loaders are created there, never shared between requests).
 */
export interface SubgraphDefinition<Ctx extends BaseContext = BaseContext> {
  name: string;
  typeDefs: DocumentNode;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  resolvers: GraphQLResolverMap<any>;
  createContext(base: BaseContext): Ctx;
  /**
   * Who may read each field of personal data (one declarative table per subgraph), checked at
   * start: a personal type with a field and no rule fails the start.
   */
  fieldRules?: { rules: FieldRules; personalTypes: string[]; hooks: ProtectedFieldHooks<Ctx> };
}

export interface RunningService {
  name: string;
  url: string;
  port: number;
  stop(): Promise<void>;
}

export interface HttpServiceOptions {
  name: string;
  port: number;
  host?: string;
  logger: Logger;
  /** Answers whether the service can serve traffic; throws or returns false when not. */
  ready(): Promise<boolean>;
  /** Mounts the GraphQL endpoint (and anything else) on the app. */
  mount(app: express.Express): void;
  onStop?(): Promise<void>;
}

/**
 * Starts an HTTP service with the health endpoints every service exposes: `/health/live` (the
 * process answers) and `/health/ready` (its dependencies answer too), plus the request id: taken
 * from the caller's `x-request-id` when it sends one, made up otherwise, and echoed back.
 */
export async function startHttpService(options: HttpServiceOptions): Promise<RunningService & { httpServer: http.Server }> {
  const app = express();
  app.disable('x-powered-by');
  app.use((req, res, next) => {
    const incoming = req.header(REQUEST_ID_HEADER);
    const requestId = incoming && /^[\w.:-]{1,128}$/.test(incoming) ? incoming : randomUUID();
    res.locals.requestId = requestId;
    res.setHeader(REQUEST_ID_HEADER, requestId);
    next();
  });
  app.get('/health/live', (_req, res) => {
    res.json({ status: 'ok', service: options.name });
  });
  app.get('/health/ready', async (_req, res) => {
    let ok = false;
    try {
      ok = await options.ready();
    } catch (error) {
      options.logger.warn({ err: error }, 'readiness check failed');
    }
    res.status(ok ? 200 : 503).json({ status: ok ? 'ready' : 'unavailable', service: options.name });
  });
  const httpServer = http.createServer(app);
  options.mount(app);
  // A body that is not JSON, or too large, is the client's mistake: a 4xx in the shape of a GraphQL
  // answer (express's default is an HTML page, and a stack trace in development). Anything else
  // that reached here is the service's own fault: 500, with nothing of its internals.
  app.use((error: { status?: number; type?: string }, _req: express.Request, res: express.Response, next: express.NextFunction) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const status = typeof error.status === 'number' && error.status >= 400 && error.status < 500 ? error.status : 500;
    const message =
      error.type === 'entity.parse.failed'
        ? "Le corps de la requête n'est pas du JSON valide : envoyez {\"query\": \"…\", \"variables\": {…}}."
        : error.type === 'entity.too.large'
          ? 'Le corps de la requête est trop grand (1 Mo au plus) : découpez-la.'
          : status < 500
            ? 'Requête HTTP invalide.'
            : 'Erreur interne du service : réessayez, ou signalez-la avec son identifiant de requête.';
    if (status >= 500) options.logger.error({ err: error, requestId: res.locals.requestId }, 'internal error outside GraphQL');
    res.status(status).json({ errors: [{ message, extensions: { code: status < 500 ? 'BAD_REQUEST' : 'INTERNAL_SERVER_ERROR', requestId: res.locals.requestId } }] });
  });
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = httpServer.address() as AddressInfo;
  const host = options.host && options.host !== '0.0.0.0' ? options.host : '127.0.0.1';
  const url = `http://${host}:${port}/graphql`;
  let stopping: Promise<void> | undefined;
  return {
    name: options.name,
    url,
    port,
    httpServer,
    stop() {
      stopping ??= (async () => {
        await options.onStop?.();
        if (httpServer.listening) await new Promise<void>((resolve) => httpServer.close(() => resolve()));
      })();
      return stopping;
    },
  };
}

export interface SubgraphRuntime {
  auth: ServiceAuth;
  /** The gateway's GraphQL URL (a function: in tests the gateway starts after the subgraphs). */
  gatewayUrl: () => string;
  dataSource: DataSource;
  counter: SqlCounter;
  logger: Logger;
  port: number;
  host?: string;
  development: boolean;
  /**
   * The monitoring system's token for `GET /metrics` (besides the gateway's secret); see
   * metrics-endpoint.ts.
   */
  metricsToken?: string;
  /** The outside systems' metrics `GET /metrics` exposes: the process's registry by default. */
  metrics?: MetricsRegistry;
}

/**
 * Serves a subgraph over HTTP, with `GET /metrics` (the outside systems' metrics, for the gateway's
 * secret or the monitoring token only). The data source must be initialised and migrated by the caller
 * (the entrypoint or a test), which also owns closing it.
 */
/** A subgraph's executable schema, its field rules applied, as the server serves it (and the tests inspect it). */
export function buildProtectedSchema<Ctx extends BaseContext>(definition: SubgraphDefinition<Ctx>): GraphQLSchema {
  const schema = buildSubgraphSchema([{ typeDefs: definition.typeDefs, resolvers: definition.resolvers }]);
  if (definition.fieldRules) applyFieldRules(schema, definition.fieldRules.rules, definition.fieldRules.personalTypes, definition.fieldRules.hooks);
  return schema;
}

/** How long a stopping subgraph waits for the requests still running after its connections closed. */
const DRAIN_REQUESTS_MS = 10_000;

/** The GraphQL requests a server is running, whatever became of their connections. */
class InFlight {
  private count = 0;
  private waiting: (() => void)[] = [];

  track(handled: unknown): void {
    this.count += 1;
    void Promise.resolve(handled)
      .catch(() => undefined)
      .finally(() => {
        this.count -= 1;
        if (this.count === 0) for (const resolve of this.waiting.splice(0)) resolve();
      });
  }

  /** Resolves once none runs, or after `limitMs`. */
  settled(limitMs: number): Promise<void> {
    if (this.count === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, limitMs);
      this.waiting.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}

export async function startSubgraph<Ctx extends BaseContext>(definition: SubgraphDefinition<Ctx>, runtime: SubgraphRuntime): Promise<RunningService> {
  const schema = buildProtectedSchema(definition);
  let apollo: ApolloServer<Ctx> | undefined;
  const inFlight = new InFlight();
  const service = await startHttpService({
    name: definition.name,
    port: runtime.port,
    host: runtime.host,
    logger: runtime.logger,
    async ready() {
      await runtime.dataSource.query('SELECT 1');
      return true;
    },
    mount(app) {
      app.get(
        '/metrics',
        metricsEndpoint(
          { gatewaySecret: runtime.auth.gatewaySecret, ...(runtime.metricsToken ? { metricsToken: runtime.metricsToken } : {}) },
          { logger: runtime.logger, ...(runtime.metrics ? { registry: runtime.metrics } : {}) },
        ),
      );
      app.use('/graphql', express.json({ limit: '1mb' }), (req, res, next) => {
        // Count this request's SQL statements apart and log them with its duration.
        const started = process.hrtime.bigint();
        const sql = runtime.counter.enterRequest();
        res.on('finish', () => {
          runtime.logger.info(
            { requestId: res.locals.requestId, status: res.statusCode, ms: Number(process.hrtime.bigint() - started) / 1e6, sqlStatements: sql.count },
            'graphql request',
          );
        });
        next();
      });
      app.use('/graphql', requireBearer(runtime.auth));
      app.use(
        '/graphql',
        (req, res, next) => {
          if (!apollo) {
            res.status(503).json({ errors: [{ message: 'Service en cours de démarrage', extensions: { code: 'SERVICE_UNAVAILABLE' } }] });
            return;
          }
          const handled = expressMiddleware(apollo, {
            context: async ({ req: request, res: response }) =>
              definition.createContext({
                gateway: createGatewayClient({
                  url: runtime.gatewayUrl,
                  authorization: request.header('authorization'),
                  requestId: response.locals.requestId as string,
                  gatewaySecret: runtime.auth.gatewaySecret,
                }),
                requestId: response.locals.requestId as string,
                logger: runtime.logger.child({ requestId: response.locals.requestId }),
                dataSource: runtime.dataSource,
                viewer: response.locals.viewer as Viewer,
                viaGateway: response.locals.viaGateway === true,
                audit: new AuditTrail(response.locals.viewer as Viewer, response.locals.requestId as string),
              }),
          })(req, res, next);
          inFlight.track(handled);
        },
      );
    },
    async onStop() {
      await apollo?.stop();
      // Apollo's drain waits for the connections; a request whose connection was closed under it
      // (one that arrived on a keep-alive connection as the drain ended it) still runs: its write
      // commits and its answer, idempotency key included, is recorded before the pool closes.
      await inFlight.settled(DRAIN_REQUESTS_MS);
    },
  });
  apollo = new ApolloServer<Ctx>({
    schema,
    // The process's own handler stops the service, its webhook worker and its pool, in order.
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: runtime.development,
    formatError: (() => {
      const format = createErrorFormatter({
        development: runtime.development,
        onInternalError: (error) => runtime.logger.error({ err: error }, 'internal error'),
      });
      return (formatted: GraphQLFormattedError, error: unknown) => format(typedLimitError(formatted), error);
    })(),
    // The gateway's limits, for the callers that reach this port without going through it.
    parseOptions: parseOptions(DEFAULT_LIMITS),
    // Inline traces are for Apollo's hosted studio, which the hub does not report to.
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer: service.httpServer }),
      ApolloServerPluginInlineTraceDisabled(),
      federationInternalsGuard<Ctx>(),
      ...directCallerLimits<Ctx>(DEFAULT_LIMITS, (context) => context.viaGateway),
      idempotencyPlugin<Ctx>(),
      {
        // The reads of personal data this request made, and its refusals, in one statement, before answering.
        async requestDidStart() {
          return {
            async didEncounterErrors({ errors, contextValue, operation }) {
              recordRefusals(contextValue.audit, errors, operation?.operation === 'mutation' ? 'Mutation' : 'Query');
            },
            async willSendResponse({ contextValue }) {
              await contextValue.audit.flush(runtime.dataSource);
            },
          };
        },
      },
    ],
  });
  await apollo.start();
  return service;
}

export type { ApolloBaseContext };
