import { randomUUID } from 'node:crypto';
import { reinitialiserFranceTravail } from '../subgraphs/emploi-formation/src/offres-emploi';
import { FAKE_CLIENT_ID, FAKE_CLIENT_SECRET, FranceTravailFake } from './fakes/france-travail';
import { FIXTURE, seedFixture } from './support/fixtures';
import { COORDINATOR, startTestHub, type TestHub } from './support/hub';

/**
 * Parcours.offresEmploi through the gateway, with France Travail played by a local fake of its
 * real API: offers for the project's ROME codes, and an explained empty answer when France Travail
 * fails, the rest of the parcours answering all the same.
 */
describe('offresEmploi', () => {
  const fake = new FranceTravailFake();
  let hub: TestHub;
  const saved = { ...process.env };
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
      async seed(dbs) {
        await seedFixture(dbs);
        await dbs['emploi-formation'].query(
          `INSERT INTO projet_professionnel (parcours_id, etat, codes_rome, date_mise_a_jour) VALUES ($1, 'VALIDE', '{K2204}', '2025-03-01')`,
          [FIXTURE.amina.parcours],
        );
      },
    });
  });
  afterAll(async () => {
    await hub?.stop();
    await fake.stop();
    process.env = saved;
    reinitialiserFranceTravail();
  });

  const Q = `query($id: ID!, $c: String!) { parcours(id: $id) { statut langue { niveauCecrl } offresEmploi(commune: $c, distanceKm: 30) { total indisponible raison offres { id codeRome typeContrat } } } }`;

  it('suggests the current offers for the target jobs near a commune', async () => {
    const referent = await hub.token({ ...COORDINATOR, roles: ['REFERENT_EMPLOI_FORMATION'], departements: ['44'], referent: FIXTURE.referentEF });
    const result = await hub.query<{ parcours: { offresEmploi: { total: number; indisponible: boolean; offres: { codeRome: string }[] } } }>(Q, { id: FIXTURE.amina.parcours, c: '85191' }, { token: referent });
    expect(result.errors).toBeUndefined();
    expect(result.data?.parcours.offresEmploi).toEqual({
      total: 3,
      indisponible: false,
      raison: null,
      offres: [
        { id: 'K0000X', codeRome: 'K2204', typeContrat: 'CDI' },
        { id: 'K0001X', codeRome: 'K2204', typeContrat: 'CDI' },
        { id: 'K0002X', codeRome: 'K2204', typeContrat: 'CDI' },
      ],
    });
    const [search] = fake.requestsTo('search');
    expect(search?.query.get('codeROME')).toBe('K2204');
    expect(search?.query.get('commune')).toBe('85191');
    expect(search?.query.get('distance')).toBe('30');
  });

  it('answers an explained empty list when France Travail keeps failing, and the rest of the parcours', async () => {
    fake.failAlways('search', { kind: 'status', status: 503 });
    const result = await hub.query<{ parcours: { statut: string; langue: unknown; offresEmploi: { indisponible: boolean; raison: string; offres: unknown[] } } }>(Q, { id: FIXTURE.amina.parcours, c: '44109' });
    fake.failAlways('search', null);
    expect(result.errors).toBeUndefined();
    expect(result.data?.parcours.statut).toBe('CONTRACTUALISE');
    expect(result.data?.parcours.langue).toEqual({ niveauCecrl: 'A2' });
    expect(result.data?.parcours.offresEmploi).toMatchObject({ indisponible: true, offres: [] });
    expect(result.data?.parcours.offresEmploi.raison).toMatch(/France Travail/);
  });

  it('refuses a commune that is not an INSEE code', async () => {
    const result = await hub.query(Q, { id: FIXTURE.amina.parcours, c: 'Nantes' });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'commune' });
  });

  it('says there is nothing to look for without a target job', async () => {
    const result = await hub.query<{ parcours: { offresEmploi: { raison: string } } }>(Q.replace('statut', 'id'), { id: randomUUID(), c: '44109' });
    expect(result.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});
