/**
 * The shared resilient HTTP client for outside systems (France Travail, data·inclusion,
 * Réfugiés.info...): timeouts, retries with back-off for idempotent calls, a circuit breaker per
 * remote, zod-validated answers, typed errors and in-memory metrics.
 */
export * from './clock';
export * from './errors';
export * from './metrics';
export * from './resilient-client';
