import { loadDemoData } from '../scripts/demo';
import { IncidentLogement, MesureLogement, PropositionLogement } from '../subgraphs/droits-logement/src/entities';
import { startTestHub, type TestHub } from './support/hub';

/**
 * Issue #4, Done-when (3): the Droits & Logement fields of issue #4 keep a list query's SQL count
 * independent of the page size: every per-parcours field goes through a per-request DataLoader.
 */
const PAGE = `
  query Page($first: Int, $filtre: ParcoursFiltre) {
    parcoursListe(first: $first, filtre: $filtre) {
      edges { node {
        id
        situationLogement { type commune { nom } }
        historiqueLogement { categorie dateDebut dateFin }
        demarchesDroits { type statut blocage { motif depuis } dernierChangement }
        logementPourSortie { categorie type durable temporaireAccepte depuis }
        refusPropositionsLogement
        evenementsDroitsLogement { date domaine type libelle }
        demandeLogementSocial { numeroUnique communesSouhaitees { nom } echeanceRenouvellement }
        propositionsLogement { date typologie commune { nom } reponse }
        installationLogement { dateEntree mesures { type } incidents { type } }
      } }
    }
  }`;

describe('no N+1 in the Droits & Logement fields, through the gateway', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub({
      seed: async (dbs) => {
        await loadDemoData(dbs, { parcours: 200, today: '2025-09-30' });
        // Give every followed parcours at least one refused offer, one measure and one incident (the demo has some, not for everyone).
        const dl = dbs['droits-logement'];
        const dossiers = (await dl.query('SELECT parcours_id AS id FROM dossier')) as { id: string }[];
        await dl.getRepository(PropositionLogement).insert(
          dossiers.map(({ id }) => ({
            parcoursId: id, date: '2025-06-02', bailleur: 'Habitat 44', typologie: 'T2' as const, communeInsee: '44109', communeNom: 'Nantes',
            reponse: 'REFUSEE' as const, dateReponse: '2025-06-09', motifRefus: 'Trop éloigné',
          })),
        );
        await dl.getRepository(MesureLogement).insert(dossiers.map(({ id }) => ({ parcoursId: id, type: 'AVDL' as const, dateDebut: '2025-06-15', dateFin: null })));
        await dl.getRepository(IncidentLogement).insert(dossiers.map(({ id }) => ({ parcoursId: id, type: 'IMPAYE_LOYER' as const, date: '2025-08-01', dateResolution: null })));
      },
    });
  });
  afterAll(async () => {
    await hub?.stop();
  });

  it('runs as many statements per subgraph for 60 parcours as for 10', async () => {
    const run = (first: number) =>
      hub.countSql(async () => {
        const filtre = { statut: ['CONTRACTUALISE', 'SORTI', 'SUIVI_3_MOIS', 'SUIVI_6_MOIS', 'CLOS', 'EXCLU', 'FIN_DE_DROITS'] };
        const result = await hub.query<{ parcoursListe: { edges: { node: { refusPropositionsLogement: number; evenementsDroitsLogement: unknown[] } }[] } }>(PAGE, { first, filtre });
        expect(result.errors).toBeUndefined();
        const edges = result.data?.parcoursListe.edges ?? [];
        expect(edges).toHaveLength(first);
        // The fields did read data, so that the comparison is between pages that do the work.
        expect(edges.every((e) => e.node.refusPropositionsLogement >= 1 && e.node.evenementsDroitsLogement.length > 0)).toBe(true);
        return result;
      });
    const ten = await run(10);
    // 60, not 100: every field of the domain on each row costs 29,553 at 100, over the gateway's
    // cost limit (18,500), now that a page size passed as a variable counts.
    const larger = await run(60);
    expect(larger.statements).toEqual(ten.statements);
    // One statement per loader: dossier (the entity reference), situation in force, history,
    // procedures, application, offers, refusal counts, measures, incidents.
    expect(ten.statements['droits-logement']).toBeLessThanOrEqual(9);
  });
});
