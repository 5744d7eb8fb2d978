import { describe, expect, it } from 'vitest';
import { compareRuns, regressionVerdicts, type ComparableRun } from '../../src/domain/compare.js';
import { describeVerdict } from '../../src/domain/thresholds.js';
import type { EndpointStats, MetricsSnapshot } from '../../src/domain/types.js';

function stats(method: string, name: string, numbers: { requests: number; failures: number; rps: number; p50: number; p95: number; p99: number }): EndpointStats {
  return {
    method,
    name,
    numRequests: numbers.requests,
    numFailures: numbers.failures,
    avgResponseTime: numbers.p50,
    minResponseTime: 1,
    maxResponseTime: numbers.p99 * 2,
    medianResponseTime: numbers.p50,
    p95ResponseTime: numbers.p95,
    p99ResponseTime: numbers.p99,
    requestsPerSec: numbers.rps,
  };
}

function runWith(id: string, totals: { rps: number; requests: number; failures: number; p50: number; p95: number; p99: number }, endpoints: EndpointStats[]): ComparableRun {
  const finalMetrics: MetricsSnapshot = {
    seq: 15,
    timestamp: '2026-11-28T10:00:30.000Z',
    totalRps: totals.rps,
    totalRequests: totals.requests,
    totalFailures: totals.failures,
    currentUsers: 0,
    errorRate: totals.failures / totals.requests,
    avgResponseMs: totals.p50,
    p50ResponseMs: totals.p50,
    p95ResponseMs: totals.p95,
    p99ResponseMs: totals.p99,
    requestStats: Object.fromEntries(endpoints.map((entry) => [`${entry.method} ${entry.name}`, entry])),
    errors: [],
    histogram: {},
  };
  return { id, finalMetrics };
}

// Baseline: products 100 rps, p95 200 ms, 1% errors. Current: products p95 +25%, rps −5%,
// errors 1% → 3%; search the same; cart gone; a new health check.
const baseline = runWith('run_base', { rps: 150, requests: 4500, failures: 45, p50: 50, p95: 200, p99: 400 }, [
  stats('GET', '/api/products', { requests: 3000, failures: 30, rps: 100, p50: 50, p95: 200, p99: 400 }),
  stats('GET', '/api/search', { requests: 1000, failures: 0, rps: 33.3, p50: 80, p95: 300, p99: 500 }),
  stats('POST', '/api/cart/items', { requests: 500, failures: 15, rps: 16.7, p50: 40, p95: 90, p99: 120 }),
]);
const current = runWith('run_new', { rps: 140, requests: 4200, failures: 92, p50: 52, p95: 205, p99: 440 }, [
  stats('GET', '/api/products', { requests: 3000, failures: 90, rps: 95, p50: 52, p95: 250, p99: 420 }),
  stats('GET', '/api/search', { requests: 1000, failures: 0, rps: 33.3, p50: 80, p95: 300, p99: 500 }),
  stats('GET', '/health', { requests: 350, failures: 0, rps: 11.7, p50: 2, p95: 4, p99: 6 }),
]);

