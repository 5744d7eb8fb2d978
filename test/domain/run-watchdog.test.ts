import { describe, expect, it } from 'vitest';
import { overdueReason, silenceLimitMs } from '../../src/domain/run-watchdog.js';

describe('the silence watchdog’s rule', () => {
  const limits = { silenceFloorMs: 30_000, durationGraceMs: 30_000 };

  it('allows max(3 × interval, the floor) of silence', () => {
    expect(silenceLimitMs(2, limits)).toBe(30_000);
    expect(silenceLimitMs(20, limits)).toBe(60_000);
  });

  it('names silence, then a missing test-stop after the duration, and nothing while pushes come', () => {
    const heard = { startedMs: 0, intervalSeconds: 2, durationSeconds: 60 };
    expect(overdueReason({ ...heard, nowMs: 40_000, lastHeardMs: 39_000 }, limits)).toBeNull();
    expect(overdueReason({ ...heard, nowMs: 40_000, lastHeardMs: 10_000 }, limits)).toBe('no push from the Locust plugin for 30s (limit 30s)');
    expect(overdueReason({ ...heard, nowMs: 95_000, lastHeardMs: 94_000 }, limits)).toBe('no test-stop 35s after the duration of 60s');
  });
});
