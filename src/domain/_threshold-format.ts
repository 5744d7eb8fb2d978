// One sentence per verdict, for terminals, JUnit failure messages and HTML tables:
// "p95 was 812 ms, limit < 500 ms". Locale fixed to en-US so output reads the same everywhere.
import { formatNumber } from './number-format.js';
import { metricKindOf, type ThresholdMetric, type ThresholdVerdict } from './_threshold-types.js';

const upToOneDecimal = { format: (value: number) => formatNumber(value, { maximumFractionDigits: 1 }) };
const upToTwoDecimals = { format: (value: number) => formatNumber(value, { maximumFractionDigits: 2 }) };
const whole = { format: (value: number) => formatNumber(value, { maximumFractionDigits: 0 }) };

/** A metric value in its natural unit: "812 ms", "2.5%", "1,204", "41.2". */
export function formatMetricValue(metric: ThresholdMetric, value: number): string {
  switch (metricKindOf(metric)) {
    case 'time':
      return `${upToOneDecimal.format(value)} ms`;
    case 'rate':
      return `${upToTwoDecimals.format(value * 100)}%`;
    case 'count':
      return whole.format(value);
    case 'throughput':
      return upToOneDecimal.format(value);
  }
}

/** The threshold as tables and reports name it; loadctl's defaults say so: "error_rate<1% (default)". */
export function thresholdLabelOf(verdict: Pick<ThresholdVerdict, 'threshold' | 'isDefault'>): string {
  return verdict.isDefault ? `${verdict.threshold} (default)` : verdict.threshold;
}

export function describeVerdict(verdict: ThresholdVerdict): string {
  const subject = verdict.endpoint === undefined ? verdict.metric : `${verdict.endpoint}: ${verdict.metric}`;
  const limit = `limit ${verdict.operator} ${formatMetricValue(verdict.metric, verdict.limit)}`;
  if (verdict.observed === null) {
    if (verdict.metric === 'exceptions') return `${subject}: not measured (this Locust plugin does not report exceptions), ${limit}`;
    const why = verdict.endpoint === undefined ? 'no requests were made' : 'the endpoint got no requests';
    return `${subject}: no data (${why}), ${limit}`;
  }
  return `${subject} was ${formatMetricValue(verdict.metric, verdict.observed)}, ${limit}`;
}
