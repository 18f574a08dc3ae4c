import type { Logger } from '@agir/common';
import {
  RemoteError,
  RemoteMalformed,
  RemoteRejected,
  RemoteUnavailable,
  ResilientHttpClient,
  systemClock,
  TtlCache,
  type Clock,
  type MetricsRegistry,
  type RemoteMetricsSnapshot,
  type ResilientClientOptions,
} from '@agir/common/src/http';
import { rechercheSchema, tokenSchema, type Offre } from './schemas';

/** The production endpoints (external-apis.md §1). */
export const FRANCE_TRAVAIL_TOKEN_URL = 'https://entreprise.francetravail.fr/connexion/oauth2/access_token';
export const FRANCE_TRAVAIL_API_URL = 'https://api.francetravail.io/partenaire/offresdemploi';
export const FRANCE_TRAVAIL_SCOPE = 'api_offresdemploiv2 o2dsoffre';

/** France Travail returns at most 150 offers per call, from position 0 to 3000, up to 3149. */
export const TAILLE_PAGE_MAX = 150;
const DEBUT_MAX = 3000;
const FIN_MAX = 3149;
/** Les-emplois renews the token this long before it expires, so a call never carries a dying one. */
const TOKEN_MARGIN_MS = 10_000;

export interface FranceTravailOptions {
  clientId: string;
  clientSecret: string;
  /** Default: the production token URL; `realm=/partenaire` is added when missing. */
  tokenUrl?: string;
  /** Default: the production "Offres d'emploi v2" base URL. */
  apiUrl?: string;
  /** Default `api_offresdemploiv2 o2dsoffre`. */
  scope?: string;
  /** How long a search answer is reused, in milliseconds. Default 60,000; 0 disables. */
  cacheTtlMs?: number;
  /** Timeout, retries, back-off and breaker settings, shared by the token and search clients. */
  http?: Omit<ResilientClientOptions, 'remote' | 'baseUrl' | 'clock' | 'metrics'>;
  clock?: Clock;
  metrics?: MetricsRegistry;
  /** Where degraded answers are logged. */
  logger?: Logger;
}

/** A search: ROME codes (1 to 200), and optionally a commune (INSEE), distance, contract types, range. */
export interface CriteresOffres {
  codesRome: string[];
  commune?: string;
  /** Kilometres around the commune (France Travail's default is 10; 0 = the commune only). */
  distance?: number;
  /** CDI, CDD, MIS... */
  typeContrat?: string[];
  /** Positions of the first and last offer wanted, inclusive, at most 150 apart. Default [0, 149]. */
  range?: [number, number];
}

/** A page of offers: `total` is the number of offers matching, `range` the positions returned. */
export interface PageOffres {
  offres: Offre[];
  total: number;
  range: [number, number] | null;
}

/**
 * What `Parcours.offresEmploi` shows: the offers, or an empty list with the reason, so a referent
 * sees "France Travail is unavailable" rather than "no offer".
 */
export type OffresSuggerees =
  | { offres: Offre[]; total: number; indisponible: false; raison: null; code: null }
  | { offres: []; total: 0; indisponible: true; raison: string; code: 'INDISPONIBLE' | 'REFUSE' | 'REPONSE_INVALIDE' };

/** Search criteria the connector refuses before calling France Travail (a caller's mistake). */
export class InvalidSearchCriteria extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidSearchCriteria';
  }
}

/**
 * France Travail's "Offres d'emploi v2" search, for one partner account (client credentials).
 * Keep one instance per process: it holds the token, the brief answer cache and, through its two
 * HTTP clients ("France Travail (authentification)" and "France Travail (offres)"), a circuit
 * breaker and metrics per endpoint.
 */
export class FranceTravailOffres {
  private readonly auth: ResilientHttpClient;
  private readonly api: ResilientHttpClient;
  private readonly tokenUrl: string;
  private readonly clock: Clock;
  private readonly cache: TtlCache<PageOffres>;
  private token: { value: string; expiresAt: number } | undefined;
  private pendingToken: Promise<string> | undefined;

  constructor(private readonly options: FranceTravailOptions) {
    this.clock = options.clock ?? systemClock;
    const tokenUrl = new URL(options.tokenUrl ?? FRANCE_TRAVAIL_TOKEN_URL);
    if (!tokenUrl.searchParams.has('realm')) tokenUrl.searchParams.set('realm', '/partenaire');
    this.tokenUrl = tokenUrl.toString();
    const shared = { ...options.http, clock: this.clock, ...(options.metrics ? { metrics: options.metrics } : {}) };
    this.auth = new ResilientHttpClient({ ...shared, remote: 'France Travail (authentification)', baseUrl: tokenUrl.origin });
    this.api = new ResilientHttpClient({ ...shared, remote: 'France Travail (offres)', baseUrl: options.apiUrl ?? FRANCE_TRAVAIL_API_URL });
    this.cache = new TtlCache(options.cacheTtlMs ?? 60_000, this.clock);
  }

