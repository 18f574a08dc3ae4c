import type { DataSource } from 'typeorm';
import { SUBGRAPH_NAMES, type SubgraphName } from '../scripts/hub';
import { seedBulkParcours } from './support/bulk';
import { COORDINATOR, startTestHub, type TestHub } from './support/hub';
import { ALERTES, ANALYSE, INDICATEURS_PROFIL } from './support/lectures';

/**
 * The SQL of the département-wide reads (indicators, profile, alerts, analysts' rows) keeps a cost
 * linear in the département's parcours: each statement they run, captured as it runs on a seeded
 * département, is planned with EXPLAIN and its plan tree must hold no per-row work that reads a
 * table whole. The check is structural (no timing): see `defautsDuPlan`.
 */

const N = 4000;

interface PlanNode {
  'Node Type': string;
  'Parent Relationship'?: string;
  'Subplan Name'?: string;
  'Relation Name'?: string;
  'CTE Name'?: string;
  'Index Cond'?: string;
  'Recheck Cond'?: string;
  'Plan Rows': number;
  Plans?: PlanNode[];
}

/** Relations (tables or CTEs) this small may be read whole per row (a site list, the months of a year). */
const PETIT = 200;

/**
 * How many rows each relation a plan may read whole holds: tables from the statistics
 * (`reltuples`, after ANALYZE), CTEs from their own plan's estimate.
 */
interface Tailles {
  tables: Map<string, number>;
  ctes: Map<string, number>;
  haches: Set<string>;
}

/** The subplans the plan runs hashed (once, then probed per row), by name: the expressions say "hashed SubPlan n". */
const subplansHaches = (plan: PlanNode) => new Set(JSON.stringify(plan).match(/hashed SubPlan \d+/g)?.map((h) => h.slice('hashed '.length)));

function ctesDuPlan(node: PlanNode, ctes = new Map<string, number>()): Map<string, number> {
  const nomCte = /^CTE (.+)$/.exec(node['Subplan Name'] ?? '');
  if (nomCte) ctes.set(nomCte[1]!, node['Plan Rows']);
  for (const enfant of node.Plans ?? []) ctesDuPlan(enfant, ctes);
  return ctes;
}

/** The nodes that read a relation without an index condition, with the rows the relation holds. */
function lecturesCompletes(node: PlanNode, tailles: Tailles): { node: PlanNode; lignes: number }[] {
  const type = node['Node Type'];
  let lignes: number | undefined;
  if (type === 'Seq Scan' || ((type === 'Index Scan' || type === 'Index Only Scan') && !node['Index Cond'])) lignes = tailles.tables.get(node['Relation Name']!);
  if (type === 'CTE Scan') lignes = tailles.ctes.get(node['CTE Name']!);
  // A Bitmap Heap Scan is driven by its Bitmap Index Scan child, which the walk reaches.
  const ici = lignes === undefined ? [] : [{ node, lignes }];
  return [...ici, ...(node.Plans ?? []).flatMap((enfant) => lecturesCompletes(enfant, tailles))];
}

const nom = (l: { node: PlanNode; lignes: number }) =>
  `${l.node['Node Type']} on ${l.node['Relation Name'] ?? l.node['CTE Name']} (${Math.round(l.lignes)} rows)`;

/**
 * What would make a statement grow faster than its data: a nested loop whose inner side reads a
 * large relation whole (an unindexed join: rows × rows), and a correlated subplan, run per row,
 * that does the same (hashed subplans and init plans run once, and are fine). Returns the faults
 * found, described.
 */
export function defautsDuPlan(node: PlanNode, tailles: Tailles, parcours: string[] = []): string[] {
  const defauts: string[] = [];
  const chemin = [...parcours, node['Node Type']];
  if (node['Node Type'] === 'Nested Loop' && node.Plans?.length === 2) {
    const [exterieur, interieur] = node.Plans as [PlanNode, PlanNode];
    if (exterieur['Plan Rows'] > 1) {
      for (const lecture of lecturesCompletes(interieur, tailles)) {
        if (lecture.lignes > PETIT) defauts.push(`nested loop over ${exterieur['Plan Rows']} rows reads ${nom(lecture)} each time, at ${chemin.join(' > ')}`);
      }
    }
  }
  if (node['Parent Relationship'] === 'SubPlan' && !tailles.haches.has(node['Subplan Name'] ?? '')) {
    for (const lecture of lecturesCompletes(node, tailles)) {
      if (lecture.lignes > PETIT) defauts.push(`${node['Subplan Name'] ?? 'subplan'} run per row reads ${nom(lecture)}, at ${chemin.join(' > ')}`);
    }
  }
  for (const enfant of node.Plans ?? []) defauts.push(...defautsDuPlan(enfant, tailles, chemin));
  return defauts;
}

