import { loadDemoData, VIGNETTES } from '../scripts/demo';
import { startTestHub, type GraphQLResult, type TestHub } from './support/hub';

/**
 * The three vignettes of seed 002, loaded with their real 2023 dates as the demo data holds them
 * on the day of the webinar (12 October 2023, all three under contract), judged through the
 * gateway on other days: the exit criteria of a day read the domains' facts of that day, and
 * Madame B.'s exit is recorded on a 2024 date.
 */

const { monsieurJ: J, madameB: B, monsieurA: A } = VIGNETTES;

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub({ seed: (dbs) => loadDemoData(dbs, { parcours: 3, today: '2023-10-12' }).then(() => undefined) });
});
afterAll(async () => {
  await hub?.stop();
});

const CRITERES = `query($id: ID!, $d: Date) { parcours(id: $id) { criteresSortie(date: $d) { rempli criteres { critere statut source } } } }`;

async function criteres(id: string, date: string | null) {
  const r = await hub.query<{ parcours: { criteresSortie: { rempli: boolean; criteres: { critere: string; statut: string }[] } } }>(CRITERES, { id, d: date });
  expect(r.errors).toBeUndefined();
  const c = r.data!.parcours.criteresSortie;
  return { rempli: c.rempli, ...Object.fromEntries(c.criteres.map((x) => [x.critere, x.statut])) };
}

const erreurs = (r: GraphQLResult<unknown>) => (r.errors ?? []).map((e) => ({ code: e.extensions?.code, field: e.extensions?.field, garde: e.extensions?.garde }));

describe('the exit criteria judged on a day', () => {
  it('Madame B.: CADA and a short contract in June 2023, résidence sociale and the GEIQ contract in April 2024', async () => {
    expect(await criteres(B.parcoursId, '2023-06-15')).toEqual({ rempli: false, LOGEMENT: 'NON_REMPLI', SITUATION_PROFESSIONNELLE: 'NON_REMPLI' });
    expect(await criteres(B.parcoursId, '2023-08-01')).toEqual({ rempli: false, LOGEMENT: 'REMPLI', SITUATION_PROFESSIONNELLE: 'NON_REMPLI' });
    expect(await criteres(B.parcoursId, '2024-04-15')).toEqual({ rempli: true, LOGEMENT: 'REMPLI', SITUATION_PROFESSIONNELLE: 'REMPLI' });
  });

  it('Monsieur J.: CADA in April 2023; an IML flat but an eight-month service civique in December 2023', async () => {
    expect(await criteres(J.parcoursId, '2023-04-15')).toEqual({ rempli: false, LOGEMENT: 'NON_REMPLI', SITUATION_PROFESSIONNELLE: 'NON_REMPLI' });
    expect(await criteres(J.parcoursId, '2023-12-01')).toEqual({ rempli: false, LOGEMENT: 'REMPLI', SITUATION_PROFESSIONNELLE: 'NON_REMPLI' });
  });

  it('Monsieur A.: no stabilised situation on either day', async () => {
    expect(await criteres(A.parcoursId, '2023-03-15')).toMatchObject({ rempli: false });
    expect(await criteres(A.parcoursId, '2024-04-15')).toMatchObject({ rempli: false });
  });

  it('a day before the orientation or after today is refused, naming the field', async () => {
    for (const d of ['2022-12-31', '2999-01-01']) {
      const r = await hub.query(CRITERES, { id: B.parcoursId, d });
      expect(erreurs(r)).toEqual([{ code: 'BAD_USER_INPUT', field: 'date', garde: undefined }]);
      expect(r.errors![0]!.message).toMatch(/choisissez un jour/);
    }
  });
});

