// What a CI step sees after a run: the exit code from status and verdicts, regressions against
// a baseline as verdicts, and which run `--baseline last-passed` picks.
import { describe, expect, it } from 'vitest';
import { LAST_PASSED, resolveBaseline } from '../../../src/cli/commands/_baseline.js';
import { exitCodeFor, verdictsOf } from '../../../src/cli/commands/_run-outcome.js';
import type { ApiClient } from '../../../src/controlplane/client.js';
import type { RunView } from '../../../src/controlplane/views.js';
import type { ThresholdVerdict } from '../../../src/domain/thresholds.js';
import type { StatusChange } from '../../../src/domain/types.js';
import { makeMetricsSnapshot, makeRun } from '../render/_fixtures.js';

const PASSED: ThresholdVerdict = { threshold: 'p95<1s', metric: 'p95', operator: '<', limit: 1000, observed: 40, passed: true };
const FAILED: ThresholdVerdict = { threshold: 'p95<1ms', metric: 'p95', operator: '<', limit: 1, observed: 40, passed: false };

function view(overrides: Partial<RunView> = {}): RunView {
  const { callbackToken: _secret, ...run } = makeRun();
  return { ...run, ...overrides };
}

const stoppedBy = (reason: string): StatusChange[] => [
  { from: 'Running', to: 'Stopping', at: '2026-11-28T10:01:10.000Z', reason },
  { from: 'Stopping', to: 'Stopped', at: '2026-11-28T10:01:11.000Z', reason },
];

describe('exitCodeFor', () => {
  const finished = view({ status: 'Finished' });
  it.each([
    ['Finished, thresholds passed', finished, false, [PASSED], 0],
    ['Finished, no thresholds', finished, false, [], 0],
    ['Finished, a threshold failed', finished, false, [PASSED, FAILED], 1],
    ['Stopped by an abortOnFail threshold', view({ status: 'Stopped', statusHistory: stoppedBy('threshold failed: p95 was 40 ms, limit < 1 ms') }), false, [FAILED], 1],
    ['Stopped on request, thresholds failed', view({ status: 'Stopped', statusHistory: stoppedBy('stop requested') }), false, [FAILED], 2],
    ['Failed, thresholds passed', view({ status: 'Failed' }), false, [PASSED], 2],
    ['interrupted, whatever else', view({ status: 'Stopped', statusHistory: stoppedBy('threshold failed: x') }), true, [FAILED], 130],
  ])('%s → %i', (_label, run, interrupted, verdicts, code) => {
    expect(exitCodeFor(run, interrupted, verdicts)).toBe(code);
  });
});

describe('verdictsOf', () => {
  it('adds a regression verdict per compared metric against the baseline, after the stored ones', () => {
    const baseline = view({ id: 'run_base', finalMetrics: makeMetricsSnapshot({ p95ResponseMs: 40 }) });
    const current = view({ id: 'run_now', thresholdVerdicts: [PASSED], finalMetrics: makeMetricsSnapshot({ p95ResponseMs: 60 }) });
    const verdicts = verdictsOf(current, { run: baseline, maxRegressionPercent: 10 });
    expect(verdicts[0]).toEqual(PASSED);
    expect(verdicts.find((verdict) => verdict.threshold === 'p95 within 10% of baseline (40 ms)')).toMatchObject({ observed: 60, limit: 44, operator: '<=', passed: false });
    expect(verdicts.find((verdict) => verdict.threshold === 'p50 within 10% of baseline (12 ms)')).toMatchObject({ passed: true });
    // An unchanged run passes every regression check.
    expect(verdictsOf(baseline, { run: baseline, maxRegressionPercent: 10 }).every((verdict) => verdict.passed)).toBe(true);
  });

  it('adds nothing without a baseline, or when the run has no numbers', () => {
    const noMetrics = view({ finalMetrics: undefined, lastMetrics: undefined, thresholdVerdicts: [FAILED] });
    expect(verdictsOf(noMetrics, { run: view(), maxRegressionPercent: 10 })).toEqual([FAILED]);
    expect(verdictsOf(view())).toEqual([]);
  });
});

describe('resolveBaseline', () => {
  /** Just the two calls resolveBaseline makes, over a fixed list of runs (newest first). */
  function clientOver(runs: RunView[], calls: string[] = []): ApiClient {
    return {
      getRun: async (id: string) => {
        const run = runs.find((candidate) => candidate.id === id);
        if (!run) throw Object.assign(new Error(`No run has id ${id}.`), { code: 'LOADCTL_RUN_NOT_FOUND' });
        return run;
      },
      listRuns: async (query: { loadTestId?: string; status?: string; limit?: number; offset?: number }) => {
        calls.push(JSON.stringify(query));
        const matching = runs.filter((run) => run.loadTestId === query.loadTestId && run.status === query.status);
        return { items: matching.slice(query.offset ?? 0, (query.offset ?? 0) + (query.limit ?? 50)), total: matching.length };
      },
    } as unknown as ApiClient;
  }

  it('last-passed: the newest Finished run of the test whose thresholds passed or that had none', async () => {
    const runs = [
      view({ id: 'run_failed_thresholds', status: 'Finished', verdict: 'failed' }),
      view({ id: 'run_stopped', status: 'Stopped', verdict: 'passed' }),
      view({ id: 'run_other_test', status: 'Finished', loadTestId: 't_other' }),
      view({ id: 'run_passed', status: 'Finished', verdict: 'passed' }),
      view({ id: 'run_older', status: 'Finished' }),
    ];
    const calls: string[] = [];
    expect((await resolveBaseline(clientOver(runs, calls), LAST_PASSED, 't_products'))?.id).toBe('run_passed');
    expect(calls).toEqual([JSON.stringify({ loadTestId: 't_products', status: 'Finished', limit: 100, offset: 0 })]);
    expect((await resolveBaseline(clientOver(runs.slice(0, 3)), LAST_PASSED, 't_products'))).toBeNull();
  });

  it('a run id: that run, refused (exit 3) when it has no numbers to compare with', async () => {
    const runs = [view({ id: 'run_good' }), view({ id: 'run_empty', status: 'Failed', finalMetrics: undefined, lastMetrics: undefined })];
    expect((await resolveBaseline(clientOver(runs), 'run_good', 't_products'))?.id).toBe('run_good');
    await expect(resolveBaseline(clientOver(runs), 'run_empty', 't_products')).rejects.toMatchObject({ code: 'LOADCTL_CONFIG_INVALID', message: expect.stringContaining('--baseline run_empty: that run has no metrics') });
  });
});
