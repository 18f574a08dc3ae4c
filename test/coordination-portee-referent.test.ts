import { ACCES, CALLERS, remplacerReferentDL, seedDroitsLogementAcces } from './support/droits-logement-acces';
import { DL } from './support/droits-logement-fixture';
import { startTestHub, type TestHub } from './support/hub';

/**
 * A referent's work lists (`parcoursListe`, `alertes`) hold the parcours whose binôme it sits in
 * now, and nothing about the others: not another association's parcours, not those it handed over
 * (even within the 30 days during which it may still open them one by one).
 */

let hub: TestHub;
const tous: string[] = [...DL.contractualises.map((p) => p.parcours), DL.oriente.parcours, ACCES.autreParcours.parcours];

beforeAll(async () => {
  hub = await startTestHub({ seed: seedDroitsLogementAcces });
  await remplacerReferentDL(hub.subgraphs.coordination.dataSource, ACCES.ancienRecent, 0);
  await remplacerReferentDL(hub.subgraphs.coordination.dataSource, ACCES.ancienExpire, 31);
});
afterAll(async () => {
  await hub?.stop();
});

const LISTE = `{ parcoursListe(first: 100) { totalCount edges { node { id } } } }`;
const ALERTES = `{ alertes(departement: "44") { alertes { code message parcours { id } } avertissements } }`;

interface Liste {
  parcoursListe: { totalCount: number; edges: { node: { id: string } }[] };
}
interface Alertes {
  alertes: { alertes: { code: string; message: string; parcours: { id: string } }[]; avertissements: string[] };
}

async function listes(caller: keyof typeof CALLERS) {
  const token = await hub.token(CALLERS[caller]);
  const [l, a] = await Promise.all([hub.query<Liste>(LISTE, {}, { token }), hub.query<Alertes>(ALERTES, {}, { token })]);
  expect(l.errors).toBeUndefined();
  expect(a.errors).toBeUndefined();
  return { liste: l.data!.parcoursListe, alertes: a.data!.alertes, brut: JSON.stringify([l.data, a.data]) };
}

/** Nothing in the answer names a parcours outside `siens`. */
function rienDesAutres(brut: string, siens: string[]) {
  expect(tous.filter((id) => !siens.includes(id) && brut.includes(id))).toEqual([]);
}

it('the D&L referent lists and is alerted about her current binôme only', async () => {
  const siens: string[] = [DL.contractualises[0]!, DL.contractualises[1]!, DL.contractualises[4]!, DL.contractualises[5]!, DL.oriente].map((p) => p.parcours);
  const { liste, alertes, brut } = await listes('referentDL');
  expect(liste.edges.map((e) => e.node.id).sort()).toEqual([...siens].sort());
  expect(liste.totalCount).toBe(siens.length);
  expect(alertes.alertes.length).toBeGreaterThan(0);
  expect(alertes.alertes.filter((a) => !siens.includes(a.parcours.id))).toEqual([]);
  rienDesAutres(brut, siens);
  // She may still open the parcours she handed over today, one by one.
  const direct = await hub.query(`query($id: ID!) { parcours(id: $id) { id } }`, { id: ACCES.ancienRecent }, { token: await hub.token(CALLERS.referentDL) });
  expect(direct.errors).toBeUndefined();
});

it('the other association’s D&L referent sees his one parcours', async () => {
  const { liste, alertes, brut } = await listes('referentDLAutreAssociation');
  expect(liste.edges.map((e) => e.node.id)).toEqual([ACCES.autreParcours.parcours]);
  expect(alertes.alertes.every((a) => a.parcours.id === ACCES.autreParcours.parcours)).toBe(true);
  rienDesAutres(brut, [ACCES.autreParcours.parcours]);
});

it('the E&F referent sees the parcours whose binôme she sits in, in both associations', async () => {
  const siens: string[] = [...DL.contractualises.map((p) => p.parcours), ACCES.autreParcours.parcours];
  const { liste, alertes, brut } = await listes('referentEF');
  expect(liste.edges.map((e) => e.node.id).sort()).toEqual([...siens].sort());
  expect(alertes.alertes.filter((a) => !siens.includes(a.parcours.id))).toEqual([]);
  rienDesAutres(brut, siens);
});

it('the coordination of the département still lists them all', async () => {
  const { liste } = await listes('coordination44');
  expect(liste.edges.map((e) => e.node.id).sort()).toEqual([...tous].sort());
});