describe('sortir on a past day', () => {
  const SORTIR = `mutation($id: ID!, $s: SortieInput!) { sortir(parcoursId: $id, sortie: $s) { statut dateSortie motifFin } }`;
  const ETAT = `query($id: ID!) { parcours(id: $id) { statut dateSortie historique { action } } }`;

  it('refuses Monsieur J.’s exit in December 2023 and writes nothing', async () => {
    const avant = await hub.query(ETAT, { id: J.parcoursId });
    const r = await hub.query(SORTIR, { id: J.parcoursId, s: { date: '2023-12-01', motif: 'Service civique' } });
    expect(erreurs(r)).toEqual([{ code: 'TRANSITION_INVALIDE', field: undefined, garde: 'CRITERES_SORTIE' }]);
    expect(await hub.query(ETAT, { id: J.parcoursId })).toEqual(avant);
  });

  it('refuses Madame B.’s exit in June 2023, when her facts did not meet the criteria, and writes nothing', async () => {
    const avant = await hub.query(ETAT, { id: B.parcoursId });
    const r = await hub.query(SORTIR, { id: B.parcoursId, s: { date: '2023-06-15', motif: 'Trop tôt' } });
    expect(erreurs(r)).toEqual([{ code: 'TRANSITION_INVALIDE', field: undefined, garde: 'CRITERES_SORTIE' }]);
    expect(await hub.query(ETAT, { id: B.parcoursId })).toEqual(avant);
  });

  it('records Madame B.’s exit on 15 April 2024, judged on that day’s facts', async () => {
    const r = await hub.query(SORTIR, { id: B.parcoursId, s: { date: '2024-04-15', motif: 'Résidence sociale et contrat de professionnalisation (GEIQ propreté)' } });
    expect(r.errors).toBeUndefined();
    expect(r.data).toEqual({ sortir: { statut: 'SORTI', dateSortie: '2024-04-15', motifFin: 'Résidence sociale et contrat de professionnalisation (GEIQ propreté)' } });
  });
});

describe('deadlines and alerts on a day', () => {
  it('the alert list of a day leaves out the parcours oriented after it', async () => {
    const ALERTES = `query($d: Date) { alertes(departement: "85", date: $d) { dateCalcul alertes { parcours { id } } } }`;
    const avant = await hub.query<{ alertes: { dateCalcul: string; alertes: { parcours: { id: string } }[] } }>(ALERTES, { d: '2023-02-09' });
    expect(avant.errors).toBeUndefined();
    expect(avant.data!.alertes.dateCalcul).toBe('2023-02-09');
    expect(avant.data!.alertes.alertes.map((a) => a.parcours.id)).not.toContain(A.parcoursId);
    const futur = await hub.query(ALERTES, { d: '2999-01-01' });
    expect(erreurs(futur)).toEqual([{ code: 'BAD_USER_INPUT', field: 'date', garde: undefined }]);
  });

  it('a parcours’s deadlines and alerts are refused before its orientation, naming the field', async () => {
    const r = await hub.query(`query($id: ID!) { parcours(id: $id) { echeances(date: "2023-01-01") { code } alertes(date: "2023-01-01") { code } } }`, { id: B.parcoursId });
    expect(erreurs(r)).toEqual([
      { code: 'BAD_USER_INPUT', field: 'date', garde: undefined },
      { code: 'BAD_USER_INPUT', field: 'date', garde: undefined },
    ]);
    // Monsieur J. on 1 March 2023, a month into his contract: the mid-course evaluation and the end still to come.
    const ok = await hub.query<{ parcours: { echeances: { code: string; etat: string }[] } }>(`query($id: ID!) { parcours(id: $id) { echeances(date: "2023-03-01") { code etat } } }`, { id: J.parcoursId });
    expect(ok.errors).toBeUndefined();
    expect(ok.data!.parcours.echeances).toEqual([
      { code: 'DIAGNOSTIC', etat: 'RESPECTEE' },
      { code: 'CONTRACTUALISATION', etat: 'RESPECTEE' },
      { code: 'EVALUATION_MI_PARCOURS', etat: 'A_VENIR' },
      { code: 'FIN_ACCOMPAGNEMENT', etat: 'A_VENIR' },
    ]);
  });
});

describe('a list judged on a day', () => {
  it('answers the criteria of every parcours of a list on that day', async () => {
    const r = await hub.query<{ parcoursListe: { edges: { node: { id: string; criteresSortie: { rempli: boolean } } }[] } }>(
      `{ parcoursListe(first: 50) { edges { node { id criteresSortie(date: "2024-04-15") { rempli } } } } }`,
    );
    expect(r.errors).toBeUndefined();
    const rempli = Object.fromEntries(r.data!.parcoursListe.edges.map((e) => [e.node.id, e.node.criteresSortie.rempli]));
    expect(rempli).toEqual({ [J.parcoursId]: false, [B.parcoursId]: true, [A.parcoursId]: false });
  });
});
