import { z } from 'zod';

/**
 * Raised when the environment does not describe a runnable service. The message lists every bad
 * variable at once, so a deployment is fixed in one pass rather than one error per restart.
 */
export class ConfigError extends Error {
  constructor(service: string, readonly problems: string[]) {
    super(`Configuration invalide pour ${service} :\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** What an error message may show of a received value: never a secret, never a password. */
function shown(name: string, value: string): string {
  if (/SECRET|PASSWORD|TOKEN|KEY/.test(name)) return '(valeur masquée)';
  try {
    const url = new URL(value);
    if (url.password) url.password = '***';
    return `« ${url.toString()} »`;
  } catch {
    return `« ${value} »`;
  }
}

/** Parses `env` with a zod object schema whose keys are the variable names. */
export function readEnv<S extends z.ZodObject>(service: string, schema: S, env: NodeJS.ProcessEnv): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join('.');
    const received = name ? env[name] : undefined;
    return `${name}: ${issue.message}${received === undefined ? ' (variable absente)' : ` (reçu ${shown(name, received)})`}`;
  });
  throw new ConfigError(service, problems);
}

export const port = (fallback: number) =>
  z.coerce.number().int('doit être un entier').min(0, 'doit être entre 0 et 65535').max(65535, 'doit être entre 0 et 65535').default(fallback);

export const postgresUrl = z
  .string({ message: 'URL PostgreSQL requise, ex. postgres://agir_coordination:secret@127.0.0.1:5432/agir_coordination' })
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.pathname.length > 1;
    } catch {
      return false;
    }
  }, 'doit être une URL postgres://utilisateur:motdepasse@hôte:port/base');

export const httpUrl = z.string().refine((value) => {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}, 'doit être une URL http(s)://hôte:port/chemin');

export const nodeEnv = z.enum(['development', 'production', 'test']).default('development');
export const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info');

/**
 * A duration in seconds, written `43200`, `3600s`, `90m` or `12h`; between 1 minute and 7 days,
 * so that a typo (`12` for 12 hours) or a token valid for months is caught at start.
 */
export const tokenAge = z
  .string()
  .default('12h')
  .transform((value, context) => {
    const match = /^(\d+)\s*(s|m|min|h)?$/.exec(value.trim());
    const unit = match?.[2] ?? 's';
    const seconds = match ? Number(match[1]) * (unit === 'h' ? 3600 : unit === 'm' || unit === 'min' ? 60 : 1) : Number.NaN;
    if (!Number.isFinite(seconds) || seconds < 60 || seconds > 7 * 24 * 3600) {
      context.addIssue({ code: 'custom', message: 'doit être une durée entre 1 minute et 7 jours, en secondes ou avec une unité (ex. 43200, 90m, 12h)' });
      return z.NEVER;
    }
    return seconds;
  });

/** How every service authenticates: the same variables for the gateway and each subgraph. */
export const authEnv = {
  AUTH_ISSUER: z.string().min(1).default('agir-hub'),
  AUTH_AUDIENCE: z.string().min(1).default('agir-hub'),
  AUTH_JWKS: z.string({ message: 'chemin d\'un fichier JWKS ou URL https servant le jeu de clés publiques requis' }).min(1),
  GATEWAY_SECRET: z
    .string({ message: 'secret partagé entre la passerelle et les subgraphs requis (32 caractères au moins)' })
    .min(32, 'doit compter 32 caractères au moins (ex. openssl rand -hex 32)'),
  /** The longest a token may live (its age, and `exp` − `iat`). */
  AUTH_MAX_TOKEN_AGE: tokenAge,
};

export interface AuthSettings {
  issuer: string;
  audience: string;
  /** A path to a JWKS file or an https URL serving one. */
  jwks: string;
  gatewaySecret: string;
  /** The longest a token may live, in seconds (12 h when absent). */
  maxTokenAgeSeconds?: number;
}

export function authSettings(parsed: { AUTH_ISSUER: string; AUTH_AUDIENCE: string; AUTH_JWKS: string; GATEWAY_SECRET: string; AUTH_MAX_TOKEN_AGE: number }): AuthSettings {
  return { issuer: parsed.AUTH_ISSUER, audience: parsed.AUTH_AUDIENCE, jwks: parsed.AUTH_JWKS, gatewaySecret: parsed.GATEWAY_SECRET, maxTokenAgeSeconds: parsed.AUTH_MAX_TOKEN_AGE };
}

/** What every subgraph reads from its environment. */
export const subgraphEnvSchema = (defaultPort: number) =>
  z.object({
    DATABASE_URL: postgresUrl,
    MIGRATION_DATABASE_URL: postgresUrl.optional(),
    PORT: port(defaultPort),
    NODE_ENV: nodeEnv,
    LOG_LEVEL: logLevel,
    GATEWAY_URL: httpUrl.default('http://localhost:4000/graphql'),
    /** The deadline of each SQL statement of the service, in ms. */
    STATEMENT_TIMEOUT_MS: z.coerce
      .number()
      .int('doit être un nombre entier de millisecondes')
      .min(100, 'doit être au moins 100 ms')
      .max(600_000, 'doit être au plus 600000 ms (10 minutes)')
      .default(30_000),
    /** Whether this process runs the webhook delivery worker (on by default; `false` to run it elsewhere). */
    WEBHOOKS_WORKER: z.enum(['true', 'false'], { message: 'doit valoir true ou false' }).default('true'),
    /** The monitoring system's token for GET /metrics; empty or absent: the gateway's secret only. */
    METRICS_TOKEN: z.preprocess(
      (value) => (value === '' ? undefined : value),
      z
        .string()
        .min(32, 'doit compter 32 caractères au moins (ex. openssl rand -hex 32)')
        .regex(/^[A-Za-z0-9._~+/=-]+$/, 'ne doit contenir que lettres, chiffres et . _ ~ + / = - (il voyage dans un en-tête Authorization: Bearer)')
        .optional(),
    ),
    ...authEnv,
  });

export interface SubgraphConfig {
  databaseUrl: string;
  /**
   * The owner role's URL, for the migrations. Without it the migrations run as the application
   * role, which then owns the tables and could alter the audit trail.
   */
  migrationDatabaseUrl?: string;
  port: number;
  development: boolean;
  logLevel: z.infer<typeof logLevel>;
  /** The gateway, which the subgraph queries to read other domains' facts. */
  gatewayUrl: string | (() => string);
  auth: AuthSettings | { issuer: string; audience: string; jwks: import('jose').JSONWebKeySet; gatewaySecret: string; maxTokenAgeSeconds?: number };
  /**
   * The webhook delivery worker this process runs on the subgraph's database: `false` runs none
   * (another process delivers), options tune it (tests: a fast poll). Absent: on, with the
   * worker's production defaults.
   */
  webhooksWorker?: false | WebhooksWorkerSettings;
  /**
   * The token a monitoring system presents (`Authorization: Bearer …`) to read `GET /metrics`;
   * without it only the gateway's secret opens them.
   */
  metricsToken?: string;
  /** The deadline of each SQL statement the service runs, in ms; none when absent. */
  statementTimeoutMs?: number;
}

/** What a subgraph's configuration may tune of its delivery worker (the rest comes from the subgraph). */
export type WebhooksWorkerSettings = Omit<import('./webhooks/worker').DeliveryWorkerOptions, 'dataSource' | 'logger'>;

/** Reads and validates a subgraph's configuration; each subgraph's `config.ts` calls it. */
export function readSubgraphConfig(service: string, defaultPort: number, env: NodeJS.ProcessEnv = process.env): SubgraphConfig {
  const parsed = readEnv(service, subgraphEnvSchema(defaultPort), env);
  return {
    databaseUrl: parsed.DATABASE_URL,
    ...(parsed.MIGRATION_DATABASE_URL ? { migrationDatabaseUrl: parsed.MIGRATION_DATABASE_URL } : {}),
    port: parsed.PORT,
    development: parsed.NODE_ENV === 'development',
    logLevel: parsed.LOG_LEVEL,
    gatewayUrl: parsed.GATEWAY_URL,
    auth: authSettings(parsed),
    ...(parsed.WEBHOOKS_WORKER === 'false' ? { webhooksWorker: false as const } : {}),
    ...(parsed.METRICS_TOKEN ? { metricsToken: parsed.METRICS_TOKEN } : {}),
    statementTimeoutMs: parsed.STATEMENT_TIMEOUT_MS,
  };
}
