import { MetricsRegistry, metrics, RemoteMalformed, RemoteRejected, RemoteUnavailable, ResilientHttpClient } from '@agir/common/src/http';
import { z } from 'zod';
import { franceTravailConfig, FranceTravailOffres, InvalidSearchCriteria, type FranceTravailOptions } from '../subgraphs/emploi-formation/src/connectors/france-travail';
import { ManualClock } from './fakes/clock';
import { FAKE_CLIENT_ID, FAKE_CLIENT_SECRET, FranceTravailFake } from './fakes/france-travail';

/**
 * The France Travail connector against a fake that speaks the documented protocol over real HTTP.
 * Time is a manual clock: back-offs and Retry-After are recorded, not waited.
 */
describe('France Travail connector', () => {
  const fake = new FranceTravailFake();
  beforeAll(() => fake.start());
  afterAll(() => fake.stop());
  beforeEach(() => fake.reset());

  function connector(overrides: Partial<FranceTravailOptions> = {}) {
    const clock = new ManualClock();
    const registry = new MetricsRegistry();
    const offres = new FranceTravailOffres({
      clientId: FAKE_CLIENT_ID,
      clientSecret: FAKE_CLIENT_SECRET,
      tokenUrl: fake.tokenUrl,
      apiUrl: fake.apiUrl,
      clock,
      metrics: registry,
      http: { timeoutMs: 1_000, retries: 3, initialBackoffMs: 100, maxBackoffMs: 2_000, maxRetryAfterMs: 10_000, breakerThreshold: 5, halfOpenAfterMs: 100 },
      ...overrides,
    });
    return { offres, clock, registry };
  }

  const NANTES_SECRETARIAT = { codesRome: ['M1607'], commune: '44109', distance: 10 };

  it('gets a token by client credentials, then searches with it and maps the documented offer shape', async () => {
    const { offres } = connector();
    const page = await offres.rechercherOffres({ ...NANTES_SECRETARIAT, typeContrat: ['CDI'] });

    // 214 of the 320 offers are CDI: a partial 206 page of 150 with the total from Content-Range.
    expect(page.total).toBe(214);
    expect(page.range).toEqual([0, 149]);
    expect(page.offres).toHaveLength(150);
    expect(page.offres[0]).toEqual({
      id: 'M0000X',
      intitule: 'Secrétaire (F/H)',
      description: 'Offre 1 : secrétariat à NANTES.',
      dateCreation: '2026-02-01T08:30:00.000Z',
      dateActualisation: '2026-02-01T09:00:00.000Z',
      lieuTravail: { libelle: '44 - NANTES', commune: '44109', codePostal: '44000', latitude: 47.2181, longitude: -1.5528 },
      romeCode: 'M1607',
      romeLibelle: 'Secrétariat',
      appellation: 'Secrétaire',
      entreprise: 'RANDSTAD',
      typeContrat: 'CDI',
      typeContratLibelle: 'Contrat à durée indéterminée',
      experienceLibelle: 'Débutant OK',
      salaire: 'Mensuel de 1801,80 Euros sur 12 mois',
      dureeTravail: 'Temps plein',
      alternance: false,
      urlPostulation: 'https://candidat.francetravail.fr/offres/recherche/detail/M0000X',
      urlOrigine: 'https://candidat.francetravail.fr/offres/recherche/detail/M0000X',
    });

    const [tokenRequest] = fake.requestsTo('token');
    expect(tokenRequest!.query.get('realm')).toBe('/partenaire');
    expect(tokenRequest!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(tokenRequest!.body))).toEqual({
      grant_type: 'client_credentials',
      client_id: FAKE_CLIENT_ID,
      client_secret: FAKE_CLIENT_SECRET,
      scope: 'api_offresdemploiv2 o2dsoffre',
    });
    const [search] = fake.requestsTo('search');
    expect(search!.headers.authorization).toBe('Bearer jeton-1');
    expect(Object.fromEntries(search!.query)).toEqual({ codeROME: 'M1607', commune: '44109', distance: '10', typeContrat: 'CDI', range: '0-149' });
  });

  it('reads a complete 200 answer and an empty 204 answer', async () => {
    const { offres } = connector();
    const complete = await offres.rechercherOffres({ codesRome: ['K2204'] });
    expect(complete).toMatchObject({ total: 3, range: [0, 2] });
    expect(complete.offres.map((offre) => offre.id)).toEqual(['K0000X', 'K0001X', 'K0002X']);

    expect(await offres.rechercherOffres({ codesRome: ['N1103'] })).toEqual({ offres: [], total: 0, range: null });
    expect(fake.calls('search')).toBe(2);
  });

  it('refuses a range wider than 150 before calling, as the real API would with a 400', async () => {
    const { offres } = connector();
    await expect(offres.rechercherOffres({ codesRome: ['M1607'], range: [0, 150] })).rejects.toThrow(
      new InvalidSearchCriteria('range demande 151 offres ; France Travail en rend au plus 150 par appel : utilisez toutesLesOffres.'),
    );
    await expect(offres.rechercherOffres({ codesRome: ['M1607'], range: [3001, 3010] })).rejects.toBeInstanceOf(InvalidSearchCriteria);
    await expect(offres.rechercherOffres({ codesRome: ['m1607'] })).rejects.toBeInstanceOf(InvalidSearchCriteria);
    expect(fake.calls('token') + fake.calls('search')).toBe(0);

    // The fake answers the documented 400 to a client that does not check.
    const token = await (await fetch(`${fake.tokenUrl}?realm=/partenaire`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: FAKE_CLIENT_ID, client_secret: FAKE_CLIENT_SECRET, scope: 'api_offresdemploiv2 o2dsoffre' }),
    }).then((response) => response.json())) as { access_token: string };
    const wide = await fetch(`${fake.apiUrl}/v2/offres/search?codeROME=M1607&range=0-199`, { headers: { authorization: `Bearer ${token.access_token}` } });
    expect(wide.status).toBe(400);
    expect(await wide.json()).toEqual({ message: 'La plage de résultats demandée est trop importante.', codeHttp: 400, codeErreur: '1722445850117' });
  });

  it('iterates the pages up to the total, or up to the maximum asked', async () => {
    const { offres } = connector();
    const toutes = await offres.toutesLesOffres(NANTES_SECRETARIAT, 1_000);
    expect(toutes.total).toBe(320);
    expect(toutes.offres).toHaveLength(320);
    expect(new Set(toutes.offres.map((offre) => offre.id)).size).toBe(320);
    expect(fake.requestsTo('search').map((request) => request.query.get('range'))).toEqual(['0-149', '150-299', '300-449']);

    fake.reset();
    const { offres: autre } = connector();
    const partielles = await autre.toutesLesOffres(NANTES_SECRETARIAT, 200);
    expect(partielles).toMatchObject({ total: 320 });
    expect(partielles.offres).toHaveLength(200);
    expect(fake.requestsTo('search').map((request) => request.query.get('range'))).toEqual(['0-149', '150-199']);
  });

  it('keeps the token until 10 s before expires_in, then asks for a new one', async () => {
    const { offres, clock } = connector({ cacheTtlMs: 0 });
    await offres.rechercherOffres({ codesRome: ['K2204'] });
    clock.advance((1499 - 10) * 1000 - 1);
    await offres.rechercherOffres({ codesRome: ['K2204'] });
    expect(fake.calls('token')).toBe(1);
    clock.advance(1);
    await offres.rechercherOffres({ codesRome: ['K2204'] });
    expect(fake.calls('token')).toBe(2);
    expect(fake.requestsTo('search').map((request) => request.headers.authorization)).toEqual(['Bearer jeton-1', 'Bearer jeton-1', 'Bearer jeton-2']);
  });

  it('renews a token the server has expired once, on its 401, and repeats the search', async () => {
    const { offres } = connector({ cacheTtlMs: 0 });
    await offres.rechercherOffres({ codesRome: ['K2204'] });
    fake.expireTokens();
    const page = await offres.rechercherOffres({ codesRome: ['K2204'] });
    expect(page.total).toBe(3);
    expect(fake.calls('token')).toBe(2);
    expect(fake.requestsTo('search').map((request) => request.headers.authorization)).toEqual(['Bearer jeton-1', 'Bearer jeton-1', 'Bearer jeton-2']);
  });

  it('stops after one renewal when the new token is refused too', async () => {
    const { offres } = connector({ cacheTtlMs: 0 });
    fake.failAlways('search', { kind: 'status', status: 401, json: { message: 'Jeton invalide ou expiré' } });
    const error = await offres.rechercherOffres({ codesRome: ['K2204'] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RemoteRejected);
    expect((error as RemoteRejected).status).toBe(401);
    expect((error as RemoteRejected).message).toBe(
      '« France Travail (offres) » a refusé la requête (HTTP 401 : Jeton invalide ou expiré). Le jeton a été refusé deux fois : vérifiez FRANCE_TRAVAIL_CLIENT_ID et son habilitation.',
    );
    expect([fake.calls('token'), fake.calls('search')]).toEqual([2, 2]);
  });

  it('reports invalid credentials as a rejection naming the remote, without retrying', async () => {
    const { offres } = connector({ clientSecret: 'mauvais' });
    const error = await offres.rechercherOffres({ codesRome: ['K2204'] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RemoteRejected);
    expect(error).toMatchObject({ remote: 'France Travail (authentification)', status: 400, body: { error: 'invalid_client', error_description: 'Client authentication failed' } });
    expect((error as Error).message).toBe(
      '« France Travail (authentification) » a refusé la requête (HTTP 400 : Client authentication failed). Vérifiez FRANCE_TRAVAIL_CLIENT_ID, FRANCE_TRAVAIL_CLIENT_SECRET et les habilitations du compte partenaire.',
    );
    expect([fake.calls('token'), fake.calls('search')]).toEqual([1, 0]);
  });

  it('honours a 429 Retry-After, then succeeds', async () => {
    const { offres, clock, registry } = connector();
    fake.failNext('search', { kind: 'rate-limit', retryAfter: 2 });
    const page = await offres.rechercherOffres({ codesRome: ['K2204'] });
    expect(page.total).toBe(3);
    expect(clock.sleeps).toEqual([2_000]);
    expect(fake.calls('search')).toBe(2);
    expect(registry.snapshot()['France Travail (offres)']).toMatchObject({ calls: 1, attempts: 2, retries: 1, errors: 0, circuit: 'closed' });
  });

  it('gives up at once when Retry-After is beyond what it accepts to wait', async () => {
    const { offres, clock } = connector();
    fake.failNext('search', { kind: 'rate-limit', retryAfter: 60 });
    const error = await offres.rechercherOffres({ codesRome: ['K2204'] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RemoteUnavailable);
    expect(error).toMatchObject({ reason: 'rate-limited', status: 429, retryAfterMs: 60_000 });
    expect(clock.sleeps).toEqual([]);
    expect(fake.calls('search')).toBe(1);
  });

  it('retries a 5xx with growing jittered back-off, then gives up after 1 + 3 attempts', async () => {
    const { offres, clock, registry } = connector({ http: { retries: 3, initialBackoffMs: 100, maxBackoffMs: 2_000, breakerThreshold: 10 } });
    fake.failAlways('search', { kind: 'status', status: 503 });
    const error = await offres.rechercherOffres({ codesRome: ['K2204'] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RemoteUnavailable);
    expect((error as RemoteUnavailable).message).toBe('« France Travail (offres) » est indisponible : erreur du serveur (HTTP 503).');
    expect(fake.calls('search')).toBe(4);
    expect(clock.sleeps).toHaveLength(3);
    for (const delay of clock.sleeps) {
      expect(delay).toBeGreaterThan(0);
      expect(delay).toBeLessThanOrEqual(2_000);
    }
    expect(registry.snapshot()['France Travail (offres)']).toMatchObject({
      calls: 1, successes: 0, attempts: 4, retries: 3, errors: 1, errorsByKind: { unavailable: 1, rejected: 0, malformed: 0 },
      unavailableByReason: { network: 0, timeout: 0, server: 1, 'rate-limited': 0, 'circuit-open': 0 },
    });

    fake.failAlways('search', null).failNext('search', { kind: 'status', status: 502 });
    expect((await offres.rechercherOffres({ codesRome: ['K2204'] })).total).toBe(3);
    expect(fake.calls('search')).toBe(6);
  });

  it('never retries a request that is not idempotent', async () => {
    const client = new ResilientHttpClient({ remote: 'France Travail (authentification)', baseUrl: fake.url, clock: new ManualClock(), metrics: new MetricsRegistry() });
    fake.failNext('token', { kind: 'status', status: 503 });
    await expect(
      client.request({ method: 'POST', path: '/connexion/oauth2/access_token', query: { realm: '/partenaire' }, form: { grant_type: 'client_credentials' }, schema: z.object({}) }),
    ).rejects.toBeInstanceOf(RemoteUnavailable);
    expect(fake.calls('token')).toBe(1);
  });

  it('times out a slow answer, retries it, then reports the timeout', async () => {
    const { offres } = connector({ http: { timeoutMs: 100, retries: 1 } });
    await offres.rechercherOffres({ codesRome: ['N1103'] }); // the token, fetched before the slowness
    fake.failAlways('search', { kind: 'slow', ms: 2_000 });
    const started = Date.now();
    const error = await offres.rechercherOffres({ codesRome: ['K2204'] }).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(error).toBeInstanceOf(RemoteUnavailable);
    expect(error).toMatchObject({ reason: 'timeout', message: '« France Travail (offres) » est indisponible : pas de réponse dans le délai de 100 ms.' });
    expect(fake.calls('search')).toBe(3);
  });

  it('rejects a malformed answer whole, without retrying or caching it', async () => {
    const { offres } = connector();
    fake.failNext('search', { kind: 'malformed-json' });
    const broken = await offres.rechercherOffres({ codesRome: ['K2204'] }).catch((e: unknown) => e);
    expect(broken).toBeInstanceOf(RemoteMalformed);
    expect((broken as Error).message).toBe(
      '« France Travail (offres) » a renvoyé une réponse inattendue, ignorée : corps non JSON (27 caractères, début : "{\\"resultats\\":[{\\"id\\":\\"TRONQU").',
    );
    fake.failNext('search', { kind: 'malformed-shape' });
    const wrongShape = await offres.rechercherOffres({ codesRome: ['K2204'] }).catch((e: unknown) => e);
    expect(wrongShape).toBeInstanceOf(RemoteMalformed);
    expect((wrongShape as Error).message).toContain('resultats.0.id');
    expect(fake.calls('search')).toBe(2);

    expect((await offres.rechercherOffres({ codesRome: ['K2204'] })).total).toBe(3);
    expect(fake.calls('search')).toBe(3);
  });

  it('opens the circuit after consecutive failures, fails fast, then half-opens and closes on success', async () => {
    const { offres, registry } = connector({ cacheTtlMs: 0, http: { retries: 0, breakerThreshold: 3, halfOpenAfterMs: 100 } });
    await offres.rechercherOffres({ codesRome: ['N1103'] });
    fake.failAlways('search', { kind: 'status', status: 500 });
    for (let i = 0; i < 3; i += 1) await expect(offres.rechercherOffres({ codesRome: ['K2204'] })).rejects.toMatchObject({ reason: 'server' });
    expect(registry.snapshot()['France Travail (offres)']!.circuit).toBe('open');

    const fast = await offres.rechercherOffres({ codesRome: ['K2204'] }).catch((e: unknown) => e);
    expect(fast).toMatchObject({ reason: 'circuit-open', message: '« France Travail (offres) » est indisponible : circuit ouvert après des échecs répétés, appel non tenté.' });
    expect(fake.calls('search')).toBe(1 + 3);

    await new Promise((resolve) => setTimeout(resolve, 120));
    fake.failAlways('search', null);
    expect((await offres.rechercherOffres({ codesRome: ['K2204'] })).total).toBe(3);
    expect(fake.calls('search')).toBe(1 + 3 + 1);
    expect(registry.snapshot()['France Travail (offres)']!.circuit).toBe('closed');
  });

  it('re-opens the circuit when the half-open trial fails', async () => {
    const { offres, registry } = connector({ cacheTtlMs: 0, http: { retries: 0, breakerThreshold: 2, halfOpenAfterMs: 50 } });
    await offres.rechercherOffres({ codesRome: ['N1103'] });
    fake.failAlways('search', { kind: 'status', status: 500 });
    for (let i = 0; i < 2; i += 1) await expect(offres.rechercherOffres({ codesRome: ['K2204'] })).rejects.toBeInstanceOf(RemoteUnavailable);
    await new Promise((resolve) => setTimeout(resolve, 70));
    await expect(offres.rechercherOffres({ codesRome: ['K2204'] })).rejects.toMatchObject({ reason: 'server' });
    await expect(offres.rechercherOffres({ codesRome: ['K2204'] })).rejects.toMatchObject({ reason: 'circuit-open' });
    expect(fake.calls('search')).toBe(1 + 2 + 1);
    expect(registry.snapshot()['France Travail (offres)']!.circuit).toBe('open');
  });

  it('answers the same criteria from its brief cache, whatever their order, until the TTL passes', async () => {
    const { offres, clock } = connector({ cacheTtlMs: 30_000 });
    const first = await offres.rechercherOffres({ codesRome: ['M1607', 'K2204'], typeContrat: ['CDI', 'CDD'] });
    const again = await offres.rechercherOffres({ codesRome: ['K2204', 'M1607'], typeContrat: ['CDD', 'CDI'] });
    expect(again).toBe(first);
    expect(fake.calls('search')).toBe(1);
    expect(fake.requestsTo('search')[0]!.query.get('codeROME')).toBe('K2204,M1607');

    await offres.rechercherOffres({ codesRome: ['M1607', 'K2204'], typeContrat: ['CDI'] });
    expect(fake.calls('search')).toBe(2);
    clock.advance(30_000);
    await offres.rechercherOffres({ codesRome: ['M1607', 'K2204'], typeContrat: ['CDI', 'CDD'] });
    expect(fake.calls('search')).toBe(3);
  });

  it('degrades to an explained empty answer when France Travail is unavailable', async () => {
    const { offres } = connector({ http: { retries: 1, breakerThreshold: 10 } });
    expect(await offres.suggererOffres({ codesRome: ['K2204'] })).toMatchObject({ total: 3, indisponible: false, raison: null, code: null });

    fake.failAlways('search', { kind: 'status', status: 503 });
    expect(await offres.suggererOffres({ codesRome: ['M1607'] })).toEqual({
      offres: [],
      total: 0,
      indisponible: true,
      code: 'INDISPONIBLE',
      raison: "Les offres d'emploi de France Travail sont momentanément indisponibles (le service est en erreur). Réessayez dans quelques minutes.",
    });
    fake.failAlways('search', { kind: 'malformed-shape' });
    expect(await offres.suggererOffres({ codesRome: ['M1607'] })).toMatchObject({ indisponible: true, code: 'REPONSE_INVALIDE' });
    // A caller's mistake is not an outage: it still throws.
    await expect(offres.suggererOffres({ codesRome: [] })).rejects.toBeInstanceOf(InvalidSearchCriteria);
  });

  it('exposes per-remote metrics, calls, errors, retries and latency percentiles', async () => {
    const { offres, registry } = connector();
    fake.failNext('search', { kind: 'status', status: 500 });
    await offres.rechercherOffres({ codesRome: ['K2204'] });
    await offres.rechercherOffres({ codesRome: ['N1103'] });
    const snapshot = metrics(registry);
    expect(Object.keys(snapshot).sort()).toEqual(['France Travail (authentification)', 'France Travail (offres)']);
    expect(snapshot['France Travail (authentification)']).toMatchObject({ calls: 1, attempts: 1, retries: 0, errors: 0 });
    const search = snapshot['France Travail (offres)']!;
    expect(search).toMatchObject({ calls: 2, successes: 2, attempts: 3, retries: 1, errors: 0, circuit: 'closed' });
    expect(search.latencyMs.count).toBe(3);
    expect(search.latencyMs.p50).toBeGreaterThanOrEqual(0);
    expect(search.latencyMs.p95).toBeGreaterThanOrEqual(search.latencyMs.p50!);
    expect(offres.metrics()).toEqual([snapshot['France Travail (authentification)'], search]);
  });

  it('reads its configuration from the environment once, off when no credential is set', () => {
    expect(franceTravailConfig({})).toBeNull();
    expect(franceTravailConfig({ FRANCE_TRAVAIL_CLIENT_ID: 'id', FRANCE_TRAVAIL_CLIENT_SECRET: 's', FRANCE_TRAVAIL_TIMEOUT_MS: '2000' })).toEqual({
      clientId: 'id',
      clientSecret: 's',
      tokenUrl: 'https://entreprise.francetravail.fr/connexion/oauth2/access_token',
      apiUrl: 'https://api.francetravail.io/partenaire/offresdemploi',
      scope: 'api_offresdemploiv2 o2dsoffre',
      cacheTtlMs: 60_000,
      http: { timeoutMs: 2_000 },
    });
    expect(() => franceTravailConfig({ FRANCE_TRAVAIL_CLIENT_ID: 'id' })).toThrow(
      'FRANCE_TRAVAIL_CLIENT_SECRET: requis avec FRANCE_TRAVAIL_CLIENT_ID (donnez les deux, ou aucun pour désactiver les offres) (variable absente)',
    );
    expect(() => franceTravailConfig({ FRANCE_TRAVAIL_API_URL: 'ftp://x', FRANCE_TRAVAIL_TIMEOUT_MS: 'vite' })).toThrow(
      /FRANCE_TRAVAIL_API_URL: doit être une URL http\(s\).*\n.*FRANCE_TRAVAIL_TIMEOUT_MS: /s,
    );
  });
});
