// Thresholds are judged where the run ends, so the verdict is stored with the run and a
// remote `loadctl serve` judges runs nobody is watching; and, for abortOnFail, at each push.
import { resultMetricsOf } from '../domain/summary.js';
import { abortReasonOf, evaluateDuringRun, evaluateThresholds, runVerdictOf } from '../domain/thresholds.js';
import type { Run } from '../domain/types.js';
import type { Store, Transition } from '../store/store.js';

/**
 * The verdict fields to write with a run's terminal transition: every threshold judged on its
 * result (the patch's final push, else the run's, else its last push). Nothing without
 * thresholds, and nothing for a run that ended before any metrics came in.
 */
export async function verdictPatchOf(store: Store, runId: string, patch: Transition['patch']): Promise<Transition['patch']> {
  const run = await store.getRun(runId);
  if (!run?.thresholds?.length) return {};
  const result: Pick<Run, 'finalMetrics' | 'lastMetrics' | 'startedAt' | 'plugin'> = {};
  if (run.plugin) result.plugin = run.plugin;
  const startedAt = patch?.startedAt ?? run.startedAt;
  if (startedAt) result.startedAt = startedAt;
  const finalMetrics = patch?.finalMetrics ?? run.finalMetrics;
  if (finalMetrics) result.finalMetrics = finalMetrics;
  if (run.lastMetrics) result.lastMetrics = run.lastMetrics;
  // Every push is read only when the run has no result of its own: a long run holds thousands.
  const pushes = resultMetricsOf(result) ? [] : await store.listMetrics(runId);
  if (!resultMetricsOf(result) && pushes.length === 0) return {};
  const thresholdVerdicts = evaluateThresholds(run.thresholds, result, pushes);
  return { thresholdVerdicts, verdict: runVerdictOf(thresholdVerdicts) };
}

/**
 * abortOnFail: why the run should stop now (an abortOnFail threshold already fails on its
 * latest numbers, past its grace period), or undefined to keep running.
 */
export function abortReasonFor(run: Pick<Run, 'thresholds' | 'lastMetrics' | 'startedAt'>): string | undefined {
  const aborting = run.thresholds?.filter((threshold) => threshold.abortOnFail) ?? [];
  if (aborting.length === 0 || !run.lastMetrics || !run.startedAt) return undefined;
  // Both timestamps are the plugin's: one clock.
  const elapsedSeconds = (Date.parse(run.lastMetrics.timestamp) - Date.parse(run.startedAt)) / 1000;
  const failing = evaluateDuringRun(aborting, [run.lastMetrics], elapsedSeconds);
  return failing.length > 0 ? abortReasonOf(failing) : undefined;
}
