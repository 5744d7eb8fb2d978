// Realistic pushes of one run from a seeded generator: intervals of 1–3 s that sometimes
// overlap the push before, Locust-like histogram buckets, endpoints with errors, pushes
// without a histogram (the replaced system's plugin), users that ramp and a load shape's
// planned users, and a final push that is a stop sliver of a few ms.
import type { Histogram, MetricsSnapshot } from '../../src/domain/types.js';

/** mulberry32: a small seeded generator, so a failing case can be replayed from its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Response times rounded as Locust rounds them (two significant digits): 0–99, 110, 120 … 9900.
const BUCKETS = [0, 1, 2, 3, 5, 8, 9, 12, 17, 23, 40, 56, 99, 110, 120, 250, 480, 990, 1000, 2400, 9900];

export interface RandomRunOptions {
  pushes: number;
  /** Epoch ms of the test start. */
  startMs: number;
  /** Pushes without intervalStart/intervalEnd, as loadctl stored them before it sent those. */
  withoutIntervals?: boolean;
  /** End with a stop sliver (the final push of a few ms). */
  stopSliver?: boolean;
}

export function randomPushes(random: () => number, options: RandomRunOptions): MetricsSnapshot[] {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const pushes: MetricsSnapshot[] = [];
  let endMs = options.startMs;
  let requests = 0;
  let failures = 0;
  for (let seq = 1; seq <= options.pushes; seq += 1) {
    const sliver = options.stopSliver === true && seq === options.pushes;
    // An interval may start a little before the last one ended (a lost acknowledgement).
    const startMs = endMs - (random() < 0.15 ? Math.floor(random() * 400) : 0);
    endMs += sliver ? 2 + Math.floor(random() * 40) : 1000 + Math.floor(random() * 2000);
    const noHistogram = random() < 0.08;
    const histogram: Histogram = {};
    let counted = 0;
    if (!noHistogram) {
      for (let index = 0; index < 1 + Math.floor(random() * 8); index += 1) {
        const count = Math.floor(random() * 50);
        histogram[String(pick(BUCKETS))] = (histogram[String(pick(BUCKETS))] ?? 0) + count;
        counted += count;
      }
    }
    const newRequests = noHistogram ? Math.floor(random() * 40) : counted;
    const newFailures = Math.floor(newRequests * random() * 0.3);
    requests += newRequests;
    failures += newFailures;
    const users = Math.min(20, seq * 2 + Math.floor(random() * 3));
    const endpoint = { method: 'GET', name: '/items/[id]', numRequests: requests, numFailures: failures, avgResponseTime: 20, minResponseTime: 1, maxResponseTime: 9900, medianResponseTime: 17, p50ResponseTime: 17, p95ResponseTime: 480, p99ResponseTime: 990, requestsPerSec: 3 };
    const at = new Date(endMs).toISOString();
    pushes.push({
      seq,
      timestamp: at,
      ...(options.withoutIntervals ? {} : { intervalStart: new Date(startMs).toISOString(), intervalEnd: at }),
      totalRps: 3,
      totalRequests: requests,
      totalFailures: failures,
      currentUsers: sliver ? 0 : users,
      ...(random() < 0.5 ? { targetUsers: 20 } : {}),
      peakUsers: users,
      errorRate: requests === 0 ? 0 : failures / requests,
      avgResponseMs: 20,
      p50ResponseMs: pick(BUCKETS),
      p95ResponseMs: 480,
      p99ResponseMs: 990,
      ...(random() < 0.5 ? { maxResponseMs: pick([300, 2400, 9900]) } : {}),
      requestStats: { 'GET /items/[id]': endpoint, 'POST /cart.add': { ...endpoint, method: 'POST', name: '/cart.add' } },
      errors: failures === 0 ? [] : [{ method: 'GET', name: '/items/[id]', error: 'HTTPError(503)', occurrences: failures }],
      histogram,
    });
  }
  return pushes;
}

/** Query options worth comparing on such a run: no step, steps shorter and longer than a push, windows (with and without a step) that cut pushes, hold only the sliver or nothing. */
export function timeseriesOptionsFor(random: () => number, startMs: number, endMs: number): { fromMs?: number; toMs?: number; stepSeconds?: number }[] {
  const inside = (): number => startMs + Math.floor(random() * (endMs - startMs));
  const [a, b] = [inside(), inside()].sort((x, y) => x - y) as [number, number];
  return [
    {},
    { stepSeconds: 1 },
    { stepSeconds: 2 },
    { stepSeconds: 5 },
    { stepSeconds: 7 },
    { stepSeconds: 60 },
    { fromMs: a, toMs: b + 1 },
    { fromMs: a, toMs: b + 1, stepSeconds: 3 },
    { fromMs: a },
    { toMs: b, stepSeconds: 4 },
    { fromMs: endMs - 100, toMs: endMs + 10_000 },
    { fromMs: startMs - 10_000, toMs: startMs - 5000 },
    { fromMs: startMs - 2500, stepSeconds: 2 },
  ];
}
