import { FIXTURE, seedFixture } from './support/fixtures';
import { COORDINATOR, startTestHub, type TestHub } from './support/hub';
import { SUBGRAPH_NAMES } from '../scripts/hub';

/**
 * The gateway's limits hold at every entry: a caller with a valid user token who reaches a
 * subgraph's port directly meets the same depth, alias, cost and size limits, the same 400s for
 * its mistakes, and no field suggestions; the gateway's own calls, with its credential, go through.
 */
describe('the query limits on the subgraphs’ own ports', () => {
  let hub: TestHub;
  let token: string;
  beforeAll(async () => {
    hub = await startTestHub({ seed: seedFixture });
    token = await hub.token(COORDINATOR);
  });
  afterAll(async () => {
    await hub?.stop();
  });

  const direct = async (name: (typeof SUBGRAPH_NAMES)[number], body: string) => {
    const response = await fetch(hub.subgraphs[name].url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body });
    return { status: response.status, body: (await response.json()) as { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] } };
  };
  const query = (q: string, variables?: Record<string, unknown>) => JSON.stringify({ query: q, variables });
  const limits = (body: { errors?: { extensions?: Record<string, unknown> }[] }) => (body.errors ?? []).map((e) => e.extensions);

  it.each(SUBGRAPH_NAMES)('%s refuses a 1,000-alias query and a 100-alias one, before running anything', async (name) => {
    const field = {
      coordination: 'parcoursListe(first: 1) { totalCount }',
      'droits-logement': `refusPropositionsLogement(parcoursIds: ["${FIXTURE.amina.parcours}"]) { refus }`,
      'emploi-formation': 'metiersRome(recherche: "aide") { code }',
    }[name];
    const bomb = (n: number) => `query { ${Array.from({ length: n }, (_, i) => `a${i}: ${field}`).join(' ')} }`;
    const before = hub.subgraphs[name].counter.total;
    const thousand = await direct(name, query(bomb(1000)));
    expect(thousand.status).toBe(400);
    expect(thousand.body.data).toBeUndefined();
    expect(limits(thousand.body)).toEqual([{ code: 'QUERY_LIMIT_EXCEEDED', limite: 'JETONS', max: 2000 }]);
    const hundred = await direct(name, query(bomb(100)));
    expect(hundred.status).toBe(400);
    expect(limits(hundred.body)).toEqual([{ code: 'QUERY_LIMIT_EXCEEDED', limite: 'ALIAS', max: 15, trouve: 100 }]);
    // Nothing ran: only the audit of the refusal, if any, was written.
    expect(hub.subgraphs[name].counter.total - before).toBeLessThanOrEqual(2);
  });

  it('refuses on Coordination’s port a page whose cost comes from a variable, and a depth bomb', async () => {
    const node = 'id statut beneficiaire { id nom prenom } site { nom structure { nom } } referentDroitsLogement { nom structure { nom } } referentEmploiFormation { nom structure { nom } }';
    const pages = `query($n: Int) { a: parcoursListe(first: $n) { edges { node { ${node} } } } b: parcoursListe(first: $n) { edges { node { ${node} } } } }`;
    const costly = await direct('coordination', query(pages, { n: 100 }));
    expect(costly.status).toBe(400);
    expect(limits(costly.body)).toEqual([expect.objectContaining({ code: 'QUERY_LIMIT_EXCEEDED', limite: 'COUT', max: 18_500 })]);
    const deep = await direct('coordination', query('query { parcoursListe { edges { node { beneficiaire { bpi { bpi { bpi { bpi { bpi { bpi { bpi { id } } } } } } } } } } } }'));
    expect(deep.status).toBe(400);
    expect(limits(deep.body)).toEqual([expect.objectContaining({ code: 'QUERY_LIMIT_EXCEEDED', limite: 'PROFONDEUR', max: 10 })]);
    // The same small page answers, directly as through the gateway.
    const small = await direct('coordination', query(pages, { n: 2 }));
    expect(small.status).toBe(200);
    expect(small.body.errors).toBeUndefined();
  });

  it.each(SUBGRAPH_NAMES)('%s answers a syntax error, a bad body and an unknown field with a 400 and no suggestion', async (name) => {
    const syntax = await direct(name, query("'"));
    expect(syntax.status).toBe(400);
    expect(limits(syntax.body)).toEqual([{ code: 'GRAPHQL_PARSE_FAILED' }]);
    const response = await fetch(hub.subgraphs[name].url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: '{pas du json' });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe('BAD_REQUEST');
    const unknown = await direct(name, query('query { parcoursListee { totalCount } }'));
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors?.[0]?.message).not.toMatch(/Did you mean/);
  });

  it('lets the gateway’s own calls through: the unified view at the documented largest page', async () => {
    const result = await hub.query<{ parcoursListe: { edges: { node: { id: string; situationLogement: unknown } }[] } }>(
      `query { parcoursListe(first: 100) { totalCount edges { node { id statut beneficiaire { nom } situationLogement { categorie } demarchesDroits { type statut } situationProfessionnelle { categorie } langue { niveauCecrl } } } } }`,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.parcoursListe.edges.map((e) => e.node.id)).toContain(FIXTURE.amina.parcours);
  });
});
