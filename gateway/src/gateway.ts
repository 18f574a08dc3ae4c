import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import { armor, createErrorFormatter, DEFAULT_LIMITS, typedLimitError, type QueryLimits, createTokenVerifier, GATEWAY_KEY_HEADER, requireBearer, secretMatches, startHttpService, type Logger, type RunningService, type SubgraphConfig, type Viewer } from '@agir/common';
import express from 'express';
import { GraphQLError } from 'graphql';
import { rateLimit } from 'express-rate-limit';
import { SubgraphDataSource, type GatewayContext } from './subgraph-data-source';
import { mountStatic } from './static';
import { mountExport } from './export';
import type { SubgraphEndpoint } from './config';

export interface GatewayOptions {
  supergraphSdl: string;
  subgraphs: SubgraphEndpoint[];
  port: number;
  host?: string;
  development: boolean;
  logger: Logger;
  auth: SubgraphConfig['auth'];
  limits?: QueryLimits;
  /** Requests per user and per minute (default 600). */
  rateLimitPerMinute?: number;
  /** The deadline of one subgraph fetch, in ms (default 10 s). */
  subgraphTimeoutMs?: number;
  /** How long a subgraph's open circuit answers at once before it is tried again, in ms (default 5 s). */
  subgraphHalfOpenMs?: number;
  /** The limits that apply before a caller is known, and to the CSV export. */
  rateLimits?: Partial<RateLimits>;
}

