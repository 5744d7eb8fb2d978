import { describe, expect, it } from 'vitest';
import { histogramWithout, isSupersededPush, overlappingSeqs, pushWithoutOverlap } from '../../src/domain/push-overlap.js';
import type { MetricsSnapshot } from '../../src/domain/types.js';

const at = (second: number): string => new Date(Date.UTC(2025, 0, 1) + second * 1000).toISOString();
const push = (seq: number, from: number, to: number, totalRequests: number, histogram: Record<string, number>): MetricsSnapshot => ({
  seq, timestamp: at(to), intervalStart: at(from), intervalEnd: at(to), totalRps: 0, totalRequests, totalFailures: 0, currentUsers: 1, errorRate: 0,
  avgResponseMs: 0, p50ResponseMs: 0, p95ResponseMs: 0, p99ResponseMs: 0, errors: [], histogram,
  requestStats: { 'GET /': { method: 'GET', name: '/', numRequests: totalRequests, numFailures: 0, avgResponseTime: 0, minResponseTime: 0, maxResponseTime: 0, medianResponseTime: 0, p95ResponseTime: 0, p99ResponseTime: 0, requestsPerSec: 0 } },
}); // prettier-ignore

describe('a push whose base is older than pushes already stored (RELIABILITY.md, 28 for 25)', () => {
  it('takes out the stored pushes between its base and itself', () => {
    expect(overlappingSeqs([1, 2, 3, 5], 1, 5)).toEqual([2, 3]);
    expect(overlappingSeqs([1, 2], 2, 3)).toEqual([]);
  });

  it('subtracts their buckets, never below zero', () => {
    expect(histogramWithout({ '12': 20, '40': 3 }, [{ '12': 5 }, { '40': 3, '99': 1 }])).toEqual({ '12': 15 });
  });

  it('starts its interval where the last stored one ended, with the rates over that interval', () => {
    // seq 3 was stored (+3), its answer lost; seq 4 counts from seq 2: 25 − 5 = +20
    const corrected = pushWithoutOverlap(push(4, 4, 8, 25, { '10': 20 }), [push(3, 4, 6, 8, { '10': 3 })]);
    expect(corrected.histogram).toEqual({ '10': 17 });
    expect(corrected.intervalStart).toBe(at(6));
    expect(corrected.totalRps).toBe((25 - 8) / 2);
    expect(corrected.requestStats['GET /']!.requestsPerSec).toBe((25 - 8) / 2);
  });

  it('a push older than one stored changes nothing', () => {
    expect(isSupersededPush(3, 4)).toBe(true);
    expect(isSupersededPush(5, 4)).toBe(false);
    expect(isSupersededPush(1, undefined)).toBe(false);
  });
});