  /**
   * One page of offers (at most 150). 206 is a partial page whose `Content-Range` gives the
   * total, 200 a complete answer, 204 no offer. A range wider than 150, or beyond position
   * 3000/3149, is refused here, before any call.
   */
  async rechercherOffres(criteres: CriteresOffres): Promise<PageOffres> {
    const normalises = normaliser(criteres);
    const key = JSON.stringify(normalises);
    const cached = this.cache.get(key);
    if (cached) return cached;

    const [start, end] = normalises.range;
    const query = {
      codeROME: normalises.codesRome.join(','),
      commune: normalises.commune,
      distance: normalises.distance,
      typeContrat: normalises.typeContrat.length ? normalises.typeContrat.join(',') : undefined,
      range: `${start}-${end}`,
    };
    const response = await this.withToken((token) =>
      this.api.get('/v2/offres/search', rechercheSchema, {
        query,
        headers: { authorization: `Bearer ${token}` },
        rejectionHint: (status) => (status === 401 ? 'Le jeton a été refusé deux fois : vérifiez FRANCE_TRAVAIL_CLIENT_ID et son habilitation.' : undefined),
      }),
    );

    let page: PageOffres;
    if (response.status === 204 || response.data === null) {
      page = { offres: [], total: 0, range: null };
    } else {
      const offres = response.data.resultats;
      const contentRange = parseContentRange(response.headers.get('content-range'));
      if (response.status === 206 && !contentRange) {
        throw new RemoteMalformed(this.api.remote, `réponse partielle (206) sans Content-Range lisible (reçu : ${JSON.stringify(response.headers.get('content-range'))})`);
      }
      page = contentRange
        ? { offres, total: contentRange.total, range: [contentRange.first, contentRange.last] }
        : { offres, total: start + offres.length, range: offres.length ? [start, start + offres.length - 1] : null };
    }
    this.cache.set(key, page);
    return page;
  }

  /**
   * Every offer matching, up to `max` (and to the 3,150 France Travail lets one reach), page by
   * page. `total` is what France Travail counts, which may exceed the offers returned.
   */
  async toutesLesOffres(criteres: Omit<CriteresOffres, 'range'>, max: number): Promise<{ offres: Offre[]; total: number }> {
    const limite = Math.min(max, FIN_MAX + 1);
    const offres: Offre[] = [];
    let total = 0;
    for (let start = 0; start < limite && start <= DEBUT_MAX; start += TAILLE_PAGE_MAX) {
      const end = Math.min(start + TAILLE_PAGE_MAX, limite) - 1;
      const page = await this.rechercherOffres({ ...criteres, range: [start, end] });
      total = page.total;
      offres.push(...page.offres);
      if (page.offres.length < end - start + 1 || offres.length >= page.total) break;
    }
    return { offres, total };
  }

  /**
   * The offers to suggest for a parcours, never an error from France Travail: when it is
   * unavailable (circuit open, 5xx after retries, timeout), refuses, or answers nonsense, the
   * answer is empty with `indisponible: true` and the reason in French. Invalid criteria are the
   * caller's mistake and still throw.
   */
  async suggererOffres(criteres: CriteresOffres): Promise<OffresSuggerees> {
    try {
      const page = await this.rechercherOffres(criteres);
      return { offres: page.offres, total: page.total, indisponible: false, raison: null, code: null };
    } catch (error) {
      if (!(error instanceof RemoteError)) throw error;
      this.options.logger?.warn({ err: error, remote: error.remote }, 'France Travail offers unavailable: degraded answer');
      return { offres: [], total: 0, indisponible: true, ...raisonDegradee(error) };
    }
  }

  /** The metrics of the token and search endpoints. */
  metrics(): RemoteMetricsSnapshot[] {
    return [this.auth.metrics(), this.api.metrics()];
  }

  /** Runs a call with a valid token; on a 401 the token is renewed once and the call repeated. */
  private async withToken<T>(call: (token: string) => Promise<T>): Promise<T> {
    const token = await this.accessToken();
    try {
      return await call(token);
    } catch (error) {
      if (!(error instanceof RemoteRejected) || error.status !== 401) throw error;
      // The server may end a token before its announced lifetime (revocation, restart): one
      // renewal, not a loop, so wrong credentials still fail fast.
      if (this.token?.value === token) this.token = undefined;
      return call(await this.accessToken());
    }
  }

  /** The cached token while it has more than 10 s to live, otherwise a new one (one request at a time). */
  private accessToken(): Promise<string> {
    if (this.token && this.token.expiresAt > this.clock.now()) return Promise.resolve(this.token.value);
    this.pendingToken ??= this.requestToken().finally(() => {
      this.pendingToken = undefined;
    });
    return this.pendingToken;
  }

