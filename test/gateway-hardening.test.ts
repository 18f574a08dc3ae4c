import { seedFixture } from './support/fixtures';
import { COORDINATOR, startTestHub, type TestHub } from './support/hub';

/** What one operation may ask of the hub, and how the gateway says no. */
describe('GraphQL hardening at the gateway', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub({ seed: seedFixture, rateLimitPerMinute: 40 });
  });
  afterAll(async () => {
    await hub?.stop();
  });

  const limitErrors = (result: { errors?: { extensions?: Record<string, unknown> }[] }) =>
    (result.errors ?? []).filter((e) => e.extensions?.code === 'QUERY_LIMIT_EXCEEDED').map((e) => e.extensions);

  it('refuses a depth bomb before calling any subgraph', async () => {
    const nested = 'parcoursListe { edges { node { site { structure { a { b { c { d { e { f { g } } } } } } } } } } }';
    const { result, statements } = await hub.countSql(() => hub.query(`query { ${nested} }`));
    expect(result.data).toBeUndefined();
    expect(limitErrors(result)).toEqual([{ code: 'QUERY_LIMIT_EXCEEDED', limite: 'PROFONDEUR', max: 10, trouve: 12 }]);
    expect(statements).toEqual({ coordination: 0, 'droits-logement': 0, 'emploi-formation': 0 });
  });

  it('refuses an alias bomb', async () => {
    const aliases = Array.from({ length: 16 }, (_, i) => `a${i}: sites { id }`).join(' ');
    const { result, statements } = await hub.countSql(() => hub.query(`query { ${aliases} }`));
    expect(limitErrors(result)).toEqual([{ code: 'QUERY_LIMIT_EXCEEDED', limite: 'ALIAS', max: 15, trouve: 16 }]);
    expect(result.data).toBeUndefined();
    expect(statements.coordination).toBe(0);
  });

  it('refuses an over-cost query even within the alias limit', async () => {
    const node = 'id statut departement beneficiaire { id nom prenom dateNaissance } site { nom structure { nom } } referentDroitsLogement { nom structure { nom } } situationLogement { categorie commune { nom } } demarchesDroits { type statut } situationProfessionnelle { categorie } langue { niveauCecrl }';
    const aliases = Array.from({ length: 14 }, (_, i) => `a${i}: parcoursListe(first: 100) { totalCount edges { node { ${node} } } }`).join(' ');
    const result = await hub.query(`query { ${aliases} }`);
    expect(result.data).toBeUndefined();
    expect(limitErrors(result)).toEqual([expect.objectContaining({ code: 'QUERY_LIMIT_EXCEEDED', limite: 'COUT', max: 3000 })]);
    expect(result.errors?.[0]?.message).toMatch(/trop coûteuse : limite 3000, trouvé \d+\. Découpez-la/);
  });

  it('refuses a huge document', async () => {
    const fields = Array.from({ length: 2100 }, () => '__typename').join(' ');
    const result = await hub.query(`query { ${fields} }`);
    expect(limitErrors(result)).toEqual([{ code: 'QUERY_LIMIT_EXCEEDED', limite: 'JETONS', max: 2000 }]);
  });

  it('answers the unified view well within the limits', async () => {
    const result = await hub.query('query { parcoursListe(first: 20) { totalCount edges { node { id statut beneficiaire { nom } situationLogement { categorie } demarchesDroits { type } situationProfessionnelle { categorie } langue { niveauCecrl } } } } }');
    expect(result.errors).toBeUndefined();
  });

  it('gives no field suggestions and no introspection outside development', async () => {
    const typo = await hub.query('query { parcoursListee { totalCount } }');
    expect(typo.errors?.[0]?.message).not.toMatch(/Did you mean|parcoursListe\b/);
    const introspection = await hub.query('query { __schema { types { name } } }');
    expect(introspection.data).toBeUndefined();
    expect(introspection.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('refuses batched requests and simple GET requests that could be forged cross-site', async () => {
    const token = await hub.token(COORDINATOR);
    const batch = await fetch(hub.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]),
    });
    expect(batch.status).toBe(400);
    const get = await fetch(`${hub.gatewayUrl}?query=${encodeURIComponent('{ __typename }')}`, { headers: { authorization: `Bearer ${token}` } });
    expect(get.status).toBe(400);
    expect(await get.text()).toContain('CSRF');
  });

  it('refuses bodies over 1 MB', async () => {
    const token = await hub.token(COORDINATOR);
    const response = await fetch(hub.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(1_100_000) } }),
    });
    expect(response.status).toBe(413);
  });

  it('limits each user to its own request budget', async () => {
    const busy = await hub.token({ ...COORDINATOR, sub: 'busy-tool' });
    const statuses: number[] = [];
    for (let i = 0; i < 42; i += 1) statuses.push((await hub.post('{ __typename }', {}, { token: busy })).status);
    expect(statuses.slice(0, 40).every((s) => s === 200)).toBe(true);
    const refused = await hub.post('{ __typename }', {}, { token: busy });
    expect(refused).toEqual({ status: 429, body: { errors: [{ message: expect.stringContaining('Trop de requêtes'), extensions: { code: 'RATE_LIMITED' } }] } });
    const other = await hub.post('{ __typename }', {}, { token: await hub.token({ ...COORDINATOR, sub: 'another-tool' }) });
    expect(other.status).toBe(200);
  });
});