describe('compareRuns', () => {
  const comparison = compareRuns(baseline, current, { tolerancePercent: 10 });

  it('gives absolute and relative deltas per endpoint, and flags moves the bad way beyond the tolerance', () => {
    const products = comparison.endpoints.find((entry) => entry.endpoint === 'GET /api/products')!;
    expect(products.presence).toBe('both');
    expect(products.deltas!.p95).toEqual({ baseline: 200, current: 250, absolute: 50, percent: 25, worse: true });
    expect(products.deltas!.rps).toEqual({ baseline: 100, current: 95, absolute: -5, percent: -5, worse: false });
    expect(products.deltas!.p99).toMatchObject({ absolute: 20, percent: 5, worse: false });
    expect(products.deltas!.error_rate.baseline).toBeCloseTo(0.01);
    expect(products.deltas!.error_rate.current).toBeCloseTo(0.03);
    expect(products.deltas!.error_rate.percent).toBeCloseTo(200);
    expect(products.deltas!.error_rate.worse).toBe(true);
  });

  it('marks unchanged endpoints as not worse and compares the totals', () => {
    const search = comparison.endpoints.find((entry) => entry.endpoint === 'GET /api/search')!;
    expect(Object.values(search.deltas!).map((delta) => [delta.percent, delta.worse])).toEqual(Array(5).fill([0, false]));
    expect(comparison.total.endpoint).toBeUndefined();
    expect(comparison.total.deltas!.rps).toMatchObject({ absolute: -10, worse: false });
    expect(comparison.total.deltas!.error_rate.worse).toBe(true);
  });

  it('flags endpoints present in only one run, sorted by key', () => {
    expect(comparison.endpoints.map((entry) => [entry.endpoint, entry.presence])).toEqual([
      ['GET /api/products', 'both'],
      ['GET /api/search', 'both'],
      ['GET /health', 'current-only'],
      ['POST /api/cart/items', 'baseline-only'],
    ]);
    expect(comparison.endpoints[2]!.deltas).toBeUndefined();
    expect(comparison.regressed).toBe(true);
    expect(comparison).toMatchObject({ baselineRunId: 'run_base', currentRunId: 'run_new', tolerancePercent: 10 });
  });

  it('treats rps falling beyond the tolerance as worse, and a rise from zero errors as worse', () => {
    const slow = runWith('slow', { rps: 100, requests: 3000, failures: 3, p50: 50, p95: 200, p99: 400 }, []);
    const base = runWith('base', { rps: 150, requests: 4500, failures: 0, p50: 50, p95: 200, p99: 400 }, []);
    const { total } = compareRuns(base, slow, { tolerancePercent: 10 });
    expect(total.deltas!.rps).toMatchObject({ percent: expect.closeTo(-33.33, 2), worse: true });
    expect(total.deltas!.error_rate).toMatchObject({ baseline: 0, current: 0.001, percent: null, worse: true });
    expect(compareRuns(base, base, { tolerancePercent: 0 }).regressed).toBe(false);
  });

  it('compares runs without metrics as absent', () => {
    const empty: ComparableRun = { id: 'empty' };
    expect(compareRuns(empty, empty, { tolerancePercent: 5 })).toMatchObject({ total: { presence: 'neither' }, endpoints: [], regressed: false });
    expect(compareRuns(empty, current, { tolerancePercent: 5 }).total.presence).toBe('current-only');
  });
});

describe('regressionVerdicts', () => {
  const verdicts = regressionVerdicts(baseline, current, 10);

  it('turns each compared metric into a threshold around the baseline', () => {
    const p95 = verdicts.find((verdict) => verdict.threshold.startsWith('GET /api/products: p95'))!;
    expect(p95).toEqual({
      threshold: 'GET /api/products: p95 within 10% of baseline (200 ms)',
      metric: 'p95',
      endpoint: 'GET /api/products',
      operator: '<=',
      limit: expect.closeTo(220, 6),
      observed: 250,
      passed: false,
    });
    expect(describeVerdict(p95)).toBe('GET /api/products: p95 was 250 ms, limit <= 220 ms');
    const rps = verdicts.find((verdict) => verdict.threshold.startsWith('GET /api/products: rps'))!;
    expect(rps).toMatchObject({ operator: '>=', limit: 90, observed: 95, passed: true });
  });

  it('fails an endpoint the current run no longer requests and ignores new ones', () => {
    const cart = verdicts.filter((verdict) => verdict.endpoint === 'POST /api/cart/items');
    expect(cart).toEqual([
      { threshold: 'POST /api/cart/items: requests>0 (requested in the baseline run)', metric: 'requests', endpoint: 'POST /api/cart/items', operator: '>', limit: 0, observed: 0, passed: false },
    ]);
    expect(verdicts.some((verdict) => verdict.endpoint === 'GET /health')).toBe(false);
  });

  it('lists the failures a CI step would report', () => {
    expect(verdicts.filter((verdict) => !verdict.passed).map((verdict) => verdict.threshold)).toEqual([
      'error_rate within 10% of baseline (1%)',
      'GET /api/products: p95 within 10% of baseline (200 ms)',
      'GET /api/products: error_rate within 10% of baseline (1%)',
      'POST /api/cart/items: requests>0 (requested in the baseline run)',
    ]);
    // Totals plus two shared endpoints, five metrics each, plus the vanished cart.
    expect(verdicts).toHaveLength(16);
  });
});
