import { randomUUID } from 'node:crypto';
import { DemarcheDroit, Dossier, SituationLogement, type DemarcheDroitRow, type SituationLogementRow } from '../subgraphs/droits-logement/src/entities';
import { erreurs } from './support/droits-logement-fixture';
import { startTestHub, type TestHub } from './support/hub';

/**
 * The Droits & Logement indicators of a département and a period, computed in SQL by the subgraph,
 * on a small population whose every count is known (period 2025-01-01 to 2025-06-30, in 44).
 */
const P = { a: randomUUID(), b: randomUUID(), c: randomUUID(), d: randomUUID(), e: randomUUID(), f: randomUUID() };
const STRUCTURE = randomUUID();

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub({
    seed: async (dbs) => {
      const dl = dbs['droits-logement'];
      await dl.getRepository(Dossier).insert([
        { parcoursId: P.a, departement: '44', ouvertLe: '2025-02-01' }, // entered in the period, from a CADA, reaches a résidence sociale
        { parcoursId: P.b, departement: '44', ouvertLe: '2025-03-01' }, // entered in the period, still in the street
        { parcoursId: P.c, departement: '44', ouvertLe: '2024-11-01' }, // entered before, already in their own home
        { parcoursId: P.d, departement: '44', ouvertLe: '2024-10-01' }, // entered before, reached a FJT before the period
        { parcoursId: P.e, departement: '44', ouvertLe: '2025-08-01' }, // entered after the period
        { parcoursId: P.f, departement: '85', ouvertLe: '2025-02-01' }, // another département
      ]);
      const s = (parcoursId: string, type: SituationLogementRow['type'], categorie: SituationLogementRow['categorie'], dateDebut: string, dateFin: string | null = null) => ({
        parcoursId, type, categorie, dateDebut, dateFin, communeInsee: null, communeNom: null,
      });
      await dl.getRepository(SituationLogement).insert([
        s(P.a, 'CADA', 'DNA', '2025-01-15', '2025-04-01'),
        s(P.a, 'RESIDENCE_SOCIALE', 'LOGEMENT_ACCOMPAGNE_ADAPTE', '2025-04-01'),
        s(P.b, 'SANS_ABRI', 'SANS_ABRI_HEBERGEMENT_PRECAIRE', '2025-03-01'),
        s(P.c, 'PARC_PRIVE', 'LOGEMENT_AUTONOME', '2024-11-01'),
        s(P.d, 'HOTEL', 'HEBERGEMENT_TEMPORAIRE', '2024-10-01', '2024-12-01'),
        s(P.d, 'FJT', 'LOGEMENT_ACCOMPAGNE_ADAPTE', '2024-12-01'),
        s(P.e, 'CADA', 'DNA', '2025-08-01'),
        s(P.f, 'CADA', 'DNA', '2025-02-01'),
      ]);
      const d = (parcoursId: string, type: string, statut: DemarcheDroitRow['statut'], dateDebut: string | null, dateFin: string | null, blocage: Partial<DemarcheDroitRow> = {}) => ({
        parcoursId, type, statut, dateDebut, dateFin, organisme: null, ...blocage,
      });
      await dl.getRepository(DemarcheDroit).insert([
        d(P.a, 'CAF_PRESTATIONS_FAMILIALES', 'OBTENU', '2025-02-03', '2025-03-05'), // 30 days
        d(P.b, 'CAF_PRESTATIONS_FAMILIALES', 'OBTENU', '2025-03-01', '2025-03-11'), // 10 days
        d(P.b, 'RSA', 'OBTENU', '2025-03-01', '2025-05-20'), // 80 days
        d(P.c, 'CAF_PRESTATIONS_FAMILIALES', 'OBTENU', '2024-11-01', '2024-12-01'), // obtained before the period
        d(P.a, 'TITRE_SEJOUR', 'BLOQUE', '2025-02-10', null, { motifBlocage: 'DELAI_ORGANISME', bloqueeDepuis: '2025-05-01' }),
        d(P.b, 'COMPTE_BANCAIRE', 'BLOQUE', '2025-03-05', null, { motifBlocage: 'PIECE_MANQUANTE', bloqueeDepuis: '2025-07-10' }), // blocked after the period
        d(P.b, 'ASSURANCE_MALADIE', 'A_ENGAGER', null, null),
        d(P.d, 'DOMICILIATION', 'BLOQUE', '2024-12-01', null), // blocked before motifs were recorded
        d(P.f, 'CAF_PRESTATIONS_FAMILIALES', 'OBTENU', '2025-02-03', '2025-02-04'),
      ]);
    },
  });
});
afterAll(async () => {
  await hub?.stop();
});

