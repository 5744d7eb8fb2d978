// Shared helpers of the bench scripts: alternating rounds, medians with their spread, the machine.
import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** "median (min–max)" with `digits` decimals. */
export function spread(values, digits = 2) {
  const f = (value) => value.toFixed(digits);
  return `${f(median(values))} (${f(Math.min(...values))}–${f(Math.max(...values))})`;
}

/**
 * Runs each variant once per round, alternating which goes first, so a machine that gets
 * busier or quieter over time weighs on both alike. Returns { name: [result per round] }.
 */
export async function alternate(rounds, variants) {
  const names = Object.keys(variants);
  const results = Object.fromEntries(names.map((name) => [name, []]));
  for (let round = 0; round < rounds; round += 1) {
    const order = round % 2 === 0 ? names : [...names].reverse();
    for (const name of order) results[name].push(await variants[name](round));
  }
  return results;
}

/** Cores, memory, load and date: a figure means little without them. */
export function machine() {
  let load = '';
  try {
    load = execFileSync('cat', ['/proc/loadavg'], { encoding: 'utf8' }).split(' ').slice(0, 3).join(' ');
  } catch {
    load = 'unknown';
  }
  return `${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, load ${load}, Node ${process.version}, ${new Date().toISOString()}`;
}

/**
 * The control plane of the build at `dist` (a URL of its dist/ folder) serving `store`, with no
 * Locust behind it (a launch fails). `pushes`: runs seeded Running take pushes for the whole bench
 * without a watchdog ending them.
 */
export async function startBenchControlPlane(dist, store, { pushes = false } = {}) {
  const { startControlPlane } = await import(new URL('controlplane/start-control-plane.js', dist));
  return startControlPlane({
    store, host: '127.0.0.1', port: 0, runtime: async () => { throw new Error('no Locust in this bench'); }, python: async () => 'python3',
    launchSecret: 'bench-launch-secret-0123456789abcdef', recoverRuns: false, log: () => {},
    ...(pushes ? { metricsIntervalSeconds: 3600, timeouts: { silenceFloorMs: 3_600_000, durationGraceMs: 3_600_000 } } : { metricsIntervalSeconds: 1 }),
  });
}

export function header(title) {
  console.log(`\n## ${title}\n${machine()}`);
}
