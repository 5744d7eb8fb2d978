import { describe, expect, it } from 'vitest';
import { evaluateThresholds, ownThresholdsOf, parseThreshold, runVerdictOf, thresholdLabelOf, withDefaultThresholds } from '../../src/domain/thresholds.js';
import type { MetricsSnapshot } from '../../src/domain/types.js';

function result(overrides: Partial<MetricsSnapshot>): MetricsSnapshot {
  return {
    seq: 3, timestamp: '2026-11-29T10:00:10.000Z', totalRps: 4, totalRequests: 40, totalFailures: 0, currentUsers: 2, errorRate: 0,
    avgResponseMs: 10, p50ResponseMs: 9, p95ResponseMs: 20, p99ResponseMs: 30, requestStats: {}, errors: [], histogram: {}, totalExceptions: 0,
    ...overrides,
  };
}

function verdictOf(thresholds: ReturnType<typeof withDefaultThresholds>, metrics: MetricsSnapshot) {
  const verdicts = evaluateThresholds(thresholds, { finalMetrics: metrics }, []);
  return { verdict: runVerdictOf(verdicts), failed: verdicts.filter((v) => !v.passed).map(thresholdLabelOf) };
}

describe('default thresholds', () => {
  const alone = withDefaultThresholds([], true);
  const withOwn = withDefaultThresholds([parseThreshold('p95<500ms')], true);

  it('judge a run without thresholds of its own: a request made, under 1% failed, no task raised', () => {
    expect(alone.map((t) => [t.text, t.isDefault])).toEqual([['requests>=1', true], ['error_rate<1%', true], ['exceptions==0', true]]);
    expect(verdictOf(alone, result({}))).toEqual({ verdict: 'passed', failed: [] });
    // nothing sent: no error rate to speak of either
    expect(verdictOf(alone, result({ totalRequests: 0 })).failed).toEqual(['requests>=1 (default)', 'error_rate<1% (default)']);
    expect(verdictOf(alone, result({ totalFailures: 40 })).failed).toEqual(['error_rate<1% (default)']);
    expect(verdictOf(alone, result({ totalFailures: 1, totalRequests: 100 })).failed).toEqual(['error_rate<1% (default)']);
    expect(verdictOf(alone, result({ totalExceptions: 392 })).failed).toEqual(['exceptions==0 (default)']);
  });

  it('add only "not every request failed" to thresholds of its own', () => {
    expect(withOwn.map((t) => [t.text, t.isDefault ?? false])).toEqual([['p95<500ms', false], ['error_rate<100%', true]]);
    expect(verdictOf(withOwn, result({ totalFailures: 39 })).verdict).toBe('passed');
    expect(verdictOf(withOwn, result({ totalFailures: 40 })).failed).toEqual(['error_rate<100% (default)']);
  });

  it('are left out when turned off, and never abort a run', () => {
    expect(withDefaultThresholds([], false)).toEqual([]);
    expect([...alone, ...withOwn].every((t) => !t.abortOnFail)).toBe(true);
    expect(ownThresholdsOf(withOwn).map((t) => t.text)).toEqual(['p95<500ms']);
  });
});