  private async requestToken(): Promise<string> {
    const response = await this.auth.request({
      method: 'POST',
      path: this.tokenUrl,
      form: {
        grant_type: 'client_credentials',
        client_id: this.options.clientId,
        client_secret: this.options.clientSecret,
        scope: this.options.scope ?? FRANCE_TRAVAIL_SCOPE,
      },
      schema: tokenSchema,
      // Asking for a token twice only yields two tokens: safe to retry.
      retryable: true,
      rejectionHint: () => 'Vérifiez FRANCE_TRAVAIL_CLIENT_ID, FRANCE_TRAVAIL_CLIENT_SECRET et les habilitations du compte partenaire.',
    });
    if (!response.data) throw new RemoteMalformed(this.auth.remote, `réponse ${response.status} sans jeton`);
    this.token = { value: response.data.access_token, expiresAt: this.clock.now() + Math.max(0, response.data.expires_in * 1000 - TOKEN_MARGIN_MS) };
    return this.token.value;
  }
}

/** `offres 0-149/496` → first, last, total; null when absent or unreadable. */
export function parseContentRange(header: string | null): { first: number; last: number; total: number } | null {
  const match = header ? /^\s*offres\s+(\d+)-(\d+)\/(\d+)\s*$/i.exec(header) : null;
  if (!match) return null;
  return { first: Number(match[1]), last: Number(match[2]), total: Number(match[3]) };
}

const ROME = /^[A-Z]\d{4}$/;
const INSEE = /^(\d{5}|2[AB]\d{3})$/;

/** Checks the criteria and gives them one canonical form (the cache key). */
function normaliser(criteres: CriteresOffres): Required<Omit<CriteresOffres, 'commune' | 'distance'>> & Pick<CriteresOffres, 'commune' | 'distance'> {
  const codesRome = [...new Set(criteres.codesRome)].sort();
  if (codesRome.length === 0 || codesRome.length > 200) {
    throw new InvalidSearchCriteria(`codesRome doit contenir de 1 à 200 codes ROME ; reçu ${codesRome.length}.`);
  }
  const invalides = codesRome.filter((code) => !ROME.test(code));
  if (invalides.length) throw new InvalidSearchCriteria(`Codes ROME invalides (une lettre et quatre chiffres, ex. M1607) : ${invalides.join(', ')}.`);
  if (criteres.commune !== undefined && !INSEE.test(criteres.commune)) {
    throw new InvalidSearchCriteria(`commune doit être un code INSEE (5 caractères, ex. 44109) ; reçu « ${criteres.commune} ».`);
  }
  if (criteres.distance !== undefined && (!Number.isInteger(criteres.distance) || criteres.distance < 0)) {
    throw new InvalidSearchCriteria(`distance doit être un nombre entier de kilomètres, 0 ou plus ; reçu ${criteres.distance}.`);
  }
  const typeContrat = [...new Set(criteres.typeContrat ?? [])].sort();
  const [start, end] = criteres.range ?? [0, TAILLE_PAGE_MAX - 1];
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start) {
    throw new InvalidSearchCriteria(`range doit être [début, fin] avec 0 ≤ début ≤ fin ; reçu [${start}, ${end}].`);
  }
  if (end - start + 1 > TAILLE_PAGE_MAX) {
    throw new InvalidSearchCriteria(`range demande ${end - start + 1} offres ; France Travail en rend au plus ${TAILLE_PAGE_MAX} par appel : utilisez toutesLesOffres.`);
  }
  if (start > DEBUT_MAX || end > FIN_MAX) {
    throw new InvalidSearchCriteria(`range [${start}, ${end}] dépasse les positions que France Travail accepte (début ≤ ${DEBUT_MAX}, fin ≤ ${FIN_MAX}) : affinez la recherche.`);
  }
  return {
    codesRome,
    typeContrat,
    range: [start, end],
    ...(criteres.commune !== undefined ? { commune: criteres.commune } : {}),
    ...(criteres.distance !== undefined ? { distance: criteres.distance } : {}),
  };
}

const INDISPONIBILITE: Record<RemoteUnavailable['reason'], string> = {
  timeout: 'le service ne répond pas dans le délai',
  'circuit-open': 'le service a échoué plusieurs fois de suite, les appels sont suspendus quelques instants',
  server: 'le service est en erreur',
  'rate-limited': 'trop de demandes en cours',
  network: 'le service est injoignable',
};

/** The French explanation shown with an empty list. */
function raisonDegradee(error: RemoteError): { raison: string; code: 'INDISPONIBLE' | 'REFUSE' | 'REPONSE_INVALIDE' } {
  if (error instanceof RemoteUnavailable) {
    return { code: 'INDISPONIBLE', raison: `Les offres d'emploi de France Travail sont momentanément indisponibles (${INDISPONIBILITE[error.reason]}). Réessayez dans quelques minutes.` };
  }
  if (error instanceof RemoteRejected) {
    return { code: 'REFUSE', raison: `France Travail a refusé la recherche d'offres (HTTP ${error.status}) : l'accès du hub à France Travail doit être vérifié par son administrateur.` };
  }
  return { code: 'REPONSE_INVALIDE', raison: "France Travail a renvoyé une réponse illisible : aucune offre n'est affichée plutôt qu'une liste douteuse." };
}
