// A realistic run of the demo products API: 30 s, 5 users ramping up, a push every 2 s with
// the interval's histogram (Locust's rounding), a latency spike mid-run and failing cart posts.
import { countOf, mergeHistograms, percentileOf } from '../../../src/domain/histogram.js';
import { evaluateThresholds, parseThreshold } from '../../../src/domain/thresholds.js';
import type { EndpointStats, ErrorEntry, Histogram, MetricsSnapshot } from '../../../src/domain/types.js';
import type { ReportInput, ReportRun } from '../../../src/cli/reports/index.js';

const START = Date.parse('2026-11-28T10:00:00.000Z');
const at = (seconds: number): string => new Date(START + seconds * 1000).toISOString();

const ENDPOINTS = [
  { method: 'GET', name: '/api/products', share: 5, latency: 18, failRate: 0 },
  { method: 'GET', name: '/api/products/[id]', share: 3, latency: 12, failRate: 0 },
  { method: 'GET', name: '/api/search', share: 2, latency: 55, failRate: 0.01 },
  { method: 'POST', name: '/api/cart/items', share: 1, latency: 30, failRate: 0.08 },
];
const CART_ERROR = "HTTPError('500 Server Error: Internal Server Error for url: http://127.0.0.1:8000/api/cart/items')";

/** Deterministic pseudo-random numbers (mulberry32), so every render of the fixture is the same. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Locust keeps response times to about two significant digits. */
function bucketOf(ms: number): string {
  const value = ms < 100 ? Math.round(ms) : ms < 1000 ? Math.round(ms / 10) * 10 : Math.round(ms / 100) * 100;
  return String(value);
}

export function makePushes(options: { seconds?: number; interval?: number } = {}): MetricsSnapshot[] {
  const { seconds = 30, interval = 2 } = options;
  const next = random(42);
  const histograms = new Map<string, Histogram>(ENDPOINTS.map((e) => [e.name, {}]));
  const totals = new Map<string, { requests: number; failures: number; sum: number; min: number; max: number }>(
    ENDPOINTS.map((e) => [e.name, { requests: 0, failures: 0, sum: 0, min: Infinity, max: 0 }]),
  );
  const pushes: MetricsSnapshot[] = [];
  for (let seq = 1, t = interval; t <= seconds; seq += 1, t += interval) {
    const users = Math.min(5, Math.ceil(t / 2));
    const spike = t >= 14 && t <= 20 ? 6 : 1;
    const interval_: Histogram = {};
    for (const endpoint of ENDPOINTS) {
      const count = Math.round(users * endpoint.share * 0.75 * interval * (0.9 + next() * 0.2));
      const stats = totals.get(endpoint.name)!;
      for (let i = 0; i < count; i += 1) {
        // A long tail: most requests near the typical time, a few several times slower.
        const ms = endpoint.latency * spike * (0.6 + next() * 0.8) * (next() < 0.05 ? 4 + next() * 6 : 1);
        const bucket = bucketOf(ms);
        interval_[bucket] = (interval_[bucket] ?? 0) + 1;
        histograms.get(endpoint.name)![bucket] = (histograms.get(endpoint.name)![bucket] ?? 0) + 1;
        stats.requests += 1;
        stats.sum += ms;
        stats.min = Math.min(stats.min, ms);
        stats.max = Math.max(stats.max, ms);
        if (next() < endpoint.failRate) stats.failures += 1;
      }
    }
    pushes.push(snapshotAt(seq, t, users, interval_, histograms, totals));
  }
  return pushes;
}

function snapshotAt(
  seq: number,
  t: number,
  users: number,
  interval: Histogram,
  histograms: Map<string, Histogram>,
  totals: Map<string, { requests: number; failures: number; sum: number; min: number; max: number }>,
): MetricsSnapshot {
  const requestStats: Record<string, EndpointStats> = {};
  for (const endpoint of ENDPOINTS) {
    const stats = totals.get(endpoint.name)!;
    const histogram = histograms.get(endpoint.name)!;
    requestStats[`${endpoint.method} ${endpoint.name}`] = {
      method: endpoint.method,
      name: endpoint.name,
      numRequests: stats.requests,
      numFailures: stats.failures,
      avgResponseTime: stats.sum / stats.requests,
      minResponseTime: stats.min,
      maxResponseTime: stats.max,
      medianResponseTime: percentileOf(histogram, 0.5),
      p95ResponseTime: percentileOf(histogram, 0.95),
      p99ResponseTime: percentileOf(histogram, 0.99),
      requestsPerSec: stats.requests / t,
    };
  }
  const all = mergeHistograms([...histograms.values()]);
  const totalRequests = countOf(all);
  const totalFailures = Object.values(requestStats).reduce((sum, s) => sum + s.numFailures, 0);
  const cartFailures = requestStats['POST /api/cart/items']!.numFailures;
  const errors: ErrorEntry[] = cartFailures > 0 ? [{ method: 'POST', name: '/api/cart/items', error: CART_ERROR, occurrences: cartFailures }] : [];
  const searchFailures = requestStats['GET /api/search']!.numFailures;
  if (searchFailures > 0) errors.push({ method: 'GET', name: '/api/search', error: 'ConnectionResetError(104, \'Connection reset by peer\')\nTraceback (most recent call last):\n  File "locust/clients.py", line 187', occurrences: searchFailures });
  return {
    seq,
    timestamp: at(t),
    totalRps: totalRequests / t,
    totalRequests,
    totalFailures,
    currentUsers: users,
    errorRate: totalFailures / totalRequests,
    avgResponseMs: Object.values(requestStats).reduce((sum, s) => sum + s.avgResponseTime * s.numRequests, 0) / totalRequests,
    p50ResponseMs: percentileOf(all, 0.5),
    p95ResponseMs: percentileOf(all, 0.95),
    p99ResponseMs: percentileOf(all, 0.99),
    requestStats,
    errors,
    histogram: interval,
  };
}

export function makeRun(pushes: MetricsSnapshot[], overrides: Partial<ReportRun> = {}): ReportRun {
  const last = pushes[pushes.length - 1];
  return {
    id: 'run_7f3a9c',
    loadTestId: 'lt_products',
    scriptRevisionId: 'rev_1',
    status: 'Finished',
    statusHistory: [],
    targetUsers: 5,
    spawnRate: 1,
    durationSeconds: 30,
    targetUrl: 'http://127.0.0.1:8000',
    createdAt: at(-2),
    startedAt: at(0),
    finishedAt: at(30),
    autoStopped: true,
    ...(last ? { lastMetrics: last, finalMetrics: last } : {}),
    ...overrides,
  };
}

export const SAMPLE_THRESHOLDS = ['p95<500ms', 'error_rate<1%', 'rps>=5', 'GET /api/products: p95<100ms', 'GET /api/search: p99<=1.2s'];

/** The products run judged by SAMPLE_THRESHOLDS (some pass, some fail). */
export function makeReportInput(overrides: Partial<ReportInput> = {}): ReportInput {
  const pushes = makePushes();
  const run = makeRun(pushes);
  const verdicts = evaluateThresholds(SAMPLE_THRESHOLDS.map(parseThreshold), run, pushes);
  return { run, testName: 'products', pushes, verdicts, generatedAt: at(31), ...overrides };
}
