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

  it('answers an operation name that names no operation with a 400 saying what to send', async () => {
    for (const operationName of ['', 'Absente']) {
      const response = await fetch(hub.gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await hub.token(COORDINATOR)}` },
        body: JSON.stringify({ query: '{ __typename }', operationName }),
      });
      expect(response.status).toBe(400);
      const body = (await response.json()) as { errors: { message: string; extensions: { code: string; field: string } }[] };
      expect(body.errors[0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'operationName' });
      expect(body.errors[0]!.message).toContain(`ne porte le nom « ${operationName} »`);
    }
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
    expect(limitErrors(result)).toEqual([expect.objectContaining({ code: 'QUERY_LIMIT_EXCEEDED', limite: 'COUT', max: 18_500 })]);
    expect(result.errors?.[0]?.message).toMatch(/trop coûteuse : limite 18500, trouvé \d+\. Découpez-la/);
  });

  describe('the cost counts the page size however it is given', () => {
    /** The README's unified view, with the page size as given (`first`), and the binôme's referents if asked. */
    const NOEUD = 'id statut departement beneficiaire { id nom prenom } situationLogement { categorie } demarchesDroits { type statut } situationProfessionnelle { categorie } langue { niveauCecrl }';
    const BINOME = 'referentDroitsLogement { id nom prenom structure { nom } } referentEmploiFormation { id nom prenom structure { nom } }';
    const liste = (first: string | null, noeud = NOEUD) =>
      `parcoursListe(${first === null ? '' : `first: ${first}, `}filtre: { departement: "44" }) { totalCount pageInfo { hasNextPage endCursor } edges { node { ${noeud} } } }`;
    const refus = (trouve: number) => ({ status: 400, erreurs: [{ code: 'QUERY_LIMIT_EXCEEDED', limite: 'COUT', max: 18_500, trouve, requestId: expect.any(String) }] });
    let appels = 0;
    // Each call as a user of its own, so that these calls (and the subgraphs' calls made for them) stay out of the rate limit.
    const envoyer = async (query: string, variables?: Record<string, unknown>) => {
      const token = await hub.token({ ...COORDINATOR, sub: `cout-${(appels += 1)}` });
      const { status, body } = await hub.post<{ parcoursListe?: { totalCount: number } }>(query, variables, { token });
      return body.errors ? { status, erreurs: limitErrors(body) } : { status, totalCount: body.data?.parcoursListe?.totalCount };
    };

    it('answers the unified view at its largest page, written in the query or passed as a variable', async () => {
      expect(await envoyer(`query { ${liste('100')} }`)).toEqual({ status: 200, totalCount: 2 });
      expect(await envoyer(`query ($first: Int) { ${liste('$first')} }`, { first: 100 })).toEqual({ status: 200, totalCount: 2 });
      expect(await envoyer(`query { ${liste('100', `${NOEUD} ${BINOME}`)} }`)).toEqual({ status: 200, totalCount: 2 });
      expect(await envoyer(`query ($first: Int) { ${liste('$first', `${NOEUD} ${BINOME}`)} }`, { first: 100 })).toEqual({ status: 200, totalCount: 2 });
    });

    it('refuses the same page asked twice, written in the query or passed as a variable', async () => {
      expect(await envoyer(`query { a: ${liste('100')} b: ${liste('100')} }`)).toEqual(refus(20_575));
      expect(await envoyer(`query ($first: Int) { a: ${liste('$first')} b: ${liste('$first')} }`, { first: 100 })).toEqual(refus(20_575));
      // A page size under the limit is not one over it: 2 × 60 costs less than one page of 100 with the binôme.
      expect((await envoyer(`query ($first: Int) { a: ${liste('$first')} b: ${liste('$first')} }`, { first: 60 })).status).toBe(200);
    });

    it('refuses a page of 100 with nodes twice as deep', async () => {
      const profond = `${NOEUD} ${BINOME} site { nom structure { nom } } commission { date priorite bassinDeVie } diagnostic { __typename }`;
      const r = await envoyer(`query ($first: Int) { ${liste('$first', profond)} }`, { first: 100 });
      expect(r).toEqual({ status: 400, erreurs: [expect.objectContaining({ code: 'QUERY_LIMIT_EXCEEDED', limite: 'COUT', max: 18_500 })] });
    });

    it("counts the variable's default and the argument's default in the schema", async () => {
      // A variable left to its default of 100, twice.
      expect(await envoyer(`query ($first: Int = 100) { a: ${liste('$first')} b: ${liste('$first')} }`)).toEqual(refus(20_575));
      // No `first`: the schema's default page, 20 (2,057.5 each): 8 such lists pass, 9 do not.
      const alias = (n: number) => Array.from({ length: n }, (_, i) => `l${i}: ${liste(null)}`).join(' ');
      expect((await envoyer(`query { ${alias(8)} }`)).status).toBe(200);
      expect(await envoyer(`query { ${alias(9)} }`)).toEqual(refus(18_518));
    });
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
