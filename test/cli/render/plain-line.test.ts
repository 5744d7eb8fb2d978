import { describe, expect, it } from 'vitest';
import { formatPlainLine } from '../../../src/cli/render/plain-line.js';
import { ANSI, makeLiveView, makeMetricsSnapshot } from './_fixtures.js';

describe('formatPlainLine', () => {
  it('puts the clock, users, requests, failures, rps and percentiles on one line', () => {
    expect(formatPlainLine(makeLiveView())).toBe(
      '[00:06/00:30] users 5/5 | reqs 1,234 | fails 3 (0.2%) | rps 41.2 | p50 12 ms | p95 40 ms | p99 80 ms',
    );
  });

  it('names the status when it is not Running', () => {
    const line = formatPlainLine(makeLiveView({ status: 'Stopping', elapsedSeconds: 30 }));
    expect(line.startsWith('[00:30/00:30] Stopping | users 5/5 |')).toBe(true);
  });

  it('says it is waiting before the first metrics', () => {
    expect(formatPlainLine(makeLiveView({ status: 'Starting', elapsedSeconds: 1, metrics: undefined }))).toBe(
      '[00:01/00:30] Starting | waiting for Locust…',
    );
  });

  it('is a single line without colour', () => {
    const line = formatPlainLine(makeLiveView({ metrics: makeMetricsSnapshot({ currentUsers: 3, totalRps: 1234.56 }) }));
    expect(line).not.toMatch(ANSI);
    expect(line).not.toContain('\n');
    expect(line).toContain('users 3/5');
    expect(line).toContain('rps 1,234.6');
  });
});

describe('formatPlainLine decimals', () => {
  it('gives p50, p95 and p99 one number of decimals', () => {
    const line = formatPlainLine(makeLiveView({ metrics: makeMetricsSnapshot({ p50ResponseMs: 1.3, p95ResponseMs: 4, p99ResponseMs: 4 }) }));
    expect(line).toContain('p50 1.3 ms | p95 4.0 ms | p99 4.0 ms');
  });

  it("under a load shape shows the shape's target and stage, not users/targetUsers (issue 12)", () => {
    const shaped = makeLiveView({
      targetUsers: 1,
      durationSeconds: 20,
      shape: { kind: 'script', name: 'UpDown' },
      metrics: makeMetricsSnapshot({ currentUsers: 6, targetUsers: 6, shapeStage: { index: 2, count: 3 } }),
    });
    const line = formatPlainLine(shaped);
    expect(line).toContain('users 6 (shape target 6, stage 2/3)');
    expect(line).not.toContain('6/1');
    // a script's shape ends the run itself: its duration is an upper bound
    expect(line.startsWith('[00:06/≤00:20]')).toBe(true);
    const stages = formatPlainLine(makeLiveView({ shape: { kind: 'stages', name: 'stages', plannedSeconds: 30 }, metrics: makeMetricsSnapshot({ currentUsers: 4, targetUsers: 5 }) }));
    expect(stages).toContain('[00:06/00:30] users 4 (shape target 5)');
  });
});
