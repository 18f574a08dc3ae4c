import { randomUUID } from 'node:crypto';
import { OffreLocaleStore, type EntreeOffreLocale } from '../subgraphs/coordination/src/connectors/offre-locale-store';
import { COORDINATOR, startTestHub, type TestHub } from './support/hub';

const entree = (over: Partial<EntreeOffreLocale>): EntreeOffreLocale => ({
  source: 'DATA_INCLUSION', sourceId: 'dora--svc', sourceOrigine: 'dora', departement: '44', nom: 'Service', description: null,
  thematiques: [], commune: null, structure: null, lienSource: null, dateMaj: '2025-02-14', ...over,
});

/** Referents find the local services of the catalogue by theme and commune, through the gateway. */
describe('offreLocale', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub({
      async seed(dbs) {
        const now = new Date();
        await new OffreLocaleStore(dbs.coordination).appliquer(
          { id: randomUUID(), departement: '44', statut: 'REUSSIE', debut: now, fin: now, echecs: 0,
            sources: { DATA_INCLUSION: { statut: 'OK', recus: 3, raison: null }, REFUGIES_INFO: { statut: 'OK', recus: 0, raison: null } } },
          [
            entree({ sourceId: 'dora--fle', nom: 'Atelier FLE', thematiques: ['lecture-ecriture-calcul--maitriser-le-francais'], commune: '44109' }),
            entree({ sourceId: 'dora--log', nom: 'Accès au logement', thematiques: ['logement-hebergement--louer-un-logement'], commune: '44109' }),
            entree({ sourceId: 'dora--log-rz', nom: 'Logement Rezé', thematiques: ['logement-hebergement--louer-un-logement'], commune: '44143' }),
          ],
        );
      },
    });
  });
  afterAll(async () => {
    await hub?.stop();
  });

  const Q = 'query($d: String!, $t: String, $c: String) { offreLocale(departement: $d, thematique: $t, commune: $c) { sourceId nom communeInsee } }';

  it('filters by theme (category or sub-theme) and commune', async () => {
    const referent = await hub.token({ ...COORDINATOR, roles: ['REFERENT_DROITS_LOGEMENT'], departements: ['44'], referent: randomUUID() });
    const logement = await hub.query(Q, { d: '44', t: 'logement-hebergement', c: '44109' }, { token: referent });
    expect(logement).toEqual({ data: { offreLocale: [{ sourceId: 'dora--log', nom: 'Accès au logement', communeInsee: '44109' }] } });
    const tout = await hub.query<{ offreLocale: unknown[] }>(Q, { d: '44' }, { token: referent });
    expect(tout.data?.offreLocale).toHaveLength(3);
    expect((await hub.query(Q, { d: '85' })).data).toEqual({ offreLocale: [] });
  });

  it('refuses a bad commune, another département and a role without use for it', async () => {
    expect((await hub.query(Q, { d: '44', c: 'Nantes' })).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'commune' });
    const coord85 = await hub.token({ ...COORDINATOR, departements: ['85'] });
    expect((await hub.query(Q, { d: '44' }, { token: coord85 })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const prescripteur = await hub.token({ ...COORDINATOR, roles: ['PRESCRIPTEUR'] });
    expect((await hub.query(Q, { d: '44' }, { token: prescripteur })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
