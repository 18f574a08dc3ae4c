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
      // Her protection, known to the coordination (a sensitive field: not in a referent's chronologie).
      ['2022-10-03', 'PROTECTION'],
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

describe('what else the chronologie shows', () => {
  const COMPLETE = `query($id: ID!) { parcours(id: $id) { chronologie { date domaine type libelle prevu } } }`;
  type Ev = Evenement & { prevu: boolean };

  it('the protection (for whom may read it), each referent change, and a step booked ahead marked as planned', async () => {
    const B = VIGNETTES.madameB.parcoursId;
    const coord = hub.subgraphs.coordination.dataSource;
    const [binome] = (await coord.query(
      `SELECT p.referent_droits_logement_id AS id, r.structure_id AS structure, p.departement FROM parcours p JOIN referent r ON r.id = p.referent_droits_logement_id WHERE p.id = $1`,
      [B],
    )) as { id: string; structure: string; departement: string }[];
    const [autre] = (await coord.query(`SELECT id FROM referent WHERE domaine = 'DROITS_LOGEMENT' AND id <> $1 LIMIT 1`, [binome!.id])) as { id: string }[];
    await coord.query(`INSERT INTO ancien_referent (parcours_id, domaine, referent_id, remplace_le) VALUES ($1, 'DROITS_LOGEMENT', $2, '2023-06-01')`, [B, autre!.id]);
    const dansUnMois = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    await hub.subgraphs['emploi-formation'].dataSource.query(
      `INSERT INTO formation (parcours_id, type, intitule, organisme, code_rome, diplomante, date_debut, resultat, categorie, stabilisant)
       VALUES ($1, 'QUALIFIANTE', 'Agent de propreté', 'GEIQ', 'K2204', false, $2, 'EN_COURS', 'FORMATION_PROFESSIONNELLE', false)`,
      [B, dansUnMois],
    );

    const r = await hub.query<{ parcours: { chronologie: Ev[] } }>(COMPLETE, { id: B });
    expect(r.errors).toBeUndefined();
    const c = r.data!.parcours.chronologie;
    expect(c).toContainEqual({ date: '2022-10-03', domaine: 'COORDINATION', type: 'PROTECTION', libelle: 'Obtention de la protection internationale (statut de réfugié)', prevu: false });
    expect(c).toContainEqual({ date: '2023-06-01', domaine: 'COORDINATION', type: 'CHANGEMENT_REFERENT', libelle: 'Changement de référent Droits & Logement', prevu: false });
    expect(c.filter((e) => e.prevu)).toEqual([{ date: dansUnMois, domaine: 'EMPLOI_FORMATION', type: 'FORMATION_DEBUT', libelle: 'Début de formation qualifiante', prevu: true }]);

    // The date of protection is a sensitive field of the identity: the binôme's chronologie goes without it.
    const referent = await hub.token({ sub: 'ref-b', structure: binome!.structure, roles: ['REFERENT_DROITS_LOGEMENT'], departements: [binome!.departement], referent: binome!.id });
    const parLeReferent = await hub.query<{ parcours: { chronologie: Ev[] } }>(COMPLETE, { id: B }, { token: referent });
    expect(parLeReferent.errors).toBeUndefined();
    expect(parLeReferent.data!.parcours.chronologie.map((e) => e.type)).not.toContain('PROTECTION');
    expect(parLeReferent.data!.parcours.chronologie.map((e) => e.type)).toContain('CHANGEMENT_REFERENT');
  });
});
