// A column of threshold values (observed or limit) whose metrics differ: each unit keeps one
// number of decimals down the column, so "12.0 ms" sits under "12.3 ms", never "12 ms".
import { THRESHOLD_METRICS, type ThresholdMetric } from '../../domain/thresholds.js';
import { formatNumber } from '../../domain/number-format.js';
import { formatCount, formatMs, formatRps, msDecimalsFor } from './format.js';

const MAX_PERCENT_DECIMALS = 2;
const percentFormats = [0, 1, 2].map((digits) => ({ format: (value: number) => formatNumber(value, { minimumFractionDigits: digits, maximumFractionDigits: digits }) }));

export interface MetricValue {
  metric: ThresholdMetric;
  value: number | null;
}

/** Each value in its unit ("812 ms", "0.25%", "1,204", "41.2"); undefined where the value is null. */
export function formatMetricColumn(entries: readonly MetricValue[]): Array<string | undefined> {
  const valuesOf = (kind: string) => entries.filter((entry) => entry.value !== null && THRESHOLD_METRICS[entry.metric] === kind).map((entry) => entry.value!);
  const ms = msDecimalsFor(valuesOf('time'));
  const percent = percentDecimalsFor(valuesOf('rate'));
  return entries.map(({ metric, value }) => {
    if (value === null) return undefined;
    switch (THRESHOLD_METRICS[metric]) {
      case 'time':
        return `${formatMs(value, ms)} ms`;
      case 'rate':
        return `${percentFormats[percent]!.format(value * 100)}%`;
      case 'count':
        return formatCount(value);
      case 'throughput':
        return formatRps(value);
    }
  });
}

/** The fewest decimals (up to two) that show every rate of the column: 1% and 0.25% → "1.00%", "0.25%". */
function percentDecimalsFor(ratios: number[]): number {
  const needed = (ratio: number) => {
    const hundredths = Math.round(ratio * 100 * 10 ** MAX_PERCENT_DECIMALS);
    return hundredths % 100 === 0 ? 0 : hundredths % 10 === 0 ? 1 : 2;
  };
  return Math.max(0, ...ratios.map(needed));
}
