import { addDays } from '@agir/common';
import { loadDemoData } from '../scripts/demo';
import { startTestHub, type TestHub } from './support/hub';

/**
 * The stale-file alert (SANS_ACTIVITE) counts every domain's activity: on the demo data of
 * Loire-Atlantique, judged on the day the data was generated for, no parcours with a Droits &
 * Logement or Emploi & Formation event in the last 60 days is flagged as without activity (at most
 * announced ahead, within the 14 days' notice); when a domain does not
 * answer, the list says its activity was not counted.
 */

const JOUR = '2025-09-30';
const ALERTES = `query($d: Date) { alertes(departement: "44", date: $d) { alertes { code niveau dateEcheance parcours { id } } exclusionEvaluee activiteDomainesEvaluee avertissements } }`;
const PAGE = `query($after: String) { parcoursListe(first: 50, after: $after) { pageInfo { hasNextPage endCursor } edges { node { id departement evenementsDroitsLogement { date } evenementsEmploiFormation { date } } } } }`;

interface Alertes {
  alertes: { alertes: { code: string; niveau: string; dateEcheance: string; parcours: { id: string } }[]; exclusionEvaluee: boolean; activiteDomainesEvaluee: boolean; avertissements: string[] };
}
interface Page {
  parcoursListe: {
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: { node: { id: string; departement: string; evenementsDroitsLogement: { date: string }[] | null; evenementsEmploiFormation: { date: string }[] | null } }[];
  };
}

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub({ seed: (dbs) => loadDemoData(dbs, { parcours: 200, today: JOUR }).then(() => undefined) });
});
afterAll(async () => {
  await hub?.stop();
});

/** The parcours of Loire-Atlantique with an event of either domain in the 60 days up to JOUR. */
async function actifsDansLesDomaines(): Promise<Set<string>> {
  const depuis = addDays(JOUR, -60);
  const actifs = new Set<string>();
  let after: string | null = null;
  do {
    const r: { data?: Page | null; errors?: unknown[] } = await hub.query<Page>(PAGE, { after });
    expect(r.errors).toBeUndefined();
    for (const { node } of r.data!.parcoursListe.edges) {
      const dates = [...(node.evenementsDroitsLogement ?? []), ...(node.evenementsEmploiFormation ?? [])].map((e) => e.date);
      if (node.departement === '44' && dates.some((d) => d >= depuis && d <= JOUR)) actifs.add(node.id);
    }
    after = r.data!.parcoursListe.pageInfo.hasNextPage ? r.data!.parcoursListe.pageInfo.endCursor : null;
  } while (after);
  return actifs;
}

it('flags no parcours with a domain event in the last 60 days as without activity', async () => {
  const actifs = await actifsDansLesDomaines();
  const r = await hub.query<Alertes>(ALERTES, { d: JOUR });
  expect(r.errors).toBeUndefined();
  const sansActivite = r.data!.alertes.alertes.filter((a) => a.code === 'SANS_ACTIVITE' && a.niveau === 'EN_RETARD').map((a) => a.parcours.id);
  expect(sansActivite.length).toBeGreaterThan(0);
  // The demo data has such parcours, and some SANS_ACTIVITE alerts remain for the others.
  expect(actifs.size).toBeGreaterThan(20);
  expect(sansActivite.filter((id) => actifs.has(id))).toEqual([]);
  // A recent domain event may still announce the threshold ahead (within joursAvantEcheance),
  // never as reached.
  const annonces = r.data!.alertes.alertes.filter((a) => a.code === 'SANS_ACTIVITE' && a.niveau !== 'EN_RETARD' && actifs.has(a.parcours.id));
  expect(annonces.every((a) => a.dateEcheance > JOUR)).toBe(true);
  expect(r.data!.alertes.activiteDomainesEvaluee).toBe(true);
  expect(r.data!.alertes.avertissements).toEqual([]);
});

it('gives the same answer parcours by parcours on that day', async () => {
  const r = await hub.query<Alertes>(ALERTES, { d: JOUR });
  const parListe = new Map<string, string[]>();
  for (const a of r.data!.alertes.alertes) if (a.code === 'SANS_ACTIVITE') parListe.set(a.parcours.id, [...(parListe.get(a.parcours.id) ?? []), a.niveau]);
  const ids = [...parListe.keys()].slice(0, 10);
  const unParUn = await hub.query<Record<string, { alertes: { code: string; niveau: string }[] }>>(
    `query(${ids.map((_, i) => `$id${i}: ID!`).join(', ')}) { ${ids.map((_, i) => `p${i}: parcours(id: $id${i}) { alertes(date: "${JOUR}") { code niveau } }`).join(' ')} }`,
    Object.fromEntries(ids.map((id, i) => [`id${i}`, id])),
  );
  expect(unParUn.errors).toBeUndefined();
  ids.forEach((id, i) => expect(unParUn.data![`p${i}`]!.alertes.filter((a) => a.code === 'SANS_ACTIVITE').map((a) => a.niveau)).toEqual(parListe.get(id)));
});

it('says so when a domain’s activity could not be read, and still answers', async () => {
  await hub.stopSubgraph('emploi-formation');
  const r = await hub.query<Alertes>(ALERTES, { d: JOUR });
  expect(r.errors).toBeUndefined();
  expect(r.data!.alertes.activiteDomainesEvaluee).toBe(false);
  expect(r.data!.alertes.exclusionEvaluee).toBe(true);
  expect(r.data!.alertes.avertissements).toEqual([expect.stringMatching(/^L'activité enregistrée par Emploi & Formation n'a pas pu être lue .*l'alerte SANS_ACTIVITE ne compte que l'activité connue\.$/)]);
});