/** Requests per minute, by client address or by user, beside the per-user limit on /graphql. */
export interface RateLimits {
  /** Every request to /graphql and /export from one address, before authentication. */
  perIpPerMinute: number;
  /** Refused authentications (401) from one address: a flood of invalid or missing tokens. */
  failedAuthenticationsPerMinute: number;
  /** CSV exports started by one user (each one pages through the whole selection). */
  exportsPerMinute: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = { perIpPerMinute: 1200, failedAuthenticationsPerMinute: 30, exportsPerMinute: 10 };

/** A 429 in the shape of a GraphQL response, with a message saying how long to wait. */
function limited(message: string): (req: express.Request, res: express.Response) => void {
  return (_req, res) => {
    res.status(429).json({ errors: [{ message, extensions: { code: 'RATE_LIMITED' } }] });
  };
}

/**
 * Serves the static supergraph over the subgraphs. The supergraph is the checked-in artefact;
 * subgraph URLs come from configuration, so the same artefact runs locally, in tests (port 0)
 * and in deployment.
 */
export async function startGateway(options: GatewayOptions): Promise<RunningService> {
  // The hub sends nothing to outside systems it was not configured for: Apollo Gateway's usage
  // telemetry would post metrics to Apollo and first probe the cloud providers' metadata addresses
  // (169.254.169.254). Off unless the operator sets the variable to something else.
  process.env.APOLLO_TELEMETRY_DISABLED ??= 'true';
  const byName = new Map(options.subgraphs.map((s) => [s.name, s]));
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    buildService({ name, url }) {
      const endpoint = byName.get(name);
      return new SubgraphDataSource({ name, url: endpoint?.url ?? url ?? '', domaine: endpoint?.domaine ?? name }, options.auth.gatewaySecret, options.subgraphTimeoutMs, options.subgraphHalfOpenMs);
    },
  });
  const auth = { verify: createTokenVerifier(options.auth), gatewaySecret: options.auth.gatewaySecret };
  let apollo: ApolloServer<GatewayContext> | undefined;
  const service = await startHttpService({
    name: 'gateway',
    port: options.port,
    host: options.host,
    logger: options.logger,
    async ready() {
      return apollo !== undefined;
    },
    mount(app) {
      mountStatic(app); // /dashboard and /explorer: static pages (no data, no token); their data comes from /graphql
      const limits = { ...DEFAULT_RATE_LIMITS, ...options.rateLimits };
      const window = { windowMs: 60_000, standardHeaders: 'draft-8' as const, legacyHeaders: false };
      // Before authentication, per client address (express's req.ip), so that a flood costs no
      // token verification; then the refused authentications alone, so that guessing tokens or
      // sending none stops early while a client with a valid token keeps its whole budget.
      // A subgraph reading another domain's facts on a user's behalf presents the gateway's secret:
      // the user's action was counted when it entered, and is not counted again (nor would all the
      // users served by one subgraph share its address's budget).
      const fromSubgraph = (req: express.Request) => secretMatches(options.auth.gatewaySecret, req.header(GATEWAY_KEY_HEADER));
      const perIp = rateLimit({ ...window, limit: limits.perIpPerMinute, skip: fromSubgraph, handler: limited('Trop de requêtes depuis votre adresse : attendez une minute avant de réessayer.') });
      const failedAuthentications = rateLimit({
        ...window,
        limit: limits.failedAuthenticationsPerMinute,
        requestWasSuccessful: (_req, res) => res.statusCode !== 401,
        skipSuccessfulRequests: true,
        handler: limited("Trop d'authentifications refusées depuis votre adresse : vérifiez votre jeton, puis attendez une minute avant de réessayer."),
      });
      for (const path of ['/graphql', '/export']) app.use(path, perIp, failedAuthentications);
      // The gateway authenticates and passes the token on; each subgraph verifies it again and
      // decides what the caller may see of its own data.
      app.use('/graphql', requireBearer(auth));
      // An export pages through every row of its selection: a few per user and minute.
      const exports = rateLimit({
        ...window,
        limit: limits.exportsPerMinute,
        keyGenerator: (_req, res) => (res.locals.viewer as Viewer).userId,
        handler: limited(`Trop d'exports : ${limits.exportsPerMinute} par minute au plus ; attendez une minute avant de réessayer.`),
      });
      mountExport(app, { auth, supergraphSdl: options.supergraphSdl, logger: options.logger, limit: exports }); // GET /export/analyse-parcours.csv (bearer token required)
      // Per user (the token's subject), so that one tool's loop cannot starve the others.
      app.use(
        '/graphql',
        rateLimit({
          windowMs: 60_000,
          limit: options.rateLimitPerMinute ?? 600,
          standardHeaders: 'draft-8',
          legacyHeaders: false,
          keyGenerator: (_req, res) => (res.locals.viewer as Viewer).userId,
          skip: fromSubgraph,
          handler: (_req, res) => {
            res.status(429).json({
              errors: [{ message: 'Trop de requêtes : attendez une minute avant de réessayer.', extensions: { code: 'RATE_LIMITED' } }],
            });
          },
        }),
      );
      app.use('/graphql', express.json({ limit: '1mb' }), (req, res, next) => {
        const started = process.hrtime.bigint();
        res.on('finish', () => {
          options.logger.info(
            { requestId: res.locals.requestId, status: res.statusCode, ms: Number(process.hrtime.bigint() - started) / 1e6 },
            'graphql request',
          );
        });
        if (!apollo) {
          res.status(503).json({ errors: [{ message: 'Passerelle en cours de démarrage', extensions: { code: 'SERVICE_UNAVAILABLE' } }] });
          return;
        }
        expressMiddleware(apollo, {
          context: async ({ req: request, res: response }) => ({
            authorization: request.header('authorization') as string,
            viewer: response.locals.viewer as Viewer,
            requestId: response.locals.requestId as string,
            logger: options.logger.child({ requestId: response.locals.requestId }),
            ...(request.header('idempotency-key') !== undefined ? { idempotencyKey: request.header('idempotency-key') as string } : {}),
          }),
        })(req, res, next);
      });
    },
    async onStop() {
      await apollo?.stop();
    },
  });
  const protection = armor(options.limits ?? DEFAULT_LIMITS);
  const formatError = createErrorFormatter({
    development: options.development,
    onInternalError: (error) => options.logger.error({ err: error }, 'internal error'),
  });
  apollo = new ApolloServer<GatewayContext>({
    gateway,
    // runMain's handler owns the shutdown (drain, then exit).
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: options.development,
    // Introspection and the schema explorer are for development; production clients use the
    // checked-in supergraph.
    introspection: options.development,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    validationRules: protection.validationRules,
    parseOptions: protection.parseOptions,
    formatError: (formatted, error) => formatError(typedLimitError(formatted), error),
    plugins: [
      ...protection.plugins,
      ApolloServerPluginDrainHttpServer({ httpServer: service.httpServer }),
      {
        // Every error carries the request id, which the logs of the gateway and of each subgraph share.
        async requestDidStart({ contextValue }) {
          return {
            // An operation name that names no operation of the document (an empty one included) is
            // the client's mistake; without this the gateway's executor got nothing to run and the
            // answer was an internal error.
            async didResolveOperation({ operation, request }) {
              if (!operation) {
                throw new GraphQLError(
                  `Aucune opération du document ne porte le nom « ${String(request.operationName ?? '').slice(0, 100)} » : donnez le nom d'une de ses opérations dans operationName, ou omettez-le si le document n'en a qu'une.`,
                  { extensions: { code: 'BAD_USER_INPUT', field: 'operationName', http: { status: 400 } } },
                );
              }
            },
            async didEncounterErrors({ errors }) {
              for (const error of errors) (error.extensions as Record<string, unknown>).requestId = contextValue.requestId;
            },
          };
        },
      },
    ],
  });
  await apollo.start();
  return service;
}
