import { ConfigError, httpUrl, readEnv } from '@agir/common';
import { z } from 'zod';
import { FRANCE_TRAVAIL_API_URL, FRANCE_TRAVAIL_SCOPE, FRANCE_TRAVAIL_TOKEN_URL, type FranceTravailOptions } from './client';

const schema = z.object({
  FRANCE_TRAVAIL_CLIENT_ID: z.string().min(1, 'ne doit pas être vide').optional(),
  FRANCE_TRAVAIL_CLIENT_SECRET: z.string().min(1, 'ne doit pas être vide').optional(),
  FRANCE_TRAVAIL_TOKEN_URL: httpUrl.default(FRANCE_TRAVAIL_TOKEN_URL),
  FRANCE_TRAVAIL_API_URL: httpUrl.default(FRANCE_TRAVAIL_API_URL),
  FRANCE_TRAVAIL_SCOPE: z.string().min(1).default(FRANCE_TRAVAIL_SCOPE),
  FRANCE_TRAVAIL_TIMEOUT_MS: z.coerce.number().int('doit être un entier').positive('doit être positif').default(5_000),
  FRANCE_TRAVAIL_CACHE_TTL_MS: z.coerce.number().int('doit être un entier').min(0, 'doit être 0 ou plus').default(60_000),
});

/**
 * The France Travail connector's options from the environment, validated once (every bad
 * variable listed in one `ConfigError`). `null` when neither credential is set: the integration
 * is off, and `Parcours.offresEmploi` answers as unavailable.
 */
export function franceTravailConfig(env: NodeJS.ProcessEnv = process.env): FranceTravailOptions | null {
  const parsed = readEnv('France Travail', schema, env);
  const { FRANCE_TRAVAIL_CLIENT_ID: clientId, FRANCE_TRAVAIL_CLIENT_SECRET: clientSecret } = parsed;
  if (!clientId && !clientSecret) return null;
  if (!clientId || !clientSecret) {
    throw new ConfigError('France Travail', [
      `${clientId ? 'FRANCE_TRAVAIL_CLIENT_SECRET' : 'FRANCE_TRAVAIL_CLIENT_ID'}: requis avec ${clientId ? 'FRANCE_TRAVAIL_CLIENT_ID' : 'FRANCE_TRAVAIL_CLIENT_SECRET'} (donnez les deux, ou aucun pour désactiver les offres) (variable absente)`,
    ]);
  }
  return {
    clientId,
    clientSecret,
    tokenUrl: parsed.FRANCE_TRAVAIL_TOKEN_URL,
    apiUrl: parsed.FRANCE_TRAVAIL_API_URL,
    scope: parsed.FRANCE_TRAVAIL_SCOPE,
    cacheTtlMs: parsed.FRANCE_TRAVAIL_CACHE_TTL_MS,
    http: { timeoutMs: parsed.FRANCE_TRAVAIL_TIMEOUT_MS },
  };
}
