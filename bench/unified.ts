/**
 * Benchmark of the unified read at the scale of a département after a few years: N parcours in 44
 * (default 100,000) with their facts in the three databases, seeded set-based, then:
 *   1. the reads of `SCENARIOS` through the real gateway as the coordination and as an analyst:
 *      one warm-up, then the median (and extremes) of 5 runs each;
 *   2. the hub against a one-database baseline (`bench/une-base.ts`: the same rows in ONE database,
 *      one SQL statement per read answering the same JSON), interleaved, at 1 and 10 concurrent
 *      clients, for the reads of `LECTURES`: requests per second, p50, p95, the hub's share of the
 *      baseline's throughput, and the SQL statements and subgraph fetches of one request (which
 *      must not grow with the page size).
 * Prints tables, writes `artifacts/bench-unified.json` and `artifacts/bench-hub-vs-une-base.json`,
 * and exits 1 when a target is missed or the baseline does not answer the hub's JSON.
 *
 *   npm run bench:unified                      (DATABASE_URL, a superuser URL, or an embedded PostgreSQL)
 *   npm run bench:unified -- --parcours 20000 --runs 5 --duree 2000 --tours 3
 *   npm run bench:unified -- --charge liste --duree 20000   (only the unified list's load, at 10 clients: to profile it)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { throwAwayDatabase } from '../scripts/embedded-postgres';
import type { TokenClaims } from '../scripts/tokens';
import { isDeepStrictEqual } from 'node:util';
import { today } from '@agir/common';
import { SUBGRAPH_NAMES } from '../scripts/hub';
import { bulkId, seedBulkParcours } from '../test/support/bulk';
import { adminUrl, COORDINATOR, startTestHub, type TestHub } from '../test/support/hub';
import { ALERTES, INDICATEURS_PROFIL } from '../test/support/lectures';
import { copierDansUneBase, servirUneBase, type ServeurUneBase } from './une-base';

const argument = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const PARCOURS = argument('--parcours', 100_000);
const RUNS = argument('--runs', 5);
/** How long each turn of load lasts (ms), and how many turns of each side, interleaved. */
const DUREE = argument('--duree', 2000);
const TOURS = argument('--tours', 3);
const CHARGE_SEULE = process.argv.includes('--charge') ? process.argv[process.argv.indexOf('--charge') + 1] : undefined;

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

/** The README's unified list, as the coordination of 44 reads it. */
const LISTE = `query Liste($first: Int) { parcoursListe(first: $first) { totalCount pageInfo { hasNextPage endCursor } edges { node {
  id statut departement beneficiaire { nom prenom } situationLogement { categorie } demarchesDroits { type statut }
  situationProfessionnelle { categorie } langue { niveauCecrl } } } } }`;

/** One parcours with the facts of all three domains. */
const UN_PARCOURS = `query UnParcours($id: ID!) { parcours(id: $id) {
  id statut departement beneficiaire { nom prenom } situationLogement { categorie } demarchesDroits { type statut }
  situationProfessionnelle { categorie } langue { niveauCecrl } } }`;

/** Bulk parcours that reached the contract (g % 20 from 5 to 12: CONTRACTUALISE): facts in both domains. */
const CONTRACTUALISES = Array.from({ length: 20 }, (_, i) => bulkId('p', 20 * (i + 1) + 5 + (i % 8)));

/**
 * A read measured against the baseline: the hub's operation, the baseline's path (none: the hub
 * alone, the baseline does not answer that read yet), its targets, and, for a page, the same read
 * at another size (its statements and fetches must be the same).
 */
interface Lecture {
  nom: string;
  hub: (i: number) => { query: string; variables: Record<string, unknown> };
  base?: (i: number) => string;
  autrePage?: { query: string; variables: Record<string, unknown> };
  cible?: { ratio: number; p95Ms10?: number };
}

