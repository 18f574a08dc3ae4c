import { ResilientHttpClient, systemClock, TtlCache, type Clock, type MetricsRegistry, type RemoteMetricsSnapshot, type ResilientClientOptions } from '@agir/common/src/http';
import { z } from 'zod';

/** The production base URL (external-apis.md §3). */
export const REFUGIES_INFO_API_URL = 'https://api.refugies.info';
/** Where a person reads a dispositif on the public site. */
export const REFUGIES_INFO_SITE_URL = 'https://refugies.info';

const texte = z.string().nullish().transform((value) => value ?? null);
/** A theme is an id, or the populated theme with its multilingual names. */
const themeSchema = z.union([
  z.string().min(1),
  z.object({ _id: z.string().min(1), short: z.record(z.string(), z.string()).nullish(), name: z.record(z.string(), z.string()).nullish() }),
]);

/** A `SimpleDispositif`: only what the catalogue reads is required. */
export const dispositifSchema = z.object({
  _id: z.string().min(1),
  titreInformatif: z.string().min(1),
  titreMarque: texte,
  abstract: texte,
  typeContenu: texte,
  status: texte,
  theme: themeSchema.nullish(),
  secondaryThemes: z.array(themeSchema).nullish(),
  lastModificationDate: texte,
  publishedAt: texte,
  sponsor: z.object({ nom: texte }).nullish(),
  metadatas: z
    .object({
      // "france", "online", or a list of "44 - Loire-Atlantique"
      location: z.union([z.string(), z.array(z.string())]).nullish(),
      publicStatus: z.array(z.string()).nullish(),
    })
    .nullish(),
});
export type Dispositif = z.output<typeof dispositifSchema>;

/** Réfugiés.info wraps every answer as `{text: "success", data}`. */
export const dispositifsSchema = z.object({ text: z.literal('success'), data: z.array(dispositifSchema) });

export interface RefugiesInfoOptions {
  /** Default: the production base URL. */
  apiUrl?: string;
  /** How long the national list is reused, in milliseconds. Default 300,000; 0 disables. */
  cacheTtlMs?: number;
  http?: Omit<ResilientClientOptions, 'remote' | 'baseUrl' | 'clock' | 'metrics'>;
  clock?: Clock;
  metrics?: MetricsRegistry;
}

/**
 * The public Réfugiés.info API (no key): the active dispositifs, filtered here by département
 * because the API has no geographic filter on this endpoint. The list is national and the same
 * for every département, so it is cached briefly: syncing 44 then 85 downloads it once.
 */
export class RefugiesInfoClient {
  private readonly http: ResilientHttpClient;
  private readonly cache: TtlCache<Dispositif[]>;

  constructor(options: RefugiesInfoOptions = {}) {
    const clock = options.clock ?? systemClock;
    this.http = new ResilientHttpClient({
      ...options.http,
      remote: 'Réfugiés.info',
      baseUrl: options.apiUrl ?? REFUGIES_INFO_API_URL,
      clock,
      ...(options.metrics ? { metrics: options.metrics } : {}),
    });
    this.cache = new TtlCache(options.cacheTtlMs ?? 300_000, clock);
  }

  /** Every active dispositif (`type=dispositif`), in French. */
  async dispositifs(): Promise<Dispositif[]> {
    const cached = this.cache.get('dispositifs');
    if (cached) return cached;
    const response = await this.http.get('/dispositifs', dispositifsSchema, { query: { locale: 'fr', type: 'dispositif' } });
    const dispositifs = response.data?.data ?? [];
    this.cache.set('dispositifs', dispositifs);
    return dispositifs;
  }

  /**
   * The dispositifs located in a département ("44 - Loire-Atlantique" in `metadatas.location`).
   * National ("france") and online ones are left out: the catalogue is the local offer.
   */
  async dispositifsDuDepartement(departement: string): Promise<Dispositif[]> {
    return (await this.dispositifs()).filter((dispositif) => situeDans(dispositif, departement));
  }

  metrics(): RemoteMetricsSnapshot {
    return this.http.metrics();
  }
}

/** Whether a dispositif's locations name the département by its code. */
export function situeDans(dispositif: Dispositif, departement: string): boolean {
  const location = dispositif.metadatas?.location;
  if (!Array.isArray(location)) return false;
  return location.some((lieu) => lieu.split(' - ')[0]?.trim() === departement);
}

/** A theme's short French name when populated, otherwise its id. */
export function nomTheme(theme: z.output<typeof themeSchema>): string {
  if (typeof theme === 'string') return theme;
  return theme.short?.fr ?? theme.name?.fr ?? theme._id;
}
