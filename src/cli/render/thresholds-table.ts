// The thresholds under a run's summary: one row per verdict (pass/fail, observed, limit),
// headed by how many failed. Regressions against a baseline are verdicts like any other.
import { Chalk } from 'chalk';
import Table from 'cli-table3';
import { thresholdLabelOf, type ThresholdVerdict } from '../../domain/thresholds.js';
import { formatMetricColumn } from './_metric-column.js';
import { truncateEnd } from './_text.js';

const MIN_THRESHOLD_WIDTH = 24;
// Result, observed and limit columns with their padding.
const OTHER_COLUMNS_WIDTH = 44;

export function renderThresholdTable(verdicts: readonly ThresholdVerdict[], options: { color: boolean; width?: number; stoppedEarly?: string }): string {
  // Own Chalk instance (never the global level) so color: false guarantees no ANSI escapes.
  const chalk = new Chalk({ level: options.color ? 1 : 0 });
  const failed = verdicts.filter((verdict) => !verdict.passed).length;
  const passedTitle = verdicts.length === 1 ? 'Thresholds: the 1 threshold passed' : `Thresholds: all ${verdicts.length} passed`;
  const title = failed === 0 ? chalk.green(passedTitle) : chalk.red(`Thresholds: ${failed} of ${verdicts.length} failed`);
  const lines = [chalk.bold(title)];
  if (options.stoppedEarly) lines.push(chalk.red(`Stopped early: ${options.stoppedEarly}`));
  const textWidth = Math.max(MIN_THRESHOLD_WIDTH, (options.width ?? 120) - OTHER_COLUMNS_WIDTH);
  const table = new Table({
    head: ['Result', 'Threshold', 'Observed', 'Limit'].map((head) => chalk.bold(head)),
    colAligns: ['left', 'left', 'right', 'right'],
    style: { head: [], border: [], compact: true },
  });
  const observedColumn = formatMetricColumn(verdicts.map((verdict) => ({ metric: verdict.metric, value: verdict.observed })));
  const limitColumn = formatMetricColumn(verdicts.map((verdict) => ({ metric: verdict.metric, value: verdict.limit })));
  for (const [index, verdict] of verdicts.entries()) {
    const observed = observedColumn[index] ?? verdict.reason ?? 'no data';
    table.push([
      verdict.passed ? chalk.green('pass') : chalk.red('FAIL'),
      truncateEnd(thresholdLabelOf(verdict), textWidth),
      verdict.passed ? observed : chalk.red(observed),
      `${verdict.operator} ${limitColumn[index]!}`,
    ]);
  }
  lines.push(table.toString());
  return lines.join('\n');
}