const LECTURES: Lecture[] = [
  {
    nom: 'liste unifiée (first: 50)',
    hub: () => ({ query: LISTE, variables: { first: 50 } }),
    base: () => '/liste?first=50',
    autrePage: { query: LISTE, variables: { first: 10 } },
    cible: { ratio: 0.3, p95Ms10: 250 },
  },
  {
    nom: 'un parcours, trois domaines',
    hub: (i) => ({ query: UN_PARCOURS, variables: { id: CONTRACTUALISES[i % CONTRACTUALISES.length] } }),
    base: (i) => `/parcours?id=${CONTRACTUALISES[i % CONTRACTUALISES.length]}`,
    cible: { ratio: 0.3 },
  },
  // The whole département's alerts: at 100,000 parcours, about 190,000 alerts, some 10 s and 1 GB of heap
  // per request in this process (the gateway and the three subgraphs together): the script gives it 8 GB.
  { nom: 'alertes du département', hub: () => ({ query: ALERTES, variables: { departement: '44' } }) },
  { nom: 'indicateurs + profil', hub: () => ({ query: INDICATEURS_PROFIL, variables: ANNEE }) },
];

const CLIENTS = [1, 10];

interface Charge {
  requetes: number;
  reqParS: number;
  p50Ms: number;
  p95Ms: number;
}

const centile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;

/**
 * `clients` loops of `requete` for `dureeMs`, added to `mesures` (latencies); returns the elapsed
 * time. A failed request stops every loop, and the first error is thrown once the requests in
 * flight have ended (so that the next read does not share the hub with them).
 */
async function charger(requete: (i: number) => Promise<void>, clients: number, dureeMs: number, mesures: number[]): Promise<number> {
  const debut = performance.now();
  let suivante = 0;
  let erreur: unknown;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (erreur === undefined && performance.now() - debut < dureeMs) {
        const i = suivante++;
        const t = performance.now();
        try {
          await requete(i);
        } catch (e) {
          erreur ??= e;
          return;
        }
        mesures.push(performance.now() - t);
      }
    }),
  );
  if (erreur !== undefined) throw erreur;
  return performance.now() - debut;
}

const resume = (mesures: number[], ms: number): Charge => {
  const tri = [...mesures].sort((a, b) => a - b);
  return { requetes: tri.length, reqParS: Math.round((10 * tri.length * 1000) / ms) / 10, p50Ms: arrondi(centile(tri, 50)), p95Ms: arrondi(centile(tri, 95)) };
};

/** The hub's subgraph fetches, counted on the process's `fetch` (the gateway's data sources call it). */
function compteurDeFetches(hub: TestHub): () => number {
  const urls = SUBGRAPH_NAMES.map((n) => hub.subgraphs[n].url);
  let n = 0;
  const original = globalThis.fetch;
  globalThis.fetch = ((input: Parameters<typeof fetch>[0], init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (urls.some((u) => url.startsWith(u))) n += 1;
    return original(input, init);
  }) as typeof fetch;
  return () => n;
}

interface Comparaison {
  lecture: string;
  clients: number;
  hub: Charge;
  base: Charge | null;
  ratio: number | null;
  sqlParRequete: number;
  fetchesParRequete: number;
  sqlBaseParRequete: number | null;
  ok: boolean;
}

