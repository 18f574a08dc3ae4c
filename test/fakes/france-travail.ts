import { bearer, FakeHttpServer, type FakeRequest, type FakeResponse } from './http-fake';

/**
 * A fake of France Travail's token endpoint and "Offres d'emploi v2" search, reproducing the
 * shapes, statuses and limits of /work/shared/reference/external-apis.md §1:
 * - `POST /connexion/oauth2/access_token?realm=/partenaire` (form-urlencoded client credentials)
 *   → `{access_token, token_type, expires_in, scope}`; 400 `invalid_client` / `invalid_scope`;
 * - `GET /partenaire/offresdemploi/v2/offres/search` with `codeROME` (comma list), `commune`,
 *   `distance`, `typeContrat` (comma list) and `range=p-d`: 206 + `Content-Range: offres p-d/N`
 *   + `Accept-Range: 150` when partial, 200 when everything fits, 204 when nothing matches; 400
 *   "La plage de résultats demandée est trop importante." beyond 150; 401 for a missing, unknown
 *   or expired token; 429 `text/plain` with `Retry-After` past the rate limit.
 * Routes are named `token` and `search` for `calls()`, `failNext()` and `failAlways()`.
 */

export interface FakeOffre {
  id: string;
  intitule: string;
  romeCode: string;
  lieuTravail: { libelle: string; commune: string; codePostal: string; latitude: number; longitude: number };
  typeContrat: string;
  [key: string]: unknown;
}

export const FAKE_CLIENT_ID = 'PAR_agirhub_0123456789';
export const FAKE_CLIENT_SECRET = 'secret-de-test-france-travail';

const COMMUNES: Record<string, { libelle: string; codePostal: string; latitude: number; longitude: number }> = {
  '44109': { libelle: '44 - NANTES', codePostal: '44000', latitude: 47.2181, longitude: -1.5528 },
  '44184': { libelle: '44 - ST NAZAIRE', codePostal: '44600', latitude: 47.2736, longitude: -2.2139 },
  '85191': { libelle: '85 - LA ROCHE SUR YON', codePostal: '85000', latitude: 46.6705, longitude: -1.426 },
};

const ROME: Record<string, { libelle: string; appellation: string }> = {
  M1607: { libelle: 'Secrétariat', appellation: 'Secrétaire' },
  K2204: { libelle: 'Nettoyage de locaux', appellation: 'Agent / Agente de propreté de locaux' },
  N1103: { libelle: 'Magasinage et préparation de commandes', appellation: 'Préparateur / Préparatrice de commandes' },
};

const CONTRATS: Record<string, string> = { CDI: 'Contrat à durée indéterminée', CDD: 'Contrat à durée déterminée', MIS: 'Mission intérimaire' };

/** One offer in the documented shape (fields of the les-emplois mock). */
export function fakeOffre(id: string, romeCode: string, commune: string, typeContrat: string, index: number): FakeOffre {
  const lieu = COMMUNES[commune]!;
  const rome = ROME[romeCode]!;
  const day = String(1 + (index % 28)).padStart(2, '0');
  return {
    id,
    intitule: `${rome.appellation} (F/H)`,
    description: `Offre ${index + 1} : ${rome.libelle.toLowerCase()} à ${lieu.libelle.slice(5)}.`,
    dateCreation: `2026-02-${day}T08:30:00.000Z`,
    dateActualisation: `2026-02-${day}T09:00:00.000Z`,
    lieuTravail: { libelle: lieu.libelle, latitude: lieu.latitude, longitude: lieu.longitude, codePostal: lieu.codePostal, commune },
    romeCode,
    romeLibelle: rome.libelle,
    appellationlibelle: rome.appellation,
    entreprise: { nom: index % 3 === 0 ? 'RANDSTAD' : 'ENTREPRISE SOLIDAIRE', entrepriseAdaptee: false },
    typeContrat,
    typeContratLibelle: CONTRATS[typeContrat]!,
    natureContrat: 'Contrat travail',
    experienceExige: 'D',
    experienceLibelle: 'Débutant OK',
    formations: [{ codeFormation: '35054', domaineLibelle: 'secrétariat assistanat', niveauLibelle: 'Bac ou équivalent', exigence: 'S' }],
    competences: [{ code: '120722', libelle: 'Planifier des rendez-vous', exigence: 'S' }],
    salaire: { libelle: 'Mensuel de 1801,80 Euros sur 12 mois' },
    dureeTravailLibelleConverti: 'Temps plein',
    alternance: false,
    contact: { nom: 'Agence de Nantes', urlPostulation: `https://candidat.francetravail.fr/offres/recherche/detail/${id}` },
    nombrePostes: 1,
    accessibleTH: false,
    qualificationCode: '3',
    qualificationLibelle: 'Ouvrier qualifié (P1,P2)',
    secteurActivite: '78',
    origineOffre: { origine: '1', urlOrigine: `https://candidat.francetravail.fr/offres/recherche/detail/${id}` },
    offresManqueCandidats: false,
  };
}

/**
 * The default data set: 320 secretarial offers in Nantes (every third one a CDD, the rest CDI),
 * 3 cleaning offers in La Roche-sur-Yon (all CDI) and nothing else.
 */
export function defaultOffres(): FakeOffre[] {
  const offres: FakeOffre[] = [];
  for (let i = 0; i < 320; i += 1) offres.push(fakeOffre(`M${String(i).padStart(4, '0')}X`, 'M1607', '44109', i % 3 === 2 ? 'CDD' : 'CDI', i));
  for (let i = 0; i < 3; i += 1) offres.push(fakeOffre(`K${String(i).padStart(4, '0')}X`, 'K2204', '85191', 'CDI', i));
  return offres;
}

