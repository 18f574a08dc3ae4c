import { randomBytes } from 'node:crypto';
import { createDataSource, createLogger, dropDatabase, ownerRole, provisionDatabase, withDatabase } from '@agir/common';
import { MetricsRegistry, RemoteMalformed, RemoteRejected, RemoteUnavailable } from '@agir/common/src/http';
import type { DataSource } from 'typeorm';
import {
  DataInclusionClient,
  OffreLocaleStore,
  offreLocaleConfig,
  RefugiesInfoClient,
  synchroniserOffreLocale,
  type DataInclusionOptions,
  type RefugiesInfoOptions,
} from '../subgraphs/coordination/src/connectors';
import { main as synchroniserAMain } from '../subgraphs/coordination/src/connectors/sync-offre-locale';
import { CatalogueOffreLocale1700000009000 } from '../subgraphs/coordination/src/migrations/1700000009000-CatalogueOffreLocale';
import { ManualClock } from './fakes/clock';
import { DataInclusionFake, FAKE_DATA_INCLUSION_TOKEN } from './fakes/data-inclusion';
import { RefugiesInfoFake } from './fakes/refugies-info';
import { adminUrl } from './support/hub';

const dataInclusionFake = new DataInclusionFake();
const refugiesInfoFake = new RefugiesInfoFake();
beforeAll(async () => {
  await dataInclusionFake.start();
  await refugiesInfoFake.start();
});
afterAll(async () => {
  await dataInclusionFake.stop();
  await refugiesInfoFake.stop();
});
beforeEach(() => {
  dataInclusionFake.reset();
  refugiesInfoFake.reset();
});

const HTTP = { timeoutMs: 1_000, retries: 2, initialBackoffMs: 50, maxBackoffMs: 500, maxRetryAfterMs: 10_000, breakerThreshold: 5, halfOpenAfterMs: 100 };

function dataInclusion(overrides: Partial<DataInclusionOptions> = {}) {
  const clock = new ManualClock();
  const registry = new MetricsRegistry();
  const client = new DataInclusionClient({ token: FAKE_DATA_INCLUSION_TOKEN, apiUrl: dataInclusionFake.apiUrl, pageSize: 3, clock, metrics: registry, http: HTTP, ...overrides });
  return { client, clock, registry };
}

function refugiesInfo(overrides: Partial<RefugiesInfoOptions> = {}) {
  const clock = new ManualClock();
  const registry = new MetricsRegistry();
  const client = new RefugiesInfoClient({ apiUrl: refugiesInfoFake.url, clock, metrics: registry, http: HTTP, ...overrides });
  return { client, clock, registry };
}

const ids = (items: { id: string }[]) => items.map((item) => item.id);
const SERVICES_44 = ['dora--svc1', 'dora--svc2', 'dora--svc3', 'dora--svc4', 'soliguide--svc5', 'dora--svc6', 'dora--svc7'];