/** The differences of two JSON values, as paths (the first few). */
function differences(a: unknown, b: unknown, chemin = '', sortie: string[] = []): string[] {
  if (sortie.length >= 5 || isDeepStrictEqual(a, b)) return sortie;
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) differences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${chemin}.${k}`, sortie);
  } else sortie.push(`${chemin || '.'}: hub ${JSON.stringify(a)?.slice(0, 120)} / une base ${JSON.stringify(b)?.slice(0, 120)}`);
  return sortie;
}

/**
 * The hub against the one-database baseline for each read of `lectures` (interleaved turns of
 * `DUREE` ms, `TOURS` of each side, at each number of clients). Returns the measures and the
 * failures (targets missed, JSON that differ, statements that grow with the page).
 */
async function comparer(hub: TestHub, base: ServeurUneBase, token: string, fetches: () => number, lectures: Lecture[], clients: number[]): Promise<{ comparaisons: Comparaison[]; echecs: string[] }> {
  const echecs: string[] = [];
  const viaHub = async (l: Lecture, i: number) => {
    const { query, variables } = l.hub(i);
    const r = await hub.query(query, variables, { token });
    if (r.errors?.length) throw new Error(`${l.nom}: the hub answered errors: ${JSON.stringify(r.errors).slice(0, 500)}`);
    return r;
  };
  const viaBase = async (l: Lecture, i: number) => {
    const response = await fetch(`${base.url}${l.base!(i)}`);
    if (!response.ok) throw new Error(`${l.nom}: the baseline answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as unknown;
  };
  // What one request costs the hub, in statements and fetches.
  const cout = async (operation: { query: string; variables: Record<string, unknown> }) => {
    const avant = fetches();
    const { statements } = await hub.countSql(() => hub.query(operation.query, operation.variables, { token }));
    return { sql: Object.values(statements).reduce((a, b) => a + b, 0), fetches: fetches() - avant };
  };
  const comparaisons: Comparaison[] = [];
  for (const l of lectures) {
    try {
      comparaisons.push(...(await comparerUne(l)));
    } catch (error) {
      // A read that fails is a failure of the benchmark, not its end: the next reads are measured.
      echecs.push(error instanceof Error ? error.message : String(error));
    }
  }
  return { comparaisons, echecs };

  async function comparerUne(l: Lecture): Promise<Comparaison[]> {
    const resultats: Comparaison[] = [];
    const un = await cout(l.hub(0));
    if (l.autrePage) {
      const autre = await cout(l.autrePage);
      if (autre.sql !== un.sql || autre.fetches !== un.fetches) {
        echecs.push(`${l.nom}: ${un.sql} statements and ${un.fetches} fetches, but ${autre.sql} and ${autre.fetches} at ${JSON.stringify(l.autrePage.variables)}`);
      }
    }
    if (l.base) {
      for (const i of [0, 1]) {
        const [h, b] = [await viaHub(l, i), await viaBase(l, i)];
        const d = differences(h, b);
        if (d.length) echecs.push(`${l.nom}: the baseline's JSON differs from the hub's: ${d.join('; ')}`);
      }
    }
    for (const c of clients) {
      const mesuresHub: number[] = [];
      const mesuresBase: number[] = [];
      let msHub = 0;
      let msBase = 0;
      // Warm both, then alternate turns so that both see the same machine.
      await charger(async (i) => void (await viaHub(l, i)), c, Math.min(DUREE, 1000), []);
      if (l.base) await charger(async (i) => void (await viaBase(l, i)), c, Math.min(DUREE, 1000), []);
      const sqlBaseAvant = base.statements();
      let requetesBase = 0;
      for (let t = 0; t < TOURS; t += 1) {
        msHub += await charger(async (i) => void (await viaHub(l, i)), c, DUREE, mesuresHub);
        if (l.base) {
          const avant = mesuresBase.length;
          msBase += await charger(async (i) => void (await viaBase(l, i)), c, DUREE, mesuresBase);
          requetesBase += mesuresBase.length - avant;
        }
      }
      const h = resume(mesuresHub, msHub);
      const b = l.base ? resume(mesuresBase, msBase) : null;
      const ratio = b ? Math.round((100 * h.reqParS) / b.reqParS) / 100 : null;
      let ok = true;
      if (l.cible && ratio !== null && ratio < l.cible.ratio) {
        ok = false;
        echecs.push(`${l.nom} at ${c} client(s): ${ratio}× the baseline's throughput < ${l.cible.ratio}×`);
      }
      if (l.cible?.p95Ms10 !== undefined && c === 10 && h.p95Ms >= l.cible.p95Ms10) {
        ok = false;
        echecs.push(`${l.nom} at 10 clients: p95 ${h.p95Ms} ms ≥ ${l.cible.p95Ms10} ms`);
      }
      resultats.push({
        lecture: l.nom,
        clients: c,
        hub: h,
        base: b,
        ratio,
        sqlParRequete: un.sql,
        fetchesParRequete: un.fetches,
        sqlBaseParRequete: b ? Math.round((10 * (base.statements() - sqlBaseAvant)) / Math.max(1, requetesBase)) / 10 : null,
        ok,
      });
    }
    return resultats;
  }
}

