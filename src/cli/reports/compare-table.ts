// `loadctl compare`-style table: per endpoint, baseline → current and the change for each
// compared metric; red when worse beyond the tolerance, green when better beyond it.
import { Chalk } from 'chalk';
import Table from 'cli-table3';
import { COMPARED_METRICS, type ComparedMetric, type EndpointComparison, type MetricDelta, type RunComparison } from '../../domain/compare.js';
import { formatNumber } from '../../domain/number-format.js';
import { formatMs, formatPercent, formatRps, msDecimalsFor, type Decimals } from '../render/format.js';

const HEADS: Record<ComparedMetric, string> = { rps: 'RPS', p50: 'p50 ms', p95: 'p95 ms', p99: 'p99 ms', error_rate: 'Errors' };
const PRESENCE_NOTES = {
  'baseline-only': 'only in the baseline run (not requested by the current one)',
  'current-only': 'only in the current run (new endpoint)',
  neither: 'no requests in either run',
} as const;
const signedPercent = { format: (value: number) => formatNumber(value, { maximumFractionDigits: 1, signDisplay: 'exceptZero' }) };

export function renderComparison(result: RunComparison, options: { color: boolean }): string {
  // Own Chalk instance (never the global level) so color: false guarantees no ANSI escapes.
  const chalk = new Chalk({ level: options.color ? 1 : 0 });
  const table = new Table({
    head: ['Endpoint', ...COMPARED_METRICS.map((metric) => HEADS[metric])].map((head) => chalk.bold(head)),
    colAligns: ['left', ...COMPARED_METRICS.map(() => 'right' as const)],
    style: { head: [], border: [], compact: true },
  });
  const parts = [...result.endpoints, result.total];
  // One number of decimals per millisecond column, for baseline and current alike.
  const msDecimals = Object.fromEntries(
    COMPARED_METRICS.map((metric) => [metric, msDecimalsFor(parts.flatMap((part) => (part.deltas ? [part.deltas[metric].baseline, part.deltas[metric].current] : [])))]),
  ) as Record<ComparedMetric, Decimals>;
  for (const part of parts) {
    const label = part.endpoint ?? chalk.bold('Total');
    if (part.presence !== 'both' || !part.deltas) {
      const note = PRESENCE_NOTES[part.presence as keyof typeof PRESENCE_NOTES];
      const paint = part.presence === 'baseline-only' ? chalk.red : chalk.dim;
      table.push([label, { colSpan: COMPARED_METRICS.length, content: paint(note) }]);
      continue;
    }
    table.push([label, ...COMPARED_METRICS.map((metric) => deltaCell(metric, part.deltas![metric], result.tolerancePercent, msDecimals[metric], chalk))]);
  }
  const title = `Run ${result.currentRunId} against baseline ${result.baselineRunId} (tolerance ${result.tolerancePercent}%)`;
  return [chalk.bold(title), table.toString(), verdictLine(result, chalk)].join('\n');
}

function deltaCell(metric: ComparedMetric, delta: MetricDelta, tolerancePercent: number, ms: Decimals, chalk: InstanceType<typeof Chalk>): string {
  const format = metric === 'rps' ? formatRps : metric === 'error_rate' ? formatPercent : (value: number) => formatMs(value, ms);
  const change = delta.percent === null ? 'new' : `${signedPercent.format(delta.percent)}%`;
  const text = `${format(delta.baseline)} → ${format(delta.current)} (${change})`;
  if (delta.worse) return chalk.red(text);
  return isBetter(metric, delta, tolerancePercent) ? chalk.green(text) : text;
}

/** The mirror of `worse`: moved the good way by more than the tolerance. */
function isBetter(metric: ComparedMetric, delta: MetricDelta, tolerancePercent: number): boolean {
  if (delta.percent === null) return metric === 'rps';
  return metric === 'rps' ? delta.percent > tolerancePercent : delta.percent < -tolerancePercent;
}

function verdictLine(result: RunComparison, chalk: InstanceType<typeof Chalk>): string {
  const parts: EndpointComparison[] = [result.total, ...result.endpoints];
  const worse = parts.flatMap((part) =>
    COMPARED_METRICS.filter((metric) => part.deltas?.[metric].worse).map((metric) => `${part.endpoint ?? 'Total'} ${metric}`),
  );
  const gone = parts.filter((part) => part.presence === 'baseline-only').map((part) => part.endpoint ?? 'Total');
  if (worse.length === 0 && gone.length === 0) return chalk.green(`No regression beyond ${result.tolerancePercent}%.`);
  const lines = [chalk.red(`${worse.length + gone.length} regression${worse.length + gone.length === 1 ? '' : 's'} beyond ${result.tolerancePercent}%:`)];
  if (worse.length > 0) lines.push(`  worse: ${worse.join(', ')}`);
  if (gone.length > 0) lines.push(`  no longer requested: ${gone.join(', ')}`);
  return lines.join('\n');
}
