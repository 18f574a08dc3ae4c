/**
 * Benchmark of the analysts' CSV export: 50,000 parcours exported through the real gateway from
 * real PostgreSQL, with the hub in this process. Prints time to first byte, duration, rows per
 * second and the growth of the live heap (after a full GC, sampled every 200 ms) and of RSS, and
 * exits 1 when a target is missed.
 *
 *   npm run bench                 (DATABASE_URL, a superuser URL, or an embedded PostgreSQL)
 *   npm run bench -- --rows 100000
 */
import { throwAwayDatabase } from '../scripts/embedded-postgres';
import { seedBulkParcours } from '../test/support/bulk';
import { COORDINATOR, startTestHub } from '../test/support/hub';
import { sampleMemory } from '../test/support/memory';


const rowsArgument = process.argv.indexOf('--rows');
const ROWS = rowsArgument > 0 ? Number(process.argv[rowsArgument + 1]) : 50_000;
const MB = 2 ** 20;

/** The export's targets: memory does not follow the number of rows, and 50,000 rows take under a minute. */
const TARGETS = {
  heapGrowthMB: 32,
  rssGrowthMB: 150,
  rowsPerSecond: 1_000,
  firstByteMs: 2_000,
};

async function main(): Promise<void> {
  const database = await throwAwayDatabase();
  const hub = await startTestHub({ consent: false, seed: (dbs) => seedBulkParcours(dbs, ROWS) });
  try {
    const token = await hub.token({ ...COORDINATOR, sub: 'analyste-bench', roles: ['ANALYSTE'], departements: ['44'] });
    const url = new URL('/export/analyse-parcours.csv?departement=44&orientationAu=2024-12-31', hub.gatewayUrl);
    const memoire = sampleMemory(200);
    const start = performance.now();
    let firstByteMs = 0;
    let growth = { heapGrowth: 0, rssGrowth: 0 };
    let bytes = 0;
    let lines = 0;
    try {
      const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
      if (response.status !== 200) throw new Error(`export answered ${response.status}: ${await response.text()}`);
      const reader = response.body!.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        if (bytes === 0) firstByteMs = performance.now() - start;
        bytes += value.byteLength;
        for (const byte of value) if (byte === 10) lines += 1;
      }
    } finally {
      growth = memoire.stop();
    }
    const seconds = (performance.now() - start) / 1000;
    const rows = lines - 1;
    if (rows !== ROWS) throw new Error(`expected ${ROWS} rows, got ${rows}`);
    const measured = {
      heapGrowthMB: growth.heapGrowth / MB,
      rssGrowthMB: growth.rssGrowth / MB,
      rowsPerSecond: rows / seconds,
      firstByteMs,
    };
    const missed: string[] = [];
    const line = (name: keyof typeof TARGETS, higherIsBetter = false) => {
      const ok = higherIsBetter ? measured[name] >= TARGETS[name] : measured[name] <= TARGETS[name];
      if (!ok) missed.push(name);
      return { measure: name, value: Math.round(measured[name] * 10) / 10, target: `${higherIsBetter ? '≥' : '≤'} ${TARGETS[name]}`, ok };
    };
    console.log(`CSV export of ${rows} rows (${(bytes / MB).toFixed(1)} MB) in ${seconds.toFixed(1)} s`);
    console.table([line('heapGrowthMB'), line('rssGrowthMB'), line('rowsPerSecond', true), line('firstByteMs')]);
    if (missed.length) {
      console.error(`targets missed: ${missed.join(', ')}`);
      process.exitCode = 1;
    }
  } finally {
    await hub.stop();
    await database.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
