import { httpUrl, readEnv } from '@agir/common';
import { z } from 'zod';
import { DATA_INCLUSION_API_URL, type DataInclusionOptions } from './data-inclusion/client';
import { REFUGIES_INFO_API_URL, type RefugiesInfoOptions } from './refugies-info/client';

const liste = (pattern: RegExp, exemple: string) =>
  z
    .string()
    .transform((value) => value.split(',').map((item) => item.trim()).filter(Boolean))
    .refine((items) => items.every((item) => pattern.test(item)), `doit être une liste séparée par des virgules, ex. ${exemple}`);

const schema = z.object({
  DATA_INCLUSION_API_URL: httpUrl.default(DATA_INCLUSION_API_URL),
  DATA_INCLUSION_TOKEN: z.string().min(1, 'ne doit pas être vide').optional(),
  DATA_INCLUSION_PAGE_SIZE: z.coerce.number().int('doit être un entier').min(1).max(10_000, 'au plus 10000').default(1_000),
  REFUGIES_INFO_API_URL: httpUrl.default(REFUGIES_INFO_API_URL),
  CONNECTORS_TIMEOUT_MS: z.coerce.number().int('doit être un entier').positive('doit être positif').default(10_000),
  OFFRE_LOCALE_DEPARTEMENTS: liste(/^([0-9]{2}|2[AB]|97[0-9])$/, '44,85').default(['44', '85']),
  OFFRE_LOCALE_THEMATIQUES: liste(/^[a-z0-9-]+$/, 'logement-hebergement,lecture-ecriture-calcul--maitriser-le-francais').optional(),
});

/** The local offer catalogue's configuration. */
export interface OffreLocaleConfig {
  /** null when DATA_INCLUSION_TOKEN is not set: the synchronisation cannot run. */
  dataInclusion: DataInclusionOptions | null;
  refugiesInfo: RefugiesInfoOptions;
  departements: string[];
  thematiques: string[] | undefined;
}

/** Reads and validates the connectors' variables once; every bad one is listed in one `ConfigError`. */
export function offreLocaleConfig(env: NodeJS.ProcessEnv = process.env): OffreLocaleConfig {
  const parsed = readEnv('offre locale', schema, env);
  const http = { timeoutMs: parsed.CONNECTORS_TIMEOUT_MS };
  return {
    dataInclusion: parsed.DATA_INCLUSION_TOKEN
      ? { token: parsed.DATA_INCLUSION_TOKEN, apiUrl: parsed.DATA_INCLUSION_API_URL, pageSize: parsed.DATA_INCLUSION_PAGE_SIZE, http }
      : null,
    refugiesInfo: { apiUrl: parsed.REFUGIES_INFO_API_URL, http },
    departements: parsed.OFFRE_LOCALE_DEPARTEMENTS,
    thematiques: parsed.OFFRE_LOCALE_THEMATIQUES,
  };
}
