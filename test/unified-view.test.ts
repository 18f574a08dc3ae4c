import { FIXTURE, seedFixture } from './support/fixtures';
import { startTestHub, type TestHub } from './support/hub';

const UNIFIED = `
  query Unified($first: Int, $after: String, $filtre: ParcoursFiltre) {
    parcoursListe(first: $first, after: $after, filtre: $filtre) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node {
        id statut departement
        beneficiaire { id nom prenom }
        situationLogement { categorie }
        demarchesDroits { type statut }
        situationProfessionnelle { categorie }
        langue { niveauCecrl }
      } }
    }
  }`;

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub({ seed: seedFixture });
});
afterAll(async () => {
  await hub?.stop();
});

const amina = {
  id: FIXTURE.amina.parcours,
  statut: 'CONTRACTUALISE',
  departement: '44',
  beneficiaire: { id: FIXTURE.amina.beneficiaire, nom: 'Haidari', prenom: 'Amina' },
  situationLogement: { categorie: 'LOGEMENT_ACCOMPAGNE_ADAPTE' },
  demarchesDroits: [
    { type: 'CAF_PRESTATIONS_FAMILIALES', statut: 'OBTENU' },
    { type: 'ECHANGE_PERMIS_CONDUIRE', statut: 'EN_COURS' },
  ],
  situationProfessionnelle: { categorie: 'EMPLOI_DURABLE' },
  langue: { niveauCecrl: 'A2' },
};
const noDomainData = { situationLogement: null, demarchesDroits: [], situationProfessionnelle: null, langue: null };
const karim = { id: FIXTURE.karim.parcours, statut: 'ORIENTE', departement: '44', beneficiaire: { id: FIXTURE.karim.beneficiaire, nom: 'Nouri', prenom: 'Karim' }, ...noDomainData };
const yonas = { id: FIXTURE.yonas.parcours, statut: 'CONVOQUE', departement: '85', beneficiaire: { id: FIXTURE.yonas.beneficiaire, nom: 'Tesfaye', prenom: 'Yonas' }, ...noDomainData };

describe('the unified parcours view through the gateway', () => {
  it('lists parcours with fields from all three subgraphs, most recent orientation first', async () => {
    const result = await hub.query(UNIFIED, { first: 20 });
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({
      parcoursListe: {
        totalCount: 3,
        pageInfo: { hasNextPage: false, endCursor: expect.any(String) },
        edges: [{ node: karim }, { node: yonas }, { node: amina }],
      },
    });
  });

  it('answers the documented query for one parcours', async () => {
    const result = await hub.query(`query { parcours(id: "${FIXTURE.amina.parcours}") { id statut situationLogement { categorie } situationProfessionnelle { categorie } } }`);
    expect(result).toEqual({
      data: { parcours: { id: FIXTURE.amina.parcours, statut: 'CONTRACTUALISE', situationLogement: { categorie: 'LOGEMENT_ACCOMPAGNE_ADAPTE' }, situationProfessionnelle: { categorie: 'EMPLOI_DURABLE' } } },
    });
  });

  it('pages with first/after without gaps or repeats', async () => {
    const first = await hub.query<{ parcoursListe: { pageInfo: { hasNextPage: boolean; endCursor: string }; edges: { node: { id: string } }[] } }>(UNIFIED, { first: 2 });
    expect(first.data?.parcoursListe.edges.map((e) => e.node.id)).toEqual([karim.id, yonas.id]);
    expect(first.data?.parcoursListe.pageInfo.hasNextPage).toBe(true);
    const second = await hub.query<typeof first.data>(UNIFIED, { first: 2, after: first.data?.parcoursListe.pageInfo.endCursor });
    expect(second.data?.parcoursListe.edges.map((e) => e.node.id)).toEqual([amina.id]);
    expect(second.data?.parcoursListe.pageInfo.hasNextPage).toBe(false);
  });

  it('filters by département, statut and site', async () => {
    const by85 = await hub.query(UNIFIED, { filtre: { departement: '85' } });
    expect(by85.data).toEqual({ parcoursListe: { totalCount: 1, pageInfo: { hasNextPage: false, endCursor: expect.any(String) }, edges: [{ node: yonas }] } });
    const byStatut = await hub.query<{ parcoursListe: { edges: { node: { id: string } }[] } }>(UNIFIED, { filtre: { statut: ['ORIENTE', 'CONTRACTUALISE'] } });
    expect(byStatut.data?.parcoursListe.edges.map((e) => e.node.id)).toEqual([karim.id, amina.id]);
    const bySite = await hub.query<{ parcoursListe: { totalCount: number } }>(UNIFIED, { filtre: { siteId: FIXTURE.site85, statut: ['CONTRACTUALISE'] } });
    expect(bySite.data?.parcoursListe.totalCount).toBe(0);
  });
});

