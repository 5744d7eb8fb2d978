// `loadctl runs compare BASELINE RUN`: per endpoint, how throughput, latency and errors moved.
import { compareRuns } from '../../domain/compare.js';
import { EXIT } from '../exit-codes.js';
import { useColor } from '../io.js';
import { renderComparison } from '../reports/index.js';
import { printJson, type CommandDeps } from './_with-client.js';

export interface CompareRunsOptions {
  baselineRunId: string;
  currentRunId: string;
  tolerancePercent: number;
  json: boolean;
  /** Exit 1 when anything is worse than the tolerance; otherwise comparing is informational (exit 0). */
  failOnRegression: boolean;
}

export async function compareRunsCommand(options: CompareRunsOptions, { client, io }: CommandDeps): Promise<number> {
  const [baseline, current] = await Promise.all([client.getRun(options.baselineRunId), client.getRun(options.currentRunId)]);
  const comparison = compareRuns(baseline, current, { tolerancePercent: options.tolerancePercent });
  if (options.json) printJson(io, comparison);
  else io.stdout.write(`${renderComparison(comparison, { color: useColor(io) })}\n`);
  return options.failOnRegression && comparison.regressed ? EXIT.THRESHOLD_FAILED : EXIT.OK;
}
