// Rows of the JSON report, built field by field from the domain's shapes.
import { endpointResultOf } from '../../domain/summary.js';
import { describeVerdict, type ThresholdVerdict } from '../../domain/thresholds.js';
import type { EndpointStats } from '../../domain/types.js';
import type { EndpointRow, JsonReport } from './json-report.js';

// Field by field, so whatever else a stored verdict carries never leaks into the report.
export function thresholdEntry(verdict: ThresholdVerdict): JsonReport['thresholds'][number] {
  const { threshold, metric, endpoint, operator, limit, observed, passed, reason } = verdict;
  return {
    threshold,
    metric,
    ...(endpoint === undefined ? {} : { endpoint }),
    operator,
    limit,
    observed,
    passed,
    ...(reason === undefined ? {} : { reason }),
    message: describeVerdict(verdict),
  };
}

export function endpointRow(stats: EndpointStats): EndpointRow {
  return { endpoint: `${stats.method} ${stats.name}`, ...endpointResultOf(stats) };
}

// Code-point order, like the terminal tables: the same on every machine.
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
