import type express from 'express';
import { bearerToken, GATEWAY_KEY_HEADER, secretMatches } from './auth';
import { ErrorCode } from './errors';
import { defaultMetricsRegistry, type MetricsRegistry } from './http/metrics';
import type { Logger } from './logger';

/** Who may read a service's operational metrics. */
export interface MetricsAccess {
  /** The gateway's shared secret, accepted in `x-agir-gateway-key`. */
  gatewaySecret: string;
  /**
   * A token of the monitoring system, accepted as `Authorization: Bearer <token>` (what a
   * Prometheus scrape job sends with `authorization: { credentials: … }`). Absent: only the
   * gateway's secret opens the metrics.
   */
  metricsToken?: string;
}

/**
 * `GET /metrics`: the outside systems' metrics (calls by outcome, errors by kind and reason,
 * circuit-breaker state, latency histogram, per remote) in the Prometheus text exposition format.
 * They hold no personal data but tell which partner is failing and how often the hub calls it,
 * so they are not public: the caller presents the gateway's secret or the monitoring token, each
 * compared in constant time; anyone else gets a 401 with a JSON body like the GraphQL endpoint's.
 */
export function metricsEndpoint(access: MetricsAccess, options: { registry?: MetricsRegistry; logger?: Logger } = {}): express.RequestHandler {
  const registry = options.registry ?? defaultMetricsRegistry;
  return (req, res, next) => {
    const viaGateway = secretMatches(access.gatewaySecret, req.header(GATEWAY_KEY_HEADER));
    const viaToken = access.metricsToken !== undefined && secretMatches(access.metricsToken, bearerToken(req.header('authorization')));
    if (!viaGateway && !viaToken) {
      res
        .status(401)
        .setHeader('www-authenticate', 'Bearer realm="metrics"')
        .json({
          errors: [
            {
              message: `Les métriques demandent la clé de la passerelle (en-tête ${GATEWAY_KEY_HEADER}) ou le jeton de supervision (Authorization: Bearer <METRICS_TOKEN>).`,
              extensions: { code: ErrorCode.UNAUTHENTICATED },
            },
          ],
        });
      return;
    }
    registry.exposition().then(
      ({ contentType, body }) => {
        res.status(200).setHeader('content-type', contentType).setHeader('cache-control', 'no-store').send(body);
      },
      (error: unknown) => {
        options.logger?.error({ err: error }, 'metrics exposition failed');
        next(error);
      },
    );
  };
}
