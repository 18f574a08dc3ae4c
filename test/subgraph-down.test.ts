import { FIXTURE, seedFixture } from './support/fixtures';
import { startTestHub, type TestHub } from './support/hub';

/** A domain subgraph that is down costs only its own fields: the rest of the parcours answers. */
describe('when the Droits & Logement subgraph is down', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub({ seed: seedFixture });
    await hub.stopSubgraph('droits-logement');
  });
  afterAll(async () => {
    await hub?.stop();
  });

  it('still returns identity and the Emploi & Formation fields, with an error naming the missing domain', async () => {
    const result = await hub.query(`query {
      parcours(id: "${FIXTURE.amina.parcours}") {
        id statut beneficiaire { prenom }
        situationLogement { categorie }
        demarchesDroits { type }
        situationProfessionnelle { categorie }
        langue { niveauCecrl }
      }
    }`);
    expect(result.data).toEqual({
      parcours: {
        id: FIXTURE.amina.parcours,
        statut: 'CONTRACTUALISE',
        beneficiaire: { prenom: 'Amina' },
        situationLogement: null,
        demarchesDroits: null,
        situationProfessionnelle: { categorie: 'EMPLOI_DURABLE' },
        langue: { niveauCecrl: 'A2' },
      },
    });
    expect(result.errors).toEqual([
      expect.objectContaining({
        message: expect.stringContaining('Droits & Logement est indisponible'),
        extensions: expect.objectContaining({ code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'droits-logement', domaine: 'Droits & Logement' }),
      }),
    ]);
  });

  it('keeps the list answering too', async () => {
    const result = await hub.query<{ parcoursListe: { totalCount: number; edges: { node: { situationLogement: unknown; langue: unknown } }[] } }>(
      'query { parcoursListe(first: 10) { totalCount edges { node { id situationLogement { categorie } langue { niveauCecrl } } } } }',
    );
    expect(result.data?.parcoursListe.totalCount).toBe(3);
    expect(result.data?.parcoursListe.edges.map((e) => e.node.situationLogement)).toEqual([null, null, null]);
    expect(result.data?.parcoursListe.edges.map((e) => e.node.langue)).toEqual([null, null, { niveauCecrl: 'A2' }]);
    expect(result.errors?.map((e) => e.extensions?.code)).toEqual(['SUBGRAPH_UNAVAILABLE']);
  });
});
