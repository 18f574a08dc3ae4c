import { ResilientHttpClient, systemClock, TtlCache, type Clock, type MetricsRegistry, type RemoteMetricsSnapshot, type ResilientClientOptions } from '@agir/common/src/http';
import { z } from 'zod';

/** The production base URL (external-apis.md §2). */
export const DATA_INCLUSION_API_URL = 'https://api.data.inclusion.gouv.fr/api/v1';
/** data·inclusion's default page is 5,000 and its maximum 10,000. */
const TAILLE_PAGE_MAX = 10_000;
/** A guard against a remote whose `pages` never ends. */
const PAGES_MAX = 200;

const texte = z.string().nullish().transform((value) => value ?? null);

/**
 * A service of `/services` (schema v1): only what the catalogue reads is required; a present
 * field must have its documented type.
 */
export const serviceSchema = z.object({
  id: z.string().min(1),
  structure_id: z.string().min(1),
  source: z.string().min(1),
  nom: z.string().min(1),
  description: texte,
  date_maj: texte,
  thematiques: z.array(z.string()).nullish().transform((value) => value ?? []),
  publics: z.array(z.string()).nullish().transform((value) => value ?? []),
  code_insee: texte,
  commune: texte,
  lien_source: texte,
  structure: z.object({ nom: z.string() }).nullish(),
});
export type ServiceDataInclusion = z.output<typeof serviceSchema>;

/** A structure of `/structures`. */
export const structureSchema = z.object({
  id: z.string().min(1),
  source: z.string().min(1),
  nom: z.string().min(1),
  date_maj: texte,
  code_insee: texte,
  commune: texte,
  lien_source: texte,
  site_web: texte,
  reseaux_porteurs: z.array(z.string()).nullish().transform((value) => value ?? []),
});
export type StructureDataInclusion = z.output<typeof structureSchema>;

/** data·inclusion's page envelope: `{items, total, page, size, pages}`. */
export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    total: z.number().int().nonnegative(),
    page: z.number().int().positive(),
    size: z.number().int().positive(),
    pages: z.number().int().nonnegative(),
  });
}
export interface PageDataInclusion<T> {
  items: T[];
  total: number;
  page: number;
  size: number;
  pages: number;
}

/** What to list: a département, and optionally thematiques and publics (default: personnes-exilees). */
export interface CriteresDataInclusion {
  codeDepartement: string;
  /** `categorie--sous-theme` values, or whole categories; sent as repeated keys. */
  thematiques?: string[];
  /** Default `['personnes-exilees']`. */
  publics?: string[];
}

export interface DataInclusionOptions {
  /** The bearer token (a JWT with scope `api`). */
  token: string;
  /** Default: the production base URL. */
  apiUrl?: string;
  /** Items per page. Default 1,000 (the maximum is 10,000). */
  pageSize?: number;
  /** How long a complete listing is reused, in milliseconds. Default 60,000; 0 disables. */
  cacheTtlMs?: number;
  http?: Omit<ResilientClientOptions, 'remote' | 'baseUrl' | 'clock' | 'metrics'>;
  clock?: Clock;
  metrics?: MetricsRegistry;
}

/**
 * The data·inclusion API: services and structures of a département for exiled people, page by
 * page. Keep one instance per process (its breaker and metrics are "data·inclusion").
 */
export class DataInclusionClient {
  private readonly http: ResilientHttpClient;
  private readonly pageSize: number;
  private readonly cache: TtlCache<unknown[]>;

  constructor(private readonly options: DataInclusionOptions) {
    const clock = options.clock ?? systemClock;
    this.http = new ResilientHttpClient({
      ...options.http,
      remote: 'data·inclusion',
      baseUrl: options.apiUrl ?? DATA_INCLUSION_API_URL,
      clock,
      ...(options.metrics ? { metrics: options.metrics } : {}),
    });
    this.pageSize = Math.min(options.pageSize ?? 1_000, TAILLE_PAGE_MAX);
    this.cache = new TtlCache(options.cacheTtlMs ?? 60_000, clock);
  }

  /** One page of services (pages start at 1). */
  listerServices(criteres: CriteresDataInclusion, page = 1, size = this.pageSize): Promise<PageDataInclusion<ServiceDataInclusion>> {
    return this.page('/services', serviceSchema, this.queryServices(criteres), page, size);
  }

  /** One page of structures (pages start at 1). Structures are filtered by département only. */
  listerStructures(criteres: Pick<CriteresDataInclusion, 'codeDepartement'>, page = 1, size = this.pageSize): Promise<PageDataInclusion<StructureDataInclusion>> {
    return this.page('/structures', structureSchema, { code_departement: criteres.codeDepartement }, page, size);
  }

  /** Every service matching, all pages, each id once (pages are offsets and may overlap). */
  tousLesServices(criteres: CriteresDataInclusion): Promise<ServiceDataInclusion[]> {
    return this.all('/services', serviceSchema, this.queryServices(criteres));
  }

  /** Every structure of the département, all pages, each id once. */
  toutesLesStructures(criteres: Pick<CriteresDataInclusion, 'codeDepartement'>): Promise<StructureDataInclusion[]> {
    return this.all('/structures', structureSchema, { code_departement: criteres.codeDepartement });
  }

  metrics(): RemoteMetricsSnapshot {
    return this.http.metrics();
  }

  private queryServices(criteres: CriteresDataInclusion): Record<string, string | string[]> {
    return {
      code_departement: criteres.codeDepartement,
      thematiques: [...new Set(criteres.thematiques ?? [])].sort(),
      publics: [...new Set(criteres.publics ?? ['personnes-exilees'])].sort(),
    };
  }

  private async page<T extends z.ZodType<{ id: string }>>(
    path: string,
    item: T,
    query: Record<string, string | string[]>,
    page: number,
    size: number,
  ): Promise<PageDataInclusion<z.output<T>>> {
    const response = await this.http.get(path, pageSchema(item), {
      query: { ...query, page, size },
      headers: { authorization: `Bearer ${this.options.token}` },
      rejectionHint: (status) => (status === 401 || status === 403 ? 'Vérifiez DATA_INCLUSION_TOKEN (un jeton data·inclusion de portée « api »).' : undefined),
    });
    if (!response.data) return { items: [], total: 0, page, size, pages: 0 };
    return response.data as PageDataInclusion<z.output<T>>;
  }

  private async all<T extends z.ZodType<{ id: string }>>(path: string, item: T, query: Record<string, string | string[]>): Promise<z.output<T>[]> {
    const key = JSON.stringify([path, query]);
    const cached = this.cache.get(key);
    if (cached) return cached as z.output<T>[];
    const byId = new Map<string, z.output<T>>();
    let pages = 1;
    for (let page = 1; page <= pages && page <= PAGES_MAX; page += 1) {
      const answer = await this.page(path, item, query, page, this.pageSize);
      for (const entry of answer.items) byId.set((entry as { id: string }).id, entry);
      pages = answer.pages;
    }
    const items = [...byId.values()];
    this.cache.set(key, items);
    return items;
  }
}
