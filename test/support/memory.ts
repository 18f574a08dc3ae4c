import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

// A full garbage collection on demand, so that the samples measure what is retained, not garbage
// V8 has not collected yet (its peak heap follows its own heuristics, not the program's needs).
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function sample(): NodeJS.MemoryUsage {
  gc();
  return process.memoryUsage();
}

/**
 * Samples this process's live heap (after a full GC) and RSS every `intervalMs` until `stop`,
 * which returns their peak growth over the first sample, in bytes. A full GC is costly with a
 * whole hub in the process: sample as rarely as the measured growth allows.
 */
export function sampleMemory(intervalMs: number): { stop(): { heapGrowth: number; rssGrowth: number } } {
  const before = sample();
  let peakHeap = before.heapUsed;
  let peakRss = before.rss;
  const timer = setInterval(() => {
    const m = sample();
    peakHeap = Math.max(peakHeap, m.heapUsed);
    peakRss = Math.max(peakRss, m.rss);
  }, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      return { heapGrowth: peakHeap - before.heapUsed, rssGrowth: peakRss - before.rss };
    },
  };
}