describe('data·inclusion connector', () => {
  it('lists a département\'s services for exiled people page by page, with the bearer token', async () => {
    const { client } = dataInclusion();
    const page = await client.listerServices({ codeDepartement: '44' }, 2);
    expect({ ...page, items: ids(page.items) }).toEqual({ items: ['dora--svc4', 'soliguide--svc5', 'dora--svc6'], total: 7, page: 2, size: 3, pages: 3 });

    expect(ids(await client.tousLesServices({ codeDepartement: '44' }))).toEqual(SERVICES_44);
    const requests = dataInclusionFake.requestsTo('services');
    expect(requests.map((request) => request.query.toString())).toEqual([
      'code_departement=44&publics=personnes-exilees&page=2&size=3',
      'code_departement=44&publics=personnes-exilees&page=1&size=3',
      'code_departement=44&publics=personnes-exilees&page=2&size=3',
      'code_departement=44&publics=personnes-exilees&page=3&size=3',
    ]);
    expect(requests[0]!.headers.authorization).toBe(`Bearer ${FAKE_DATA_INCLUSION_TOKEN}`);
  });

  it('sends thematiques as repeated keys, and lists structures', async () => {
    const { client } = dataInclusion();
    const services = await client.tousLesServices({ codeDepartement: '44', thematiques: ['sante', 'lecture-ecriture-calcul--maitriser-le-francais'] });
    expect(ids(services)).toEqual(['dora--svc1', 'soliguide--svc5', 'dora--svc6']);
    expect(dataInclusionFake.requestsTo('services')[0]!.query.getAll('thematiques')).toEqual(['lecture-ecriture-calcul--maitriser-le-francais', 'sante']);
    expect(ids(await client.toutesLesStructures({ codeDepartement: '44' }))).toEqual(['dora--s1', 'dora--s2', 'soliguide--s3']);
    expect(dataInclusionFake.requestsTo('structures').map((request) => request.query.toString())).toEqual(['code_departement=44&page=1&size=3']);
  });

  it('reports a refused token (401) and a refused département (422) as typed rejections, not retried', async () => {
    const { client } = dataInclusion({ token: 'jeton-perime' });
    const error = await client.tousLesServices({ codeDepartement: '44' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RemoteRejected);
    expect(error).toMatchObject({ remote: 'data·inclusion', status: 401, body: { detail: 'Could not validate credentials' } });
    expect((error as Error).message).toBe(
      '« data·inclusion » a refusé la requête (HTTP 401 : Could not validate credentials). Vérifiez DATA_INCLUSION_TOKEN (un jeton data·inclusion de portée « api »).',
    );
    expect(dataInclusionFake.calls('services')).toBe(1);

    const { client: valid } = dataInclusion();
    await expect(valid.tousLesServices({ codeDepartement: '99' })).rejects.toMatchObject({
      status: 422,
      message: '« data·inclusion » a refusé la requête (HTTP 422 : This `code_departement` does not exist.).',
    });
  });

  it('honours a 429 Retry-After, then succeeds', async () => {
    const { client, clock } = dataInclusion();
    dataInclusionFake.failNext('services', { kind: 'rate-limit', retryAfter: 3 });
    expect(await client.listerServices({ codeDepartement: '44' })).toMatchObject({ total: 7, pages: 3 });
    expect(clock.sleeps).toEqual([3_000]);
    expect(dataInclusionFake.calls('services')).toBe(2);
  });

  it('retries a 5xx, then gives up after 1 + 2 attempts', async () => {
    const { client, clock, registry } = dataInclusion();
    dataInclusionFake.failAlways('services', { kind: 'status', status: 502 });
    await expect(client.listerServices({ codeDepartement: '44' })).rejects.toMatchObject({ reason: 'server', status: 502 });
    expect(dataInclusionFake.calls('services')).toBe(3);
    expect(clock.sleeps).toHaveLength(2);
    expect(registry.snapshot()['data·inclusion']).toMatchObject({ calls: 1, attempts: 3, retries: 2, errors: 1 });
  });

  it('times out a slow answer', async () => {
    const { client } = dataInclusion({ http: { ...HTTP, timeoutMs: 80, retries: 0 } });
    dataInclusionFake.failNext('services', { kind: 'slow', ms: 1_000 });
    await expect(client.listerServices({ codeDepartement: '44' })).rejects.toMatchObject({ reason: 'timeout', message: '« data·inclusion » est indisponible : pas de réponse dans le délai de 80 ms.' });
  });

  it('rejects a malformed page whole', async () => {
    const { client } = dataInclusion();
    dataInclusionFake.failNext('services', { kind: 'malformed-shape' });
    const error = await client.listerServices({ codeDepartement: '44' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RemoteMalformed);
    expect((error as Error).message).toMatch(/^« data·inclusion » a renvoyé une réponse inattendue, ignorée : items\.0\.id : /);
    expect(dataInclusionFake.calls('services')).toBe(1);
  });

  it('opens the circuit after consecutive timeouts, then half-opens and closes', async () => {
    const { client, registry } = dataInclusion({ http: { ...HTTP, timeoutMs: 50, retries: 0, breakerThreshold: 2, halfOpenAfterMs: 80 } });
    dataInclusionFake.failAlways('services', { kind: 'slow', ms: 1_000 });
    for (let i = 0; i < 2; i += 1) await expect(client.listerServices({ codeDepartement: '44' })).rejects.toMatchObject({ reason: 'timeout' });
    await expect(client.listerServices({ codeDepartement: '44' })).rejects.toMatchObject({ reason: 'circuit-open' });
    expect(dataInclusionFake.calls('services')).toBe(2);
    expect(registry.snapshot()['data·inclusion']!.circuit).toBe('open');

    dataInclusionFake.failAlways('services', null);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await client.listerServices({ codeDepartement: '44' })).total).toBe(7);
    expect(dataInclusionFake.calls('services')).toBe(3);
    expect(registry.snapshot()['data·inclusion']!.circuit).toBe('closed');
  });

  it('reuses a complete listing for the brief cache TTL', async () => {
    const { client, clock } = dataInclusion({ cacheTtlMs: 10_000 });
    await client.tousLesServices({ codeDepartement: '44' });
    await client.tousLesServices({ codeDepartement: '44' });
    expect(dataInclusionFake.calls('services')).toBe(3);
    clock.advance(10_000);
    await client.tousLesServices({ codeDepartement: '44' });
    expect(dataInclusionFake.calls('services')).toBe(6);
  });
});

