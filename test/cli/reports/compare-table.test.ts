import { describe, expect, it } from 'vitest';
import { compareRuns, type ComparableRun } from '../../../src/domain/compare.js';
import type { EndpointStats, MetricsSnapshot } from '../../../src/domain/types.js';
import { renderComparison } from '../../../src/cli/reports/index.js';

function stats(method: string, name: string, rps: number, p95: number, failures = 0): EndpointStats {
  return {
    method,
    name,
    numRequests: 1000,
    numFailures: failures,
    avgResponseTime: p95 / 2,
    minResponseTime: 1,
    maxResponseTime: p95 * 3,
    medianResponseTime: p95 / 4,
    p95ResponseTime: p95,
    p99ResponseTime: p95 * 2,
    requestsPerSec: rps,
  };
}

function run(id: string, endpoints: EndpointStats[]): ComparableRun {
  const totalRequests = endpoints.reduce((sum, entry) => sum + entry.numRequests, 0);
  const totalFailures = endpoints.reduce((sum, entry) => sum + entry.numFailures, 0);
  const finalMetrics: MetricsSnapshot = {
    seq: 1,
    timestamp: '2026-11-28T10:00:30.000Z',
    totalRps: endpoints.reduce((sum, entry) => sum + entry.requestsPerSec, 0),
    totalRequests,
    totalFailures,
    currentUsers: 0,
    errorRate: totalFailures / totalRequests,
    avgResponseMs: 50,
    p50ResponseMs: 20,
    p95ResponseMs: Math.max(...endpoints.map((entry) => entry.p95ResponseTime)),
    p99ResponseMs: 400,
    requestStats: Object.fromEntries(endpoints.map((entry) => [`${entry.method} ${entry.name}`, entry])),
    errors: [],
    histogram: {},
  };
  return { id, finalMetrics };
}

const baseline = run('run_a', [stats('GET', '/api/products', 100, 200), stats('POST', '/api/cart/items', 20, 80)]);
const current = run('run_b', [stats('GET', '/api/products', 130, 300, 10), stats('GET', '/health', 5, 4)]);
const comparison = compareRuns(baseline, current, { tolerancePercent: 10 });

describe('renderComparison', () => {
  it('shows baseline → current with the change, and endpoints found in one run only', () => {
    const text = renderComparison(comparison, { color: false });
    expect(text).not.toMatch(/\u001b\[/);
    const lines = text.split('\n');
    expect(lines[0]).toBe('Run run_b against baseline run_a (tolerance 10%)');
    const products = lines.find((line) => line.includes('GET /api/products'))!;
    expect(products).toContain('100.0 → 130.0 (+30%)');
    expect(products).toContain('200 → 300 (+50%)');
    expect(products).toContain('0.0% → 1.0% (new)');
    expect(lines.find((line) => line.includes('POST /api/cart/items'))).toContain('only in the baseline run');
    expect(lines.find((line) => line.includes('GET /health'))).toContain('only in the current run');
    expect(text).toContain('regressions beyond 10%:');
    expect(text).toContain('no longer requested: POST /api/cart/items');
    expect(text).toMatch(/worse: Total p95, Total error_rate, .*GET \/api\/products p95/);
  });

  it('colours worse cells red and better ones green when asked', () => {
    const text = renderComparison(comparison, { color: true });
    expect(text).toContain('\u001b[31m200 → 300 (+50%)');
    expect(text).toContain('\u001b[32m100.0 → 130.0 (+30%)');
  });

  it('says when nothing regressed', () => {
    const same = compareRuns(baseline, baseline, { tolerancePercent: 5 });
    expect(renderComparison(same, { color: false }).split('\n').at(-1)).toBe('No regression beyond 5%.');
  });
});