describe('the SQL plans of the département-wide reads', () => {
  let hub: TestHub;
  let analyste: string;
  beforeAll(async () => {
    hub = await startTestHub({ seed: (dbs) => seedBulkParcours(dbs, N, { varie: true, depuis: '2023-01-01', jours: 730 }) });
    await hub.analyze();
    analyste = await hub.token({ ...COORDINATOR, sub: 'analyste-plans', roles: ['ANALYSTE'], departements: ['44'] });
  }, 300_000);
  afterAll(() => hub?.stop());

  /** Runs `lire` and returns every SELECT each subgraph ran meanwhile, with its parameters. */
  async function capturer(lire: () => Promise<unknown>): Promise<{ subgraph: SubgraphName; sql: string; parameters: readonly unknown[] }[]> {
    const captures: { subgraph: SubgraphName; sql: string; parameters: readonly unknown[] }[] = [];
    const arrets = SUBGRAPH_NAMES.map((subgraph) => hub.subgraphs[subgraph].counter.listen((sql, parameters) => captures.push({ subgraph, sql, parameters })));
    try {
      await lire();
    } finally {
      for (const arret of arrets) arret();
    }
    return captures.filter((c) => /^\s*(SELECT|WITH)\b/i.test(c.sql));
  }

  /**
   * The plan of a statement with the least memory PostgreSQL allows per sort or hash (64 kB): the
   * planner then avoids the in-memory hashes that the seeded data would fit and a département at
   * scale would not, and chooses as it would at 100,000 parcours (the profile's per-person lookup
   * was hashed at a few thousand people and read the whole table per person at 100,000).
   */
  async function defautsDe(db: DataSource, sql: string, parameters: readonly unknown[]): Promise<string[]> {
    const plan = await db.transaction(async (m) => {
      await m.query("SET LOCAL work_mem = '64kB'");
      const [row] = (await m.query(`EXPLAIN (FORMAT JSON) ${sql}`, [...parameters])) as { 'QUERY PLAN': { Plan: PlanNode }[] }[];
      return row!['QUERY PLAN'][0]!.Plan;
    });
    const tables = (await db.query(`SELECT relname AS nom, reltuples::float AS n FROM pg_class WHERE relkind = 'r'`)) as { nom: string; n: number }[];
    return defautsDuPlan(plan, { tables: new Map(tables.map((t) => [t.nom, t.n])), ctes: ctesDuPlan(plan), haches: subplansHaches(plan) });
  }

  async function verifier<T extends { errors?: unknown[] }>(lire: () => Promise<T>, attendus: Partial<Record<SubgraphName, number>>): Promise<T> {
    let reponse = {} as T;
    const statements = await capturer(async () => (reponse = await lire()));
    expect(reponse.errors).toBeUndefined();
    // The reads ran their statements in the expected subgraphs (the capture is not empty by accident).
    for (const [subgraph, minimum] of Object.entries(attendus)) {
      expect(statements.filter((s) => s.subgraph === subgraph).length).toBeGreaterThanOrEqual(minimum);
    }
    const defauts: string[] = [];
    for (const s of statements) {
      for (const defaut of await defautsDe(hub.subgraphs[s.subgraph].dataSource, s.sql, s.parameters)) {
        defauts.push(`${s.subgraph}: ${defaut}\n  in: ${s.sql.replace(/\s+/g, ' ').slice(0, 300)}`);
      }
    }
    expect(defauts).toEqual([]);
    return reponse;
  }

  const periode = { departement: '44', du: '2024-01-01', au: '2024-12-31' };

  it('indicators and profile, as the coordination', async () => {
    await verifier(() => hub.query(INDICATEURS_PROFIL, periode), { coordination: 4, 'droits-logement': 5, 'emploi-formation': 6 });
  });

  it('indicators and profile, as an analyst', async () => {
    await verifier(() => hub.query(INDICATEURS_PROFIL, periode, { token: analyste }), { coordination: 4, 'droits-logement': 5, 'emploi-formation': 6 });
  });

  it('the alert list', async () => {
    // Thousands of contracted parcours: the refusal counts come from Droits & Logement in several lots.
    const r = await verifier(() => hub.query<{ alertes: { exclusionEvaluee: boolean } }>(ALERTES, { departement: '44' }), { coordination: 4, 'droits-logement': 2 });
    expect(r.data?.alertes.exclusionEvaluee).toBe(true);
  });

  it("the analysts' rows, k-anonymous, with and without a filter on a quasi-identifier", async () => {
    await verifier(() => hub.query(ANALYSE, { first: 100, filtre: { departement: "44" } }, { token: analyste }), { coordination: 2 });
    await verifier(() => hub.query(ANALYSE, { first: 100, filtre: { departement: '44', sexe: 'FEMME', orientationAu: '2024-06-30' } }, { token: analyste }), { coordination: 2 });
    await verifier(() => hub.query(ANALYSE, { first: 100, filtre: { departement: '44', statut: ['CONTRACTUALISE'] } }), { coordination: 2 });
  });

  it('the person search and the likely duplicates, by name and by birth date', async () => {
    const champs = 'score beneficiaire { nom doublonsProbables { score beneficiaire { id } } } parcours { id }';
    await verifier(() => hub.query(`query { rechercherBeneficiaires(texte: "Nom1234 Prenom1234", first: 20) { ${champs} } }`), { coordination: 3 });
    await verifier(() => hub.query(`query { rechercherBeneficiaires(dateNaissance: "1965-06-01", departement: "44") { ${champs} } }`), { coordination: 3 });
    // The caseload list by name, and sorted by the rules over the whole département.
    await verifier(() => hub.query(`query { parcoursListe(first: 20, filtre: { texte: "Nom1234" }) { totalCount edges { node { id } } } }`), { coordination: 2 });
    await verifier(() => hub.query(`query { parcoursListe(first: 20, filtre: { departement: "44" }, tri: PROCHAINE_ECHEANCE) { totalCount edges { node { id } } } }`), { coordination: 4 });
  });

  it('the check finds an unindexed per-row lookup', async () => {
    // The shape of the profile's family step as it was: EXISTS per person on a column without an index.
    const sql = `SELECT CASE WHEN b.rejoignant OR EXISTS (SELECT 1 FROM beneficiaire r WHERE r.commune_nom = b.prenom) THEN 'FAMILLE' END, count(*)
                   FROM beneficiaire b GROUP BY 1`;
    expect(await defautsDe(hub.subgraphs.coordination.dataSource, sql, [])).toEqual([expect.stringMatching(/^SubPlan \d+ run per row reads Seq Scan on beneficiaire/)]);
  });
});
