import { randomBytes } from 'node:crypto';
import { reinitialiserFranceTravail } from '../subgraphs/emploi-formation/src/offres-emploi';
import { FAKE_CLIENT_ID, FAKE_CLIENT_SECRET, FranceTravailFake } from './fakes/france-travail';
import { FIXTURE, seedFixture } from './support/fixtures';
import { COORDINATOR, startTestHub, type TestHub } from './support/hub';

/**
 * `GET /metrics` on each subgraph: the outside systems' metrics in the Prometheus text format,
 * for the gateway's secret or the monitoring token only. France Travail, played by its fake,
 * leaves an attempt unanswered past the 500 ms timeout, answers a 503, each time getting past on
 * the retry, then answers nonsense; the exposition shows those calls, attempts, retries, errors and
 * latencies for its remote.
 */
describe('GET /metrics', () => {
  const fake = new FranceTravailFake();
  const metricsToken = randomBytes(32).toString('hex');
  const saved = { ...process.env };
  let hub: TestHub;
  let referent: string;

  const metricsUrl = (subgraph: keyof TestHub['subgraphs']) => hub.subgraphs[subgraph].url.replace(/\/graphql$/, '/metrics');
  const get = (subgraph: keyof TestHub['subgraphs'], headers: Record<string, string> = {}) => fetch(metricsUrl(subgraph), { headers });

  beforeAll(async () => {
    await fake.start();
    Object.assign(process.env, {
      FRANCE_TRAVAIL_CLIENT_ID: FAKE_CLIENT_ID,
      FRANCE_TRAVAIL_CLIENT_SECRET: FAKE_CLIENT_SECRET,
      FRANCE_TRAVAIL_TOKEN_URL: fake.tokenUrl,
      FRANCE_TRAVAIL_API_URL: fake.apiUrl,
      FRANCE_TRAVAIL_TIMEOUT_MS: '500',
      FRANCE_TRAVAIL_CACHE_TTL_MS: '1',
    });
    reinitialiserFranceTravail();
    hub = await startTestHub({
      metricsToken,
      async seed(dbs) {
        await seedFixture(dbs);
        await dbs['emploi-formation'].query(
          `INSERT INTO projet_professionnel (parcours_id, etat, codes_rome, date_mise_a_jour) VALUES ($1, 'VALIDE', '{K2204}', '2025-03-01')`,
          [FIXTURE.amina.parcours],
        );
      },
    });
    referent = await hub.token({ ...COORDINATOR, roles: ['REFERENT_EMPLOI_FORMATION'], departements: ['44'], referent: FIXTURE.referentEF });
  });
  afterAll(async () => {
    await hub?.stop();
    await fake.stop();
    process.env = saved;
    reinitialiserFranceTravail();
  });

  const OFFRES = `query($id: ID!, $c: String!) { parcours(id: $id) { offresEmploi(commune: $c) { indisponible raison offres { id } } } }`;
  const offres = async (commune: string) => {
    const result = await hub.query<{ parcours: { offresEmploi: { indisponible: boolean; raison: string | null; offres: unknown[] } } }>(OFFRES, { id: FIXTURE.amina.parcours, c: commune }, { token: referent });
    expect(result.errors).toBeUndefined();
    return result.data!.parcours.offresEmploi;
  };

  /** The value of one sample of the exposition, e.g. `agir_remote_calls_total{remote="…",outcome="error"}`. */
  function sample(exposition: string, name: string, labels: Record<string, string>): number | undefined {
    const wanted = `${name}{${Object.entries(labels).map(([k, v]) => `${k}="${v}"`).join(',')}}`;
    const line = exposition.split('\n').find((l) => l.startsWith(`${wanted} `));
    return line === undefined ? undefined : Number(line.slice(wanted.length + 1));
  }

  it('is closed without the gateway secret or the monitoring token: 401 with a JSON body', async () => {
    const userToken = await hub.token(COORDINATOR);
    const refusals: Record<string, string>[] = [
      {},
      { 'x-agir-gateway-key': 'not-the-gateway-secret-0123456789abcdef' },
      { authorization: `Bearer ${randomBytes(32).toString('hex')}` },
      // A user's token, however valid, opens GraphQL, not the metrics.
      { authorization: `Bearer ${userToken}` },
      // The gateway's secret is taken from its header only, not as a bearer token.
      { authorization: `Bearer ${hub.gatewaySecret}` },
    ];
    for (const headers of refusals) {
      for (const subgraph of ['coordination', 'droits-logement', 'emploi-formation'] as const) {
        const response = await get(subgraph, headers);
        expect(response.status).toBe(401);
        expect(response.headers.get('content-type')).toMatch(/^application\/json/);
        expect(response.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
        expect(await response.json()).toEqual({
          errors: [{ message: expect.stringContaining('x-agir-gateway-key'), extensions: { code: 'UNAUTHENTICATED' } }],
        });
      }
    }
  });

  it("exposes France Travail's calls by outcome, errors by kind, circuit state and latency histogram", async () => {
    // No answer within the timeout, then a 503, each retried past; then a body of the wrong shape.
    fake.failNext('search', { kind: 'slow', ms: 1000 });
    expect(await offres('44109')).toMatchObject({ indisponible: false, raison: null });
    fake.failNext('search', { kind: 'status', status: 503 });
    expect(await offres('44143')).toMatchObject({ indisponible: false });
    fake.failNext('search', { kind: 'malformed-shape' });
    expect(await offres('85191')).toMatchObject({ indisponible: true, offres: [] });
    expect(fake.calls('search')).toBe(5);
    expect(fake.calls('token')).toBe(1);

    const response = await get('emploi-formation', { 'x-agir-gateway-key': hub.gatewaySecret });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = await response.text();
    const offresRemote = { remote: 'France Travail (offres)' };
    const tokenRemote = { remote: 'France Travail (authentification)' };

    expect(body).toContain('# TYPE agir_remote_calls_total counter');
    expect(body).toContain('# TYPE agir_remote_attempt_duration_seconds histogram');
    expect({
      succes: sample(body, 'agir_remote_calls_total', { ...offresRemote, outcome: 'success' }),
      echecs: sample(body, 'agir_remote_calls_total', { ...offresRemote, outcome: 'error' }),
      essais: sample(body, 'agir_remote_attempts_total', offresRemote),
      reprises: sample(body, 'agir_remote_retries_total', offresRemote),
      indisponible: sample(body, 'agir_remote_errors_total', { ...offresRemote, kind: 'unavailable' }),
      refusee: sample(body, 'agir_remote_errors_total', { ...offresRemote, kind: 'rejected' }),
      invalide: sample(body, 'agir_remote_errors_total', { ...offresRemote, kind: 'malformed' }),
      serveur: sample(body, 'agir_remote_unavailable_total', { ...offresRemote, reason: 'server' }),
      circuitFerme: sample(body, 'agir_remote_circuit_state', { ...offresRemote, state: 'closed' }),
      circuitOuvert: sample(body, 'agir_remote_circuit_state', { ...offresRemote, state: 'open' }),
      jeton: sample(body, 'agir_remote_calls_total', { ...tokenRemote, outcome: 'success' }),
    }).toEqual({
      succes: 2, echecs: 1, essais: 5, reprises: 2, indisponible: 0, refusee: 0, invalide: 1,
      // The timeout and the 503 were retried past: no failed call, but the attempts count them.
      serveur: 0, circuitFerme: 1, circuitOuvert: 0, jeton: 1,
    });

    // One observation per attempt, the timed-out one included: it lasted the 500 ms timeout.
    const count = sample(body, 'agir_remote_attempt_duration_seconds_count', offresRemote);
    const sum = sample(body, 'agir_remote_attempt_duration_seconds_sum', offresRemote)!;
    expect(count).toBe(5);
    expect(sum).toBeGreaterThanOrEqual(0.5);
    expect(sample(body, 'agir_remote_attempt_duration_seconds_bucket', { le: '0.25', ...offresRemote })).toBeLessThanOrEqual(4);
    expect(sample(body, 'agir_remote_attempt_duration_seconds_bucket', { le: '10', ...offresRemote })).toBe(5);
    expect(sample(body, 'agir_remote_attempt_duration_seconds_bucket', { le: '+Inf', ...offresRemote })).toBe(5);
  });

  it('answers the monitoring token too, on every subgraph', async () => {
    for (const subgraph of ['coordination', 'droits-logement', 'emploi-formation'] as const) {
      const response = await get(subgraph, { authorization: `Bearer ${metricsToken}` });
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('# HELP agir_remote_calls_total ');
    }
    const viaToken = await (await get('emploi-formation', { authorization: `Bearer ${metricsToken}` })).text();
    expect(sample(viaToken, 'agir_remote_errors_total', { remote: 'France Travail (offres)', kind: 'malformed' })).toBe(1);
  });
});