const INDICATEURS = `
  query ($departement: String!, $du: Date!, $au: Date!) {
    indicateursDroitsLogement(departement: $departement, du: $du, au: $au) {
      departement du au
      situationsEntree { categorie nombre }
      accesLogement { numerateur denominateur taux }
      demarches { type statut nombre }
      delaiOuvertureCaf { jours nombre }
      demarchesBloquees { type motif nombre }
    }
  }`;
const periode = { departement: '44', du: '2025-01-01', au: '2025-06-30' };

describe('the Droits & Logement indicators of a département', () => {
  it('computes each indicator over the period', async () => {
    // A coordinator reads every count; an analyst would read counts below 5 masked (test/indicateurs.test.ts).
    const coordination = await hub.token({ sub: 'coord', structure: STRUCTURE, roles: ['COORDINATION'], departements: ['44'] });
    expect(await hub.query(INDICATEURS, periode, { token: coordination })).toEqual({
      data: {
        indicateursDroitsLogement: {
          departement: '44',
          du: '2025-01-01',
          au: '2025-06-30',
          situationsEntree: [
            { categorie: 'SANS_ABRI_HEBERGEMENT_PRECAIRE', nombre: 1 },
            { categorie: 'DNA', nombre: 1 },
            { categorie: 'HEBERGEMENT_TEMPORAIRE', nombre: 0 },
            { categorie: 'LOGEMENT_ACCOMPAGNE_ADAPTE', nombre: 0 },
            { categorie: 'LOGEMENT_AUTONOME', nombre: 0 },
          ],
          accesLogement: { numerateur: 1, denominateur: 2, taux: 0.5 },
          demarches: [
            { type: 'TITRE_SEJOUR', statut: 'BLOQUE', nombre: 1 },
            { type: 'CAF_PRESTATIONS_FAMILIALES', statut: 'OBTENU', nombre: 2 },
            { type: 'RSA', statut: 'OBTENU', nombre: 1 },
            { type: 'ASSURANCE_MALADIE', statut: 'A_ENGAGER', nombre: 1 },
            { type: 'COMPTE_BANCAIRE', statut: 'BLOQUE', nombre: 1 },
            { type: 'DOMICILIATION', statut: 'BLOQUE', nombre: 1 },
          ],
          delaiOuvertureCaf: { jours: 30, nombre: 3 },
          demarchesBloquees: [
            { type: 'TITRE_SEJOUR', motif: 'DELAI_ORGANISME', nombre: 1 },
            { type: 'DOMICILIATION', motif: null, nombre: 1 },
          ],
        },
      },
    });
  });

  it('answers zeros and nulls for a period with nothing', async () => {
    const coordination = await hub.token({ sub: 'coord', structure: STRUCTURE, roles: ['COORDINATION'], departements: ['44', '85'] });
    const result = await hub.query<{ indicateursDroitsLogement: Record<string, unknown> }>(INDICATEURS, { departement: '85', du: '2020-01-01', au: '2020-12-31' }, { token: coordination });
    expect(result.data?.indicateursDroitsLogement).toMatchObject({
      accesLogement: { numerateur: 0, denominateur: 0, taux: null },
      demarches: [],
      delaiOuvertureCaf: { jours: null, nombre: 0 },
      demarchesBloquees: [],
    });
  });

  it('refuses a caller outside the département or without the role, and a bad period', async () => {
    const vendee = await hub.token({ sub: 'a85', structure: STRUCTURE, roles: ['ANALYSTE'], departements: ['85'] });
    expect(erreurs(await hub.query(INDICATEURS, periode, { token: vendee }))).toEqual([{ code: 'FORBIDDEN', message: expect.stringContaining('département 44') }]);
    const prescripteur = await hub.token({ sub: 'p', structure: STRUCTURE, roles: ['PRESCRIPTEUR'], departements: ['44'] });
    expect(erreurs(await hub.query(INDICATEURS, periode, { token: prescripteur }))).toEqual([{ code: 'FORBIDDEN', message: expect.stringContaining('PRESCRIPTEUR') }]);
    const analyste = await hub.token({ sub: 'analyste', structure: STRUCTURE, roles: ['ANALYSTE'], departements: ['44'] });
    expect(erreurs(await hub.query(INDICATEURS, { ...periode, du: '2025-07-01' }, { token: analyste }))).toEqual([
      { code: 'BAD_USER_INPUT', field: 'au', message: expect.stringContaining('du ≤ au') },
    ]);
    expect(erreurs(await hub.query(INDICATEURS, { ...periode, departement: '4' }, { token: analyste }))).toEqual([
      { code: 'BAD_USER_INPUT', field: 'departement', message: expect.stringContaining('« 4 »') },
    ]);
  });
});
