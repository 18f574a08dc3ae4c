import { loadDemoData, VIGNETTES } from '../scripts/demo';
import { startTestHub, type TestHub } from './support/hub';

/**
 * The three vignettes of seed 002 (fixed ids in the demo data): their unified timelines, merged
 * from the three subgraphs through the gateway, come back in order.
 */

const CHRONOLOGIE = `query($id: ID!) { parcours(id: $id) { statut chronologie { date domaine type libelle } } }`;
const ORDRE = ['COORDINATION', 'DROITS_LOGEMENT', 'EMPLOI_FORMATION'];

interface Evenement {
  date: string;
  domaine: string;
  type: string;
  libelle: string;
}

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub({ seed: (dbs) => loadDemoData(dbs, { parcours: 3, today: '2025-09-30' }).then(() => undefined) });
});
afterAll(async () => {
  await hub?.stop();
});

async function chronologie(id: string): Promise<{ statut: string; chronologie: Evenement[] }> {
  const r = await hub.query<{ parcours: { statut: string; chronologie: Evenement[] } }>(CHRONOLOGIE, { id });
  expect(r.errors).toBeUndefined();
  return r.data!.parcours;
}

/** Sorted by date, then by domain (Coordination, Droits & Logement, Emploi & Formation). */
function expectEnOrdre(evenements: Evenement[]): void {
  for (let i = 1; i < evenements.length; i += 1) {
    const [a, b] = [evenements[i - 1]!, evenements[i]!];
    expect(a.date <= b.date).toBe(true);
    if (a.date === b.date) expect(ORDRE.indexOf(a.domaine)).toBeLessThanOrEqual(ORDRE.indexOf(b.domaine));
  }
}

const coordination = (evenements: Evenement[]) => evenements.filter((e) => e.domaine === 'COORDINATION').map((e) => [e.date, e.type]);

describe('the vignettes’ unified timelines through the gateway', () => {
  it('Madame B.: CIR, diagnostic, contract, exit, merged with housing and work in date order', async () => {
    const { statut, chronologie: c } = await chronologie(VIGNETTES.madameB.parcoursId);
    expect(statut).toBe('CLOS');
    expectEnOrdre(c);
    // Seed 002's dates, the demo's steps between them, and the follow-ups of seed 000 after her exit.
    expect(coordination(c)).toEqual([
      ['2023-01-02', 'SIGNATURE_CIR'],
      ['2023-01-02', 'ORIENTATION'],
      ['2023-01-02', 'CONVOCATION'],
      ['2023-01-13', 'DIAGNOSTIC'],
      ['2023-01-27', 'COMMISSION'],
      ['2023-02-17', 'CONTRAT'],
      ['2023-02-17', 'EVALUATION_ENTREE'],
      ['2023-10-31', 'SORTIE'],
      ['2023-10-31', 'EVALUATION_SORTIE'],
      ['2024-01-31', 'SUIVI_3_MOIS'],
      ['2024-04-30', 'SUIVI_6_MOIS'],
      ['2024-05-31', 'CLOTURE'],
    ]);
    expect(new Set(c.map((e) => e.domaine))).toEqual(new Set(ORDRE));
    expect(c.every((e) => e.libelle.length > 0)).toBe(true);
  });

  it('Monsieur J. and Monsieur A.: to the end of their rights, in order, all three domains present', async () => {
    for (const [id, diagnostic, contrat] of [
      [VIGNETTES.monsieurJ.parcoursId, '2023-01-25', '2023-02-01'],
      [VIGNETTES.monsieurA.parcoursId, '2023-02-28', '2023-03-29'],
    ] as const) {
      const { statut, chronologie: c } = await chronologie(id);
      expect(statut).toBe('FIN_DE_DROITS');
      expectEnOrdre(c);
      const propres = coordination(c);
      expect(propres).toContainEqual([diagnostic, 'DIAGNOSTIC']);
      expect(propres).toContainEqual([contrat, 'CONTRAT']);
      expect(propres.at(-1)?.[1]).toBe('FIN_DE_DROITS');
      expect(new Set(c.map((e) => e.domaine))).toEqual(new Set(ORDRE));
    }
  });
});