describe('bad input gets a typed error saying what to fix', () => {
  const codeAndMessage = (result: { errors?: { message: string; extensions?: Record<string, unknown> }[] }) =>
    result.errors?.map((e) => ({ code: e.extensions?.code, message: e.message }));

  it('refuses a malformed parcours id', async () => {
    const result = await hub.query('query { parcours(id: "1234") { id } }');
    expect(result.data).toEqual({ parcours: null });
    expect(codeAndMessage(result)).toEqual([{ code: 'BAD_USER_INPUT', message: expect.stringContaining('« id » doit être un UUID') }]);
  });

  it('answers NOT_FOUND for an unknown parcours id', async () => {
    const result = await hub.query('query { parcours(id: "6f1c2a54-7b8e-4d2a-9c1e-5a6b7c8d9e0f") { id statut } }');
    expect(result.data).toEqual({ parcours: null });
    expect(codeAndMessage(result)).toEqual([{ code: 'NOT_FOUND', message: expect.stringContaining('6f1c2a54-7b8e-4d2a-9c1e-5a6b7c8d9e0f') }]);
  });

  it.each([
    [{ departement: '4' }, 'filtre.departement'],
    [{ siteId: 'abc' }, 'filtre.siteId'],
    [{ siteId: '6f1c2a54-7b8e-4d2a-9c1e-5a6b7c8d9e0f' }, 'filtre.siteId'],
    [{ statut: [] }, 'filtre.statut'],
  ])('refuses the filter %j', async (filtre, field) => {
    const result = await hub.query(UNIFIED, { filtre });
    expect(result.data).toBeNull();
    expect(result.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', field }) })]);
  });

  it('refuses an unknown statut before any subgraph is called', async () => {
    const result = await hub.query(UNIFIED, { filtre: { statut: ['PERDU'] } });
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0]?.message).toContain('PERDU');
  });

  it('refuses a page size above 100 and a forged cursor', async () => {
    const tooBig = await hub.query(UNIFIED, { first: 101 });
    expect(tooBig.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    const forged = await hub.query(UNIFIED, { after: 'bm90LWEtY3Vyc29y' });
    expect(forged.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });

  it('never shows a stack trace outside development', async () => {
    const result = await hub.query('query { parcours(id: "nope") { id } }');
    expect(JSON.stringify(result)).not.toMatch(/stacktrace|\.ts:\d+/);
  });
});

describe('a subgraph refusing a value', () => {
  it('passes the subgraph\'s own typed error on, not an outage', async () => {
    // The gateway does not know the Date scalar's rules; the Droits & Logement subgraph refuses
    // 30 February with an HTTP 400 and a GraphQL error, which must reach the client as such.
    const result = await hub.query('query($du: Date!) { indicateursDroitsLogement(departement: "44", du: $du, au: "2025-12-31") { departement } }', { du: '2025-02-30' });
    expect(result.data).toBeNull();
    expect(result.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors?.[0]?.message).toContain('2025-02-30');
  });
});
