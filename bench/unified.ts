/**
 * Benchmark of the unified read at the scale of a département after a few years: N parcours in 44
 * (default 100,000) with their facts in the three databases, seeded set-based, then the reads of
 * `SCENARIOS` through the real gateway as the coordination and as an analyst: one warm-up, then
 * the median (and extremes) of 5 runs each. Prints a table, writes `artifacts/bench-unified.json`,
 * and exits 1 when a median misses its target.
 *
 *   npm run bench:unified                      (DATABASE_URL, a superuser URL, or an embedded PostgreSQL)
 *   npm run bench:unified -- --parcours 20000
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { throwAwayDatabase } from '../scripts/embedded-postgres';
import type { TokenClaims } from '../scripts/tokens';
import { seedBulkParcours } from '../test/support/bulk';
import { COORDINATOR, startTestHub, type TestHub } from '../test/support/hub';
import { INDICATEURS_PROFIL } from '../test/support/lectures';

const argument = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const PARCOURS = argument('--parcours', 100_000);
const RUNS = argument('--runs', 5);

const ROLES = {
  COORDINATION: { ...COORDINATOR, sub: 'bench-coordination', roles: ['COORDINATION'], departements: ['44'] },
  ANALYSTE: { ...COORDINATOR, sub: 'bench-analyste', roles: ['ANALYSTE'], departements: ['44'] },
} satisfies Record<string, TokenClaims>;

/** A read to measure: one GraphQL operation, as one role, with its target median. */
interface Scenario {
  nom: string;
  role: keyof typeof ROLES;
  query: string;
  variables: Record<string, unknown>;
  cibleMs: number;
}

/** The département-year the dashboards ask for: the last of the seeded two years. */
const ANNEE = { departement: '44', du: '2024-01-01', au: '2024-12-31' };

/** A part of `indicateurs` alone, to see which subgraph the time goes to. */
const partie = (nom: string, champs: string) => `query ${nom}($departement: String!, $du: Date!, $au: Date!) {
  indicateurs(departement: $departement, du: $du, au: $au) { ${champs} } }`;

const PROFIL = `profil { stockDebut stockFin entrees sorties population ageMoyen parSituationFamiliale { situation nombre }
  parTrancheAge { tranche nombre } parSexe { sexe nombre } parPays { pays nombre } parCommuneResidence { commune { codeInsee } nombre } }`;

/**
 * The reads measured. Another read (the unified list, one parcours, the alert list) is one more
 * entry here.
 */
const SCENARIOS: Scenario[] = [
  { nom: 'indicateurs + profil', role: 'COORDINATION', query: INDICATEURS_PROFIL, variables: ANNEE, cibleMs: 1000 },
  { nom: 'indicateurs + profil', role: 'ANALYSTE', query: INDICATEURS_PROFIL, variables: ANNEE, cibleMs: 1000 },
  { nom: 'profil (Coordination)', role: 'COORDINATION', query: partie('Profil', PROFIL), variables: ANNEE, cibleMs: 1000 },
  {
    nom: 'indicateurs Coordination',
    role: 'COORDINATION',
    query: partie('Coordination', 'effectifs { orientes signataires enAccompagnementFin } delaiDiagnostic { medianeJours } maintien { taux } parMois { mois orientes }'),
    variables: ANNEE,
    cibleMs: 1000,
  },
  {
    nom: 'droitsLogement',
    role: 'COORDINATION',
    query: partie('DroitsLogement', 'droitsLogement { situationsEntree { categorie nombre } accesLogement { taux } demarches { type statut nombre } } droitsLogementParMois { mois entrees }'),
    variables: ANNEE,
    cibleMs: 1000,
  },
  {
    nom: 'emploiFormation',
    role: 'COORDINATION',
    query: partie('EmploiFormation', 'emploiFormation { parcoursSuivis situationActuelle { categorie nombre } accesEmploiFormation { taux } } emploiFormationParMois { mois entrees } profilFormation { diagnostiquees }'),
    variables: ANNEE,
    cibleMs: 1000,
  },
];

interface Mesure {
  scenario: string;
  role: string;
  medianeMs: number;
  minMs: number;
  maxMs: number;
  cibleMs: number;
  ok: boolean;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
const arrondi = (ms: number) => Math.round(ms);

async function mesurer(hub: TestHub, scenario: Scenario, token: string): Promise<Mesure> {
  const once = async () => {
    const start = performance.now();
    const result = await hub.query(scenario.query, scenario.variables, { token });
    const ms = performance.now() - start;
    if (result.errors?.length) throw new Error(`${scenario.nom} (${scenario.role}) answered errors: ${JSON.stringify(result.errors)}`);
    return ms;
  };
  await once(); // warm-up: plans, connections, the gateway's query plan cache
  const times: number[] = [];
  for (let i = 0; i < RUNS; i += 1) times.push(await once());
  const medianeMs = median(times);
  return {
    scenario: scenario.nom,
    role: scenario.role,
    medianeMs: arrondi(medianeMs),
    minMs: arrondi(Math.min(...times)),
    maxMs: arrondi(Math.max(...times)),
    cibleMs: scenario.cibleMs,
    ok: medianeMs <= scenario.cibleMs,
  };
}

/** Runs the scenarios; true when every median met its target. */
async function main(): Promise<boolean> {
  const database = await throwAwayDatabase();
  const seedStart = performance.now();
  const hub = await startTestHub({ seed: (dbs) => seedBulkParcours(dbs, PARCOURS, { varie: true, depuis: '2023-01-01', jours: 730 }) });
  try {
    await hub.analyze();
    const seedSeconds = (performance.now() - seedStart) / 1000;
    const tokens = { COORDINATION: await hub.token(ROLES.COORDINATION, { expiresIn: '2h' }), ANALYSTE: await hub.token(ROLES.ANALYSTE, { expiresIn: '2h' }) };
    const mesures: Mesure[] = [];
    for (const scenario of SCENARIOS) mesures.push(await mesurer(hub, scenario, tokens[scenario.role]));
    console.log(`Unified read, ${PARCOURS} parcours in 44 (seeded in ${seedSeconds.toFixed(0)} s), ${ANNEE.du} to ${ANNEE.au}, median of ${RUNS} after a warm-up`);
    console.table(mesures);
    const dir = path.join(process.cwd(), 'artifacts');
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'bench-unified.json');
    writeFileSync(file, `${JSON.stringify({ date: new Date().toISOString(), parcours: PARCOURS, periode: ANNEE, runs: RUNS, mesures }, null, 2)}\n`);
    console.log(`written to ${path.relative(process.cwd(), file)}`);
    const missed = mesures.filter((m) => !m.ok);
    if (missed.length) console.error(`targets missed: ${missed.map((m) => `${m.scenario} (${m.role}) ${m.medianeMs} ms > ${m.cibleMs} ms`).join(', ')}`);
    return missed.length === 0;
  } finally {
    await hub.stop();
    await database.stop();
  }
}

// The exit status says whether the targets were met (set explicitly: the hub's shutdown may leave handles open).
main().then(
  (ok) => process.exit(ok ? 0 : 1),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
