// After a run has ended: its verdicts (the stored thresholds plus regressions against a
// baseline), the thresholds table, the report files, and the exit code a CI step acts on.
import type { ControlPlaneApi } from '../../controlplane/client.js';
import type { RunView } from '../../controlplane/views.js';
import { regressionVerdicts } from '../../domain/compare.js';
import { resultMetricsOf } from '../../domain/summary.js';
import { allThresholdsPassed, stoppedByThreshold, thresholdAbortOf, type ThresholdVerdict } from '../../domain/thresholds.js';
import { EXIT } from '../exit-codes.js';
import { useColor, widthOf, type CliIo } from '../io.js';
import { renderThresholdTable } from '../render/index.js';
import { writeReportFiles, type ReportPaths } from '../reports/index.js';

export interface Baseline {
  run: RunView;
  maxRegressionPercent: number;
}

/** The stored verdicts, then one per compared metric against the baseline (when both runs have numbers). */
export function verdictsOf(run: RunView, baseline?: Baseline | null): ThresholdVerdict[] {
  const stored = run.thresholdVerdicts ?? [];
  if (!baseline || !resultMetricsOf(run)) return stored;
  return [...stored, ...regressionVerdicts(baseline.run, run, baseline.maxRegressionPercent)];
}

/**
 * 130 interrupted > 2 the run did not finish (Failed, or Stopped other than by an abortOnFail
 * threshold) > 1 a threshold failed (a run stopped by one included) > 0.
 */
export function exitCodeFor(run: Pick<RunView, 'status' | 'statusHistory'>, interrupted: boolean, verdicts: readonly ThresholdVerdict[] = []): number {
  if (interrupted) return EXIT.INTERRUPTED;
  if (stoppedByThreshold(run)) return EXIT.THRESHOLD_FAILED;
  if (run.status !== 'Finished') return EXIT.RUN_FAILED;
  return allThresholdsPassed(verdicts) ? EXIT.OK : EXIT.THRESHOLD_FAILED;
}

/** The thresholds table for under the summary; empty when the run had none. */
export function renderVerdicts(run: RunView, verdicts: readonly ThresholdVerdict[], io: CliIo): string {
  if (verdicts.length === 0) {
    return run.thresholds?.length ? `Thresholds: not judged (${run.thresholds.length} set): the run ended before Locust reported any metrics.` : '';
  }
  const stoppedEarly = stoppedByThreshold(run) ? thresholdAbortOf(run) : undefined;
  return renderThresholdTable(verdicts, { color: useColor(io), width: widthOf(io), ...(stoppedEarly ? { stoppedEarly } : {}) });
}

export function hasReports(paths: ReportPaths): boolean {
  return Boolean(paths.json || paths.junit || paths.html);
}

/** Writes the reports asked for from the run, its pushes and `verdicts`; returns the absolute paths. */
export async function writeRunReports(options: { client: ControlPlaneApi; run: RunView; testName: string; verdicts: readonly ThresholdVerdict[]; paths: ReportPaths; now: () => Date }): Promise<string[]> {
  const { client, run, testName, verdicts, paths, now } = options;
  if (!hasReports(paths)) return [];
  const pushes = (await client.listMetrics(run.id)).items;
  return writeReportFiles(paths, { run, testName, pushes, verdicts, generatedAt: now().toISOString() });
}
