// Reads a threshold's text: an optional endpoint, then metric, operator, number and unit.
// Each mistake gets its own message that quotes the threshold and suggests the fix.
import { LoadctlError } from './errors.js';
import { closestMatches } from './_threshold-suggest.js';
import {
  THRESHOLD_METRICS,
  THRESHOLD_OPERATORS,
  isThresholdMetric,
  metricKindOf,
  type Threshold,
  type ThresholdMetric,
  type ThresholdOperator,
} from './_threshold-types.js';

interface Condition {
  metric: ThresholdMetric;
  operator: ThresholdOperator;
  limit: number;
}

const METRIC_LIST = Object.keys(THRESHOLD_METRICS).join(', ');
const OPERATOR_LIST = THRESHOLD_OPERATORS.join(' ');
// Operators people write by habit from other tools, and what they meant.
const OPERATOR_FIXES: Record<string, string> = { '=': '==', '=<': '<=', '=>': '>=', '≤': '<=', '≥': '>=', '<<': '<', '>>': '>' };

export function thresholdError(text: string, problem: string, details: Record<string, unknown> = {}): LoadctlError {
  return new LoadctlError('LOADCTL_THRESHOLD_INVALID', `"${text}": ${problem}`, { details: { threshold: text, ...details } });
}

/**
 * A threshold from its text: "p95<500ms" for the run's totals, "GET /api/products: p95<300ms"
 * for one endpoint ("METHOD name" as in requestStats). Never aborts the run by itself.
 */
export function parseThreshold(input: string): Threshold {
  const text = input.trim();
  if (text === '') throw thresholdError(text, 'empty threshold; write it like p95<500ms or "GET /api/products: p95<300ms"');
  // The condition never holds a colon, so the last one separates it from an endpoint whose
  // name may have its own ("GET /items/:id: p95<300ms").
  const colon = text.lastIndexOf(':');
  const endpoint = colon < 0 ? undefined : endpointOf(text, text.slice(0, colon));
  const condition = parseCondition(text, colon < 0 ? text : text.slice(colon + 1));
  if (endpoint !== undefined && condition.metric === 'exceptions') {
    throw thresholdError(text, `exceptions are counted for the whole run (a task raises, not a request); write it without the endpoint: exceptions${condition.operator}${condition.limit}`);
  }
  return { text, ...condition, ...(endpoint === undefined ? {} : { endpoint }), abortOnFail: false };
}

function endpointOf(text: string, written: string): string {
  const match = /^\s*(\S+)\s+(\S.*?)\s*$/s.exec(written);
  if (!match) {
    const name = written.trim() || '/path';
    throw thresholdError(text, `the endpoint must be "METHOD name" as Locust reports it, e.g. "GET ${name}: p95<300ms"`);
  }
  return `${match[1]} ${match[2]}`;
}

function parseCondition(text: string, condition: string): Condition {
  const match = /^\s*([A-Za-z_][\w-]*)?\s*([<>=!≤≥≠]*)\s*(.*?)\s*$/u.exec(condition)!;
  const [, word, operatorText = '', rest = ''] = match;
  if (!word) throw thresholdError(text, `missing the metric before the operator; write it like p95<500ms (metrics: ${METRIC_LIST})`);
  const metric = metricOf(text, word.toLowerCase());
  const operator = operatorOf(text, metric, operatorText);
  const number = /^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?/i.exec(rest);
  if (!number) {
    const found = rest === '' ? 'nothing' : `"${rest}"`;
    throw thresholdError(text, `missing the number after "${operator}" (found ${found}); write it like ${example(metric, operator)}`);
  }
  const value = Number(number[0]);
  if (value < 0) throw thresholdError(text, `the limit cannot be negative; ${metric} is never below 0`);
  const unit = rest.slice(number[0].length).trim().toLowerCase();
  return { metric, operator, limit: limitOf(text, { metric, operator }, value, unit) };
}

function metricOf(text: string, word: string): ThresholdMetric {
  if (isThresholdMetric(word)) return word;
  // Locust keeps only these percentiles per endpoint, so any other "pNN" is one of them mistyped.
  if (/^p\d+$/.test(word)) throw thresholdError(text, `unknown metric "${word}"; did you mean p50/p95/p99?`);
  const near = closestMatches(word, Object.keys(THRESHOLD_METRICS), 2);
  const hint = near.length > 0 ? `did you mean ${near.join('/')}?` : `known metrics: ${METRIC_LIST}`;
  throw thresholdError(text, `unknown metric "${word}"; ${hint}`);
}

function operatorOf(text: string, metric: ThresholdMetric, written: string): ThresholdOperator {
  if ((THRESHOLD_OPERATORS as readonly string[]).includes(written)) return written as ThresholdOperator;
  if (written === '') throw thresholdError(text, `missing an operator after "${metric}"; use one of ${OPERATOR_LIST}, e.g. ${example(metric, '<')}`);
  const fix = OPERATOR_FIXES[written];
  const hint = fix ? `did you mean "${fix}"?` : `use one of ${OPERATOR_LIST}`;
  throw thresholdError(text, `unknown operator "${written}"; ${hint}`);
}

/** Converts the written number to the metric's base unit, refusing units that do not fit. */
function limitOf(text: string, { metric, operator }: Omit<Condition, 'limit'>, value: number, unit: string): number {
  switch (metricKindOf(metric)) {
    case 'time':
      if (unit === '' || unit === 'ms') return value;
      if (unit === 's') return value * 1000;
      throw thresholdError(text, `${metric} is a response time and takes ms or s, not "${unit}"; e.g. ${metric}${operator}${value}ms`);
    case 'rate':
      if (unit === '%') {
        if (value > 100) throw thresholdError(text, `an error rate cannot be above 100%`);
        return value / 100;
      }
      if (unit !== '') throw thresholdError(text, `error_rate takes % or a fraction, not "${unit}"; e.g. error_rate<1% or error_rate<0.01`);
      if (value > 1) throw thresholdError(text, `without % an error rate is a fraction from 0 to 1; did you mean error_rate${operator}${value}%?`);
      return value;
    case 'count':
      if (unit !== '') throw thresholdError(text, `${metric} counts ${countedOf(metric)} and takes no unit ("${unit}"); e.g. ${metric}${operator}${value}`);
      if (!Number.isInteger(value)) throw thresholdError(text, `${metric} counts ${countedOf(metric)}: use a whole number`);
      return value;
    case 'throughput':
      if (unit !== '' && unit !== '/s') throw thresholdError(text, `rps is requests per second and takes no unit ("${unit}"); e.g. rps${operator}${value}`);
      return value;
  }
}

function countedOf(metric: ThresholdMetric): string {
  return metric === 'exceptions' ? 'task exceptions' : 'requests';
}

function example(metric: ThresholdMetric, operator: ThresholdOperator): string {
  const samples: Record<string, string> = { time: '500ms', rate: '1%', count: '10', throughput: '50' };
  return `${metric}${operator}${samples[metricKindOf(metric)]}`;
}
