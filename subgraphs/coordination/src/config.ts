import { readEnv, readSubgraphConfig } from '@agir/common';
import { z } from 'zod';

/**
 * The key of the analysts' pseudonyms (HMAC-SHA256 of the parcours id). The default serves
 * `npm start` and the tests only; outside development and test the variable is required, since a
 * pseudonym made with a known key can be reversed by anyone holding the parcours ids.
 */
export const DEV_PSEUDONYM_SECRET = 'agir-dev-pseudonym-secret-not-for-production';

const pseudonymSchema = z
  .object({
    NODE_ENV: z.string().optional(),
    PSEUDONYM_SECRET: z.string().min(32, 'doit compter 32 caractères au moins (ex. openssl rand -hex 32)').optional(),
  })
  .refine((env) => env.PSEUDONYM_SECRET !== undefined || env.NODE_ENV === undefined || env.NODE_ENV === 'development' || env.NODE_ENV === 'test', {
    message: 'PSEUDONYM_SECRET est requis hors développement et tests (clé des pseudonymes des analystes)',
    path: ['PSEUDONYM_SECRET'],
  });

/** Reads and validates PSEUDONYM_SECRET (the development default when absent in development and tests). */
export function readPseudonymSecret(env: NodeJS.ProcessEnv = process.env): string {
  return readEnv('coordination', pseudonymSchema, env).PSEUDONYM_SECRET ?? DEV_PSEUDONYM_SECRET;
}

/** The Coordination subgraph's configuration, read once from the environment (port 4001 by default). */
export const readConfig = (env: NodeJS.ProcessEnv = process.env) => ({
  ...readSubgraphConfig('coordination', 4001, env),
  pseudonymSecret: readPseudonymSecret(env),
});