describe('Réfugiés.info connector', () => {
  it('downloads the dispositifs once and filters them by département', async () => {
    const { client } = refugiesInfo();
    expect((await client.dispositifsDuDepartement('44')).map((d) => d._id)).toEqual(['65a000000000000000000001', '65a000000000000000000002']);
    expect((await client.dispositifsDuDepartement('85')).map((d) => d._id)).toEqual(['65a000000000000000000002']);
    expect(await client.dispositifsDuDepartement('13')).toEqual([]);
    expect(refugiesInfoFake.requestsTo('dispositifs').map((request) => request.query.toString())).toEqual(['locale=fr&type=dispositif']);
  });

  it('honours a 429 Retry-After, retries a 5xx then gives up, and times out', async () => {
    const { client, clock } = refugiesInfo({ cacheTtlMs: 0 });
    refugiesInfoFake.failNext('dispositifs', { kind: 'rate-limit', retryAfter: 1 });
    expect(await client.dispositifs()).toHaveLength(5);
    expect(clock.sleeps).toEqual([1_000]);
    expect(refugiesInfoFake.calls('dispositifs')).toBe(2);

    refugiesInfoFake.failAlways('dispositifs', { kind: 'status', status: 500 });
    await expect(client.dispositifs()).rejects.toMatchObject({ reason: 'server', message: '« Réfugiés.info » est indisponible : erreur du serveur (HTTP 500).' });
    expect(refugiesInfoFake.calls('dispositifs')).toBe(2 + 3);

    const { client: impatient } = refugiesInfo({ http: { ...HTTP, timeoutMs: 50, retries: 0 } });
    refugiesInfoFake.failAlways('dispositifs', { kind: 'slow', ms: 1_000 });
    await expect(impatient.dispositifs()).rejects.toMatchObject({ reason: 'timeout' });
  });

  it('rejects an answer that is not the documented envelope, and a refusal', async () => {
    const { client } = refugiesInfo();
    refugiesInfoFake.failNext('dispositifs', { kind: 'malformed-shape' });
    await expect(client.dispositifs()).rejects.toBeInstanceOf(RemoteMalformed);
    refugiesInfoFake.failNext('dispositifs', { kind: 'status', status: 200, json: { text: 'error', data: [] } });
    await expect(client.dispositifs()).rejects.toThrow('« Réfugiés.info » a renvoyé une réponse inattendue, ignorée : text : ');
    refugiesInfoFake.failNext('dispositifs', { kind: 'status', status: 422, json: { message: 'Validation Failed', data: { locale: {} } } });
    await expect(client.dispositifs()).rejects.toThrow(new RemoteRejected('Réfugiés.info', 422, { message: 'Validation Failed' }).message);
    expect(refugiesInfoFake.calls('dispositifs')).toBe(3);
  });

  it('opens the circuit, fails fast, then half-opens', async () => {
    const { client } = refugiesInfo({ cacheTtlMs: 0, http: { ...HTTP, retries: 0, breakerThreshold: 2, halfOpenAfterMs: 60 } });
    refugiesInfoFake.failAlways('dispositifs', { kind: 'status', status: 503 });
    await expect(client.dispositifs()).rejects.toMatchObject({ reason: 'server' });
    await expect(client.dispositifs()).rejects.toMatchObject({ reason: 'server' });
    await expect(client.dispositifs()).rejects.toMatchObject({ reason: 'circuit-open' });
    expect(refugiesInfoFake.calls('dispositifs')).toBe(2);
    refugiesInfoFake.failAlways('dispositifs', null);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(await client.dispositifs()).toHaveLength(5);
    expect(refugiesInfoFake.calls('dispositifs')).toBe(3);
  });

  it('reuses the national list for the brief cache TTL', async () => {
    const { client, clock } = refugiesInfo({ cacheTtlMs: 60_000 });
    await client.dispositifsDuDepartement('44');
    clock.advance(59_999);
    await client.dispositifsDuDepartement('85');
    expect(refugiesInfoFake.calls('dispositifs')).toBe(1);
    clock.advance(1);
    await client.dispositifsDuDepartement('85');
    expect(refugiesInfoFake.calls('dispositifs')).toBe(2);
  });
});