export class FranceTravailFake extends FakeHttpServer {
  offres: FakeOffre[] = defaultOffres();
  /** Lifetime of the tokens it issues, in seconds (the real one says 1499). */
  tokenLifetime = 1499;
  /** A real per-second limit per client id, like the documented 10 calls/s; off by default. */
  rateLimit: { perSecond: number; retryAfter: number } | null = null;
  private readonly tokens = new Map<string, { clientId: string; expiresAt: number }>();
  private issued = 0;
  private window = { second: 0, count: 0 };

  constructor() {
    super('France Travail', (route) => (route === 'token' ? { access_token: 42 } : { resultats: [{ id: 42, lieuTravail: 'Nantes' }] }));
    this.route('token', 'POST', '/connexion/oauth2/access_token', (request) => this.token(request));
    this.route('search', 'GET', '/partenaire/offresdemploi/v2/offres/search', (request) => this.search(request));
  }

  /** The token URL and API base URL to configure the connector with. */
  get tokenUrl(): string {
    return `${this.url}/connexion/oauth2/access_token`;
  }

  get apiUrl(): string {
    return `${this.url}/partenaire/offresdemploi`;
  }

  /** Makes every token issued so far expired, as if their lifetime had passed on the server. */
  expireTokens(): void {
    for (const token of this.tokens.values()) token.expiresAt = 0;
  }

  override reset(): void {
    super.reset();
    this.offres = defaultOffres();
    this.tokenLifetime = 1499;
    this.rateLimit = null;
    this.tokens.clear();
    this.issued = 0;
  }

  private token(request: FakeRequest): FakeResponse {
    if (request.query.get('realm') !== '/partenaire') {
      return { status: 400, json: { error: 'invalid_request', error_description: 'Invalid realm' } };
    }
    const form = new URLSearchParams(request.body);
    if (form.get('grant_type') !== 'client_credentials') {
      return { status: 400, json: { error: 'unsupported_grant_type', error_description: 'Grant type is not supported' } };
    }
    if (form.get('client_id') !== FAKE_CLIENT_ID || form.get('client_secret') !== FAKE_CLIENT_SECRET) {
      return { status: 400, json: { error: 'invalid_client', error_description: 'Client authentication failed' } };
    }
    const scopes = (form.get('scope') ?? '').split(' ');
    if (!scopes.includes('api_offresdemploiv2') || !scopes.includes('o2dsoffre')) {
      return { status: 400, json: { error: 'invalid_scope', error_description: 'Unknown/invalid scope(s)' } };
    }
    this.issued += 1;
    const token = `jeton-${this.issued}`;
    this.tokens.set(token, { clientId: FAKE_CLIENT_ID, expiresAt: Date.now() + this.tokenLifetime * 1000 });
    return { status: 200, json: { access_token: token, token_type: 'Bearer', expires_in: this.tokenLifetime, scope: scopes.join(' ') } };
  }

  private search(request: FakeRequest): FakeResponse {
    const token = bearer(request);
    const known = token ? this.tokens.get(token) : undefined;
    if (!known || known.expiresAt <= Date.now()) {
      return { status: 401, json: { message: token ? 'Jeton invalide ou expiré' : 'Jeton absent' } };
    }
    if (this.rateLimit) {
      const second = Math.floor(Date.now() / 1000);
      if (second !== this.window.second) this.window = { second, count: 0 };
      this.window.count += 1;
      if (this.window.count > this.rateLimit.perSecond) {
        return { status: 429, headers: { 'content-type': 'text/plain', 'retry-after': String(this.rateLimit.retryAfter) }, text: 'Too Many Requests' };
      }
    }
    const rateHeaders = { 'x-ratelimit-burst-capacity-clientidlimiter': '10', 'x-ratelimit-remaining-clientidlimiter': '9', 'x-ratelimit-replenish-rate-clientidlimiter': '10' };

    const range = /^(\d+)-(\d+)$/.exec(request.query.get('range') ?? '0-149');
    if (!range) return tooWide('Le paramètre range est invalide.');
    const start = Number(range[1]);
    const end = Number(range[2]);
    if (end - start + 1 > 150) return tooWide('La plage de résultats demandée est trop importante.');
    if (start > end || start > 3000 || end > 3149) return tooWide('La position de début doit être inférieure ou égale à 3000 et la position de fin à 3149.');

    const codes = (request.query.get('codeROME') ?? '').split(',').filter(Boolean);
    const commune = request.query.get('commune');
    const contrats = (request.query.get('typeContrat') ?? '').split(',').filter(Boolean);
    const matching = this.offres.filter(
      (offre) =>
        (codes.length === 0 || codes.includes(offre.romeCode)) &&
        (!commune || offre.lieuTravail.commune === commune) &&
        (contrats.length === 0 || contrats.includes(offre.typeContrat)),
    );
    const page = matching.slice(start, end + 1);
    if (page.length === 0) return { status: 204, headers: rateHeaders };
    const body = {
      resultats: page,
      filtresPossibles: [{ filtre: 'typeContrat', agregation: Object.entries(countBy(matching, (offre) => offre.typeContrat)).map(([valeurPossible, nbResultats]) => ({ valeurPossible, nbResultats })) }],
    };
    if (start === 0 && matching.length <= end + 1) return { status: 200, headers: rateHeaders, json: body };
    return {
      status: 206,
      headers: { ...rateHeaders, 'content-range': `offres ${start}-${start + page.length - 1}/${matching.length}`, 'accept-range': '150' },
      json: body,
    };
  }
}

function tooWide(message: string): FakeResponse {
  return { status: 400, json: { message, codeHttp: 400, codeErreur: '1722445850117' } };
}

function countBy<T>(items: T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}