/** The comparison's table, one line per read and number of clients. */
function afficher(comparaisons: Comparaison[]): void {
  console.table(
    comparaisons.map((c) => ({
      lecture: c.lecture,
      clients: c.clients,
      'hub req/s': c.hub.reqParS,
      'hub p50': c.hub.p50Ms,
      'hub p95': c.hub.p95Ms,
      'une base req/s': c.base?.reqParS ?? '-',
      'une base p50': c.base?.p50Ms ?? '-',
      'une base p95': c.base?.p95Ms ?? '-',
      ratio: c.ratio ?? '-',
      'SQL/req hub': c.sqlParRequete,
      'fetches/req': c.fetchesParRequete,
      'SQL/req une base': c.sqlBaseParRequete ?? '-',
      ok: c.ok,
    })),
  );
}

/** Runs the scenarios; true when every median met its target. */
async function main(): Promise<boolean> {
  const database = await throwAwayDatabase();
  const seedStart = performance.now();
  // The gateway's rate limits are lifted: the loads below send far more than a user's budget per minute.
  const sansLimite = 1_000_000;
  const hub = await startTestHub({
    seed: (dbs) => seedBulkParcours(dbs, PARCOURS, { varie: true, depuis: '2023-01-01', jours: 730 }),
    rateLimitPerMinute: sansLimite,
    rateLimits: { perIpPerMinute: sansLimite, failedAuthenticationsPerMinute: sansLimite },
  });
  let uneBase: { supprimer(): Promise<void> } | undefined;
  let serveur: ServeurUneBase | undefined;
  try {
    await hub.analyze();
    const seedSeconds = (performance.now() - seedStart) / 1000;
    const tokens = { COORDINATION: await hub.token(ROLES.COORDINATION, { expiresIn: '2h' }), ANALYSTE: await hub.token(ROLES.ANALYSTE, { expiresIn: '2h' }) };
    const fetches = compteurDeFetches(hub);
    const copie = await copierDansUneBase(adminUrl(), hub.prefix);
    uneBase = copie;
    serveur = await servirUneBase(copie.url, ['44'], today());
    if (CHARGE_SEULE) {
      // Only one read's load, at 10 clients (under `node --cpu-prof`, to see where the hub's time goes).
      const lecture = LECTURES.find((l) => l.nom.startsWith(CHARGE_SEULE));
      if (!lecture) throw new Error(`--charge ${CHARGE_SEULE}: no read of that name (${LECTURES.map((l) => l.nom).join(', ')})`);
      const { comparaisons } = await comparer(hub, serveur, tokens.COORDINATION, fetches, [lecture], [10]);
      afficher(comparaisons);
      return true;
    }
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

    const { comparaisons, echecs } = await comparer(hub, serveur, tokens.COORDINATION, fetches, LECTURES, CLIENTS);
    console.log(`Hub against one database (the same rows, one SQL statement per read), as COORDINATION of 44: turns of ${DUREE} ms, ${TOURS} of each side, interleaved`);
    afficher(comparaisons);
    const fichier = path.join(dir, 'bench-hub-vs-une-base.json');
    writeFileSync(fichier, `${JSON.stringify({ date: new Date().toISOString(), parcours: PARCOURS, dureeMs: DUREE, tours: TOURS, comparaisons, echecs }, null, 2)}\n`);
    console.log(`written to ${path.relative(process.cwd(), fichier)}`);
    if (echecs.length) console.error(`hub against one database: ${echecs.join('; ')}`);
    return missed.length === 0 && echecs.length === 0;
  } finally {
    await serveur?.stop();
    await hub.stop();
    await uneBase?.supprimer();
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