describe('synchroniserOffreLocale', () => {
  const database = `agir_offre${randomBytes(4).toString('hex')}`;
  const password = 'offre-locale-test';
  let owner: DataSource;
  let app: DataSource;
  let store: OffreLocaleStore;

  beforeAll(async () => {
    await provisionDatabase(adminUrl(), { database, role: database, password });
    const logger = createLogger('offre-locale-test', 'silent');
    owner = createDataSource({ url: withDatabase(adminUrl(), database, { user: ownerRole(database), password }), entities: [], migrations: [CatalogueOffreLocale1700000009000], logger }).dataSource;
    await owner.initialize();
    await owner.runMigrations();
    app = createDataSource({ url: withDatabase(adminUrl(), database, { user: database, password }), entities: [], migrations: [], logger }).dataSource;
    await app.initialize();
    store = new OffreLocaleStore(app);
  });
  afterAll(async () => {
    await app?.destroy();
    await owner?.destroy();
    await dropDatabase(adminUrl(), { database, role: database });
  });
  beforeEach(async () => {
    await owner.query('TRUNCATE offre_locale, synchronisation_offre_locale');
  });

  function sources() {
    return {
      dataInclusion: dataInclusion({ cacheTtlMs: 0, http: { ...HTTP, retries: 1 } }).client,
      refugiesInfo: refugiesInfo({ cacheTtlMs: 0, http: { ...HTTP, retries: 1 } }).client,
    };
  }
  const catalogue = () => owner.query('SELECT * FROM offre_locale ORDER BY source, source_id');
  const resume = (rapport: { statut: string; ajoutes: number; mis_a_jour: number; supprimes: number; echecs: number; sources: unknown }) => ({
    statut: rapport.statut,
    ajoutes: rapport.ajoutes,
    mis_a_jour: rapport.mis_a_jour,
    supprimes: rapport.supprimes,
    echecs: rapport.echecs,
    sources: rapport.sources,
  });

  it('copies both sources into the catalogue, with provenance, and stores the run report', async () => {
    const rapport = await synchroniserOffreLocale('44', store, sources());
    expect(resume(rapport)).toEqual({
      statut: 'REUSSIE',
      ajoutes: 9,
      mis_a_jour: 0,
      supprimes: 0,
      echecs: 0,
      sources: { DATA_INCLUSION: { statut: 'OK', recus: 7, raison: null }, REFUGIES_INFO: { statut: 'OK', recus: 2, raison: null } },
    });
    expect((await store.rapports('44')).map(resume)).toEqual([resume(rapport)]);

    const offres = await store.lister('44');
    expect(offres.map((o) => [o.source, o.sourceId, o.nom, o.commune, o.structure, o.lienSource, o.dateMaj, o.thematiques])).toEqual([
      ['DATA_INCLUSION', 'dora--svc1', 'Atelier FLE', '44109', 'Association Accueil Nantes', 'https://dora.inclusion.beta.gouv.fr/services/dora--svc1', '2026-01-15', ['lecture-ecriture-calcul--maitriser-le-francais']],
      ['DATA_INCLUSION', 'dora--svc2', 'Aide à la recherche de logement', '44109', 'Association Accueil Nantes', 'https://dora.inclusion.beta.gouv.fr/services/dora--svc2', '2026-01-15', ['logement-hebergement--louer-un-logement', 'logement-hebergement--sinformer-sur-les-demarches-liees-a-lacces-au-logement']],
      ['DATA_INCLUSION', 'dora--svc3', "Accompagnement vers l'emploi", '44184', 'CADA de Saint-Nazaire', 'https://dora.inclusion.beta.gouv.fr/services/dora--svc3', '2026-01-15', ['trouver-un-emploi--repondre-a-des-offres-demploi']],
      ['DATA_INCLUSION', 'dora--svc4', 'Accès aux droits', '44184', 'CADA de Saint-Nazaire', 'https://dora.inclusion.beta.gouv.fr/structures/dora--s2', '2026-01-15', ['difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits']],
      ['DATA_INCLUSION', 'dora--svc6', 'Cours de français du soir', null, 'Association Accueil Nantes', 'https://dora.inclusion.beta.gouv.fr/services/dora--svc6', '2026-01-15', ['lecture-ecriture-calcul--maitriser-le-francais']],
      ['DATA_INCLUSION', 'dora--svc7', 'Atelier numérique', '44184', 'CADA de Saint-Nazaire', 'https://dora.inclusion.beta.gouv.fr/services/dora--svc7', '2026-01-15', ['numerique--maitriser-les-fondamentaux-du-numerique']],
      ['DATA_INCLUSION', 'soliguide--svc5', 'Permanence santé', null, 'Maison des solidarités', null, '2026-02-01', ['sante--acces-aux-soins']],
      ['REFUGIES_INFO', '65a000000000000000000001', 'Apprendre le français à Nantes (Français pour tous)', null, 'Ville de Nantes', 'https://refugies.info/fr/dispositif/65a000000000000000000001', '2025-12-01', ['6319f6b363ab2bbb162d7df5']],
      ['REFUGIES_INFO', '65a000000000000000000002', 'Trouver un logement en Pays de la Loire', null, 'Association partenaire', 'https://refugies.info/fr/dispositif/65a000000000000000000002', '2025-12-01', ['6319f6b363ab2bbb162d7e01', '6319f6b363ab2bbb162d7e02']],
    ]);
    expect(offres[0]).toMatchObject({ sourceOrigine: 'dora', departements: ['44'], description: 'Atelier FLE : description.', supprimeLe: null });
    const [row] = await owner.query(`SELECT premiere_synchronisation_id, derniere_synchronisation_id FROM offre_locale WHERE source_id = 'dora--svc1'`);
    expect(row).toEqual({ premiere_synchronisation_id: rapport.id, derniere_synchronisation_id: rapport.id });
  });

  it('counts changes, marks removed entries supprime_le, and brings back an entry that reappears', async () => {
    await synchroniserOffreLocale('44', store, sources());
    const unchanged = await synchroniserOffreLocale('44', store, sources());
    expect(resume(unchanged)).toMatchObject({ statut: 'REUSSIE', ajoutes: 0, mis_a_jour: 0, supprimes: 0 });

    dataInclusionFake.services = dataInclusionFake.services.map((s) => (s.id === 'dora--svc1' ? { ...s, nom: 'Atelier FLE (niveau A1)' } : s)).filter((s) => s.id !== 'dora--svc7');
    refugiesInfoFake.dispositifs = refugiesInfoFake.dispositifs.filter((d) => d._id !== '65a000000000000000000002');
    const changed = await synchroniserOffreLocale('44', store, sources());
    expect(resume(changed)).toMatchObject({ statut: 'REUSSIE', ajoutes: 0, mis_a_jour: 1, supprimes: 2 });
    expect((await store.lister('44')).map((o) => o.sourceId)).toEqual(['dora--svc1', 'dora--svc2', 'dora--svc3', 'dora--svc4', 'dora--svc6', 'soliguide--svc5', '65a000000000000000000001']);
    const supprimees = (await store.lister('44', { avecSupprimees: true })).filter((o) => o.supprimeLe !== null);
    expect(supprimees.map((o) => o.sourceId)).toEqual(['dora--svc7', '65a000000000000000000002']);
    expect((await store.lister('44')).find((o) => o.sourceId === 'dora--svc1')!.nom).toBe('Atelier FLE (niveau A1)');

    // A removed entry stays removed on the next run, and is not counted again.
    expect(resume(await synchroniserOffreLocale('44', store, sources()))).toMatchObject({ ajoutes: 0, mis_a_jour: 0, supprimes: 0 });
    dataInclusionFake.reset();
    const back = await synchroniserOffreLocale('44', store, sources());
    expect(resume(back)).toMatchObject({ ajoutes: 1, mis_a_jour: 1, supprimes: 0 });
    expect((await store.lister('44')).filter((o) => o.source === 'DATA_INCLUSION')).toHaveLength(7);
    expect((await store.rapports('44')).map((r) => [r.ajoutes, r.mis_a_jour, r.supprimes])).toEqual([
      [1, 1, 0],
      [0, 0, 0],
      [0, 1, 2],
      [0, 0, 0],
      [9, 0, 0],
    ]);
  });

  it('leaves the catalogue exactly as it was when a page is malformed, and says why', async () => {
    await synchroniserOffreLocale('44', store, sources());
    const before = await catalogue();
    dataInclusionFake.services = dataInclusionFake.services.filter((s) => s.id !== 'dora--svc1');
    dataInclusionFake.failNext('services', { kind: 'status', status: 200, json: { items: [{ id: 'dora--svcX', nom: 'sans structure' }], total: 7, page: 2, size: 3, pages: 3 } });

    const rapport = await synchroniserOffreLocale('44', store, sources());
    expect(resume(rapport)).toEqual({
      statut: 'ECHOUEE',
      ajoutes: 0,
      mis_a_jour: 0,
      supprimes: 0,
      echecs: 1,
      sources: {
        DATA_INCLUSION: { statut: 'ECHEC', recus: 0, raison: expect.stringMatching(/^« data·inclusion » a renvoyé une réponse inattendue, ignorée : items\.0\.structure_id : /) },
        REFUGIES_INFO: { statut: 'OK', recus: 2, raison: null },
      },
    });
    expect(await catalogue()).toEqual(before);
    expect((await store.rapports('44')).map((r) => r.statut)).toEqual(['ECHOUEE', 'REUSSIE']);
  });

  it('degrades to an explained report when a source is down, and the stored catalogue still answers', async () => {
    await synchroniserOffreLocale('44', store, sources());
    const before = await catalogue();
    refugiesInfoFake.failAlways('dispositifs', { kind: 'status', status: 503 });
    dataInclusionFake.services = [];

    const rapport = await synchroniserOffreLocale('44', store, sources());
    expect(resume(rapport)).toEqual({
      statut: 'ECHOUEE',
      ajoutes: 0,
      mis_a_jour: 0,
      supprimes: 0,
      echecs: 1,
      sources: {
        DATA_INCLUSION: { statut: 'OK', recus: 0, raison: null },
        REFUGIES_INFO: { statut: 'ECHEC', recus: 0, raison: '« Réfugiés.info » est indisponible : erreur du serveur (HTTP 503).' },
      },
    });
    expect(refugiesInfoFake.calls('dispositifs')).toBe(1 + 2);
    expect(await catalogue()).toEqual(before);
    expect(await store.lister('44')).toHaveLength(9);

    dataInclusionFake.failAlways('services', { kind: 'rate-limit', retryAfter: 3_600 });
    expect(resume(await synchroniserOffreLocale('44', store, sources()))).toMatchObject({ statut: 'ECHOUEE', echecs: 2 });
    expect(await catalogue()).toEqual(before);
  });

  it('keeps each département\'s catalogue apart, an entry of two départements in both, and (source, source_id) unique', async () => {
    await synchroniserOffreLocale('44', store, sources());
    const vendee = await synchroniserOffreLocale('85', store, sources());
    expect(resume(vendee)).toMatchObject({ ajoutes: 2, mis_a_jour: 0, supprimes: 0, sources: { DATA_INCLUSION: { recus: 1 }, REFUGIES_INFO: { recus: 1 } } });
    expect((await store.lister('85')).map((o) => [o.sourceId, o.departements])).toEqual([
      ['dora--svc9', ['85']],
      ['65a000000000000000000002', ['44', '85']],
    ]);
    expect((await store.lister('44')).map((o) => o.sourceId)).toContain('65a000000000000000000002');
    // Re-reading 44 changes nothing: the shared dispositif does not move back and forth.
    expect(resume(await synchroniserOffreLocale('44', store, sources()))).toMatchObject({ ajoutes: 0, mis_a_jour: 0, supprimes: 0 });

    // Gone from Vendée only: it leaves 85's catalogue and stays in 44's, not deleted.
    refugiesInfoFake.dispositifs = refugiesInfoFake.dispositifs.map((d) => (d._id === '65a000000000000000000002' ? { ...d, metadatas: { ...d.metadatas, location: ['44 - Loire-Atlantique'] } } : d));
    expect(resume(await synchroniserOffreLocale('85', store, sources()))).toMatchObject({ ajoutes: 0, mis_a_jour: 0, supprimes: 1 });
    expect((await store.lister('85')).map((o) => o.sourceId)).toEqual(['dora--svc9']);
    expect((await store.lister('44')).find((o) => o.sourceId === '65a000000000000000000002')).toMatchObject({ departements: ['44'], supprimeLe: null });

    await expect(
      owner.query(
        `INSERT INTO offre_locale (source, source_id, departements, nom, empreinte, premiere_synchronisation_id, derniere_synchronisation_id)
         VALUES ('DATA_INCLUSION', 'dora--svc1', '{44}', 'doublon', 'x', $1, $1)`,
        [vendee.id],
      ),
    ).rejects.toMatchObject({ driverError: expect.objectContaining({ code: '23505', constraint: 'offre_locale_source_unique' }) });
    await expect(synchroniserOffreLocale('Loire', store, sources())).rejects.toThrow('Département invalide « Loire »');
  });

  it('runs by hand from the environment: one JSON report per département, exit code 0, 1 or 2', async () => {
    const output: string[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      output.push(String(chunk));
      return true;
    });
    const errors = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const env = {
        DATABASE_URL: withDatabase(adminUrl(), database, { user: database, password }),
        DATA_INCLUSION_API_URL: dataInclusionFake.apiUrl,
        DATA_INCLUSION_TOKEN: FAKE_DATA_INCLUSION_TOKEN,
        REFUGIES_INFO_API_URL: refugiesInfoFake.url,
        OFFRE_LOCALE_DEPARTEMENTS: '44,85',
      };
      expect(await synchroniserAMain([], env)).toBe(0);
      expect(output.map((line) => JSON.parse(line)).map((r: { departement: string; statut: string; ajoutes: number }) => [r.departement, r.statut, r.ajoutes])).toEqual([
        ['44', 'REUSSIE', 9],
        ['85', 'REUSSIE', 2],
      ]);
      // One download of the national Réfugiés.info list for both départements.
      expect(refugiesInfoFake.calls('dispositifs')).toBe(1);

      // A refused token fails the run at once (no retry): exit 1, catalogue unchanged.
      expect(await synchroniserAMain(['44'], { ...env, DATA_INCLUSION_TOKEN: 'jeton-revoque' })).toBe(1);
      expect((await store.rapports('44'))[0]).toMatchObject({ statut: 'ECHOUEE', echecs: 1 });
      expect(await synchroniserAMain(['44'], { ...env, DATA_INCLUSION_TOKEN: undefined })).toBe(2);
      expect(errors).toHaveBeenLastCalledWith('Configuration invalide pour offre locale :\n  - DATA_INCLUSION_TOKEN: requis pour synchroniser (variable absente)\n');
    } finally {
      write.mockRestore();
      errors.mockRestore();
    }
    expect(() => offreLocaleConfig({ OFFRE_LOCALE_DEPARTEMENTS: '44,Vendée', DATA_INCLUSION_PAGE_SIZE: '20000' })).toThrow(
      /DATA_INCLUSION_PAGE_SIZE: au plus 10000.*\n.*OFFRE_LOCALE_DEPARTEMENTS: doit être une liste séparée par des virgules, ex\. 44,85/s,
    );
  });
});
