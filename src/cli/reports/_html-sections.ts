// The text parts of the HTML report, each from the JSON report so both say the same.
import { formatStages } from '../../domain/load-shape.js';
import { formatMetricColumn } from '../render/_metric-column.js';
import { capAtMax, formatCount, formatDuration, formatMs, formatPercent, formatRps, msDecimalsFor, plural } from '../render/format.js';
import { escapeHtml as esc, formatUtc } from './_html-escape.js';
import type { EndpointRow, JsonReport } from './json-report.js';

const TOP_ERRORS = 20;
const TOP_EXCEPTIONS = 20;

export function renderHeader(report: JsonReport): string {
  const { run, summary } = report;
  const duration = summary.durationSeconds === null
    ? `never started (planned ${formatDuration(summary.plannedDurationSeconds)})`
    : `${formatDuration(summary.durationSeconds)} of ${formatDuration(summary.plannedDurationSeconds)}`;
  // under a load shape the users follow the shape, not targetUsers
  const users = run.shape?.stages ? `stages ${esc(formatStages(run.shape.stages))}` : run.shape ? `load shape ${esc(run.shape.name)}` : plural(run.targetUsers, 'user');
  const meta = [`Run <code>${esc(run.id)}</code>`, esc(summary.status), duration, users, `<code>${esc(run.targetUrl)}</code>`, `started ${formatUtc(run.startedAt)}`];
  return `<header><h1>${esc(run.testName)}</h1><p class="meta">${meta.map((part) => `<span>${part}</span>`).join('')}</p>${renderVerdict(report)}</header>`;
}

function renderVerdict({ run, summary, thresholds }: JsonReport): string {
  const failed = thresholds.filter((verdict) => !verdict.passed).length;
  const judged = thresholds.length === 0 ? 'no thresholds were set' : failed === 0 ? `all ${thresholds.length} thresholds passed` : `${failed} of ${thresholds.length} thresholds failed`;
  if (summary.status === 'Failed') {
    // A Locust error can be a traceback: its first line in the banner, the whole text below.
    const [first = '', ...rest] = (run.error ?? 'the run failed').split('\n');
    const more = rest.length > 0 ? `<details><summary>Full error</summary><pre class="mono">${esc(run.error!)}</pre></details>` : '';
    return banner('fail', `Failed: ${first.trim()}`) + more;
  }
  if (summary.status === 'Stopped' && summary.stoppedEarlyBy) return banner('fail', `Failed: stopped early, ${summary.stoppedEarlyBy}; ${judged}`);
  if (summary.status === 'Stopped') return banner('warn', `Stopped on request before the duration elapsed; ${judged}`);
  if (summary.status !== 'Finished') return banner('warn', `Still ${summary.status} when this report was written; ${judged}`);
  if (summary.endedBy === 'shape') return banner(failed === 0 ? 'pass' : 'fail', `${failed === 0 ? 'Passed' : 'Failed'}: the load shape ended the run and ${judged}`);
  return banner(failed === 0 ? 'pass' : 'fail', `${failed === 0 ? 'Passed' : 'Failed'}: the run finished and ${judged}`);
}

function banner(kind: 'pass' | 'fail' | 'warn', text: string): string {
  return `<p class="verdict ${kind}" data-verdict="${kind}">${esc(text)}</p>`;
}

export function renderCards({ summary }: JsonReport): string {
  const ms = msDecimalsFor([summary.p50ResponseMs, summary.p95ResponseMs, summary.p99ResponseMs]);
  const cards: Array<[string, string]> = [
    ['Requests', formatCount(summary.requests)],
    ['Failures', `${formatCount(summary.failures)} (${formatPercent(summary.errorRate)})`],
    ['Requests/s', formatRps(summary.rps)],
    ['Peak users', formatCount(summary.users.peak)],
    ['p50', `${formatMs(summary.p50ResponseMs, ms)} ms`],
    ['p95', `${formatMs(summary.p95ResponseMs, ms)} ms`],
    ['p99', `${formatMs(summary.p99ResponseMs, ms)} ms`],
    ['Exceptions', formatCount(summary.exceptions)],
  ];
  return `<section class="cards">${cards.map(([label, value]) => `<div class="card"><div class="label">${label}</div><div class="value">${esc(value)}</div></div>`).join('')}</section>`;
}

export function renderThresholdsTable({ thresholds }: JsonReport): string {
  if (thresholds.length === 0) return '<p class="empty">No thresholds were set for this run.</p>';
  const observedColumn = formatMetricColumn(thresholds.map((verdict) => ({ metric: verdict.metric, value: verdict.observed })));
  const limitColumn = formatMetricColumn(thresholds.map((verdict) => ({ metric: verdict.metric, value: verdict.limit })));
  const rows = thresholds.map((verdict, index) => {
    const result = verdict.passed ? '<span class="badge pass">pass</span>' : '<span class="badge fail">fail</span>';
    const observed = observedColumn[index] ?? verdict.reason ?? 'no data';
    const limit = `${verdict.operator} ${limitColumn[index]!}`;
    return `<tr data-threshold-passed="${verdict.passed}"><td>${result}</td><td><code>${esc(verdict.threshold)}</code>${verdict.isDefault ? ' <span class="tag">default</span>' : ''}</td><td class="num">${esc(observed)}</td><td class="num">${esc(limit)}</td><td>${esc(verdict.message)}</td></tr>`;
  });
  return table(['Result', 'Threshold', 'Observed', 'Limit', 'Detail'], [0, 0, 1, 1, 0], rows);
}

export function renderEndpointsTable({ endpoints, summary }: JsonReport): string {
  if (endpoints.length === 0) return '<p class="empty">No requests were recorded.</p>';
  const slowest = Math.max(...endpoints.map((row) => row.maxResponseMs));
  const total: EndpointRow = {
    endpoint: 'Total',
    method: '',
    name: '',
    requests: summary.requests,
    failures: summary.failures,
    errorRate: summary.errorRate,
    rps: summary.rps,
    avgResponseMs: summary.avgResponseMs,
    minResponseMs: Math.min(...endpoints.map((row) => row.minResponseMs)),
    // The slowest request of the run is the slowest of any endpoint.
    maxResponseMs: slowest,
    p50ResponseMs: Math.min(summary.p50ResponseMs, slowest),
    p95ResponseMs: Math.min(summary.p95ResponseMs, slowest),
    p99ResponseMs: Math.min(summary.p99ResponseMs, slowest),
  };
  // Percentiles capped at the max beside them (Locust's buckets round 23.7 up to 24), and
  // one number of decimals for every millisecond column, as in the terminal tables.
  const latencies = [...endpoints, total].map((row) => [
    row.avgResponseMs,
    capAtMax(row.p50ResponseMs, row.maxResponseMs),
    capAtMax(row.p95ResponseMs, row.maxResponseMs),
    capAtMax(row.p99ResponseMs, row.maxResponseMs),
    row.maxResponseMs,
  ]);
  const ms = msDecimalsFor(latencies.flat());
  const rows = [...endpoints, total].map((row, index) => {
    const cells = [
      formatCount(row.requests),
      `${formatCount(row.failures)} (${formatPercent(row.errorRate)})`,
      formatRps(row.rps),
      ...latencies[index]!.map((value) => formatMs(value, ms)),
    ].map((text, index) => `<td class="num${index === 1 && row.failures > 0 ? ' bad' : ''}">${esc(text)}</td>`);
    const label = row === total ? 'Total' : `<code>${esc(row.endpoint)}</code>`;
    return `<tr${row === total ? ' class="total"' : ''}><td>${label}</td>${cells.join('')}</tr>`;
  });
  return table(['Endpoint', 'Requests', 'Failures', 'RPS', 'Avg ms', 'p50 ms', 'p95 ms', 'p99 ms', 'Max ms'], [0, 1, 1, 1, 1, 1, 1, 1, 1], rows);
}

export function renderErrorsTable({ errors }: JsonReport): string {
  if (errors.length === 0) return '<p class="empty">No errors.</p>';
  const rows = errors.slice(0, TOP_ERRORS).map((entry) => {
    // Locust error texts can be tracebacks: show the first line, the rest on demand.
    const [first = '', ...rest] = entry.error.split('\n');
    const text = rest.length > 0 ? `<details><summary>${esc(first)}</summary><pre class="mono">${esc(rest.join('\n'))}</pre></details>` : esc(first);
    return `<tr><td class="num bad">${formatCount(entry.occurrences)}×</td><td><code>${esc(`${entry.method} ${entry.name}`)}</code></td><td>${text}</td></tr>`;
  });
  const more = errors.length > TOP_ERRORS ? `<p class="empty">… and ${plural(errors.length - TOP_ERRORS, 'more kind', 'more kinds')} of error (all of them are in the JSON report).</p>` : '';
  return table(['Count', 'Endpoint', 'Error'], [1, 0, 0], rows) + more;
}

export function renderExceptionsTable({ exceptions }: JsonReport): string {
  if (exceptions.length === 0) return '<p class="empty">No task raised an exception.</p>';
  const rows = exceptions.slice(0, TOP_EXCEPTIONS).map((entry) => {
    const traceback = `<details><summary>${esc(entry.message)}</summary><pre class="mono">${esc(entry.traceback)}</pre></details>`;
    return `<tr><td class="num bad">${formatCount(entry.count)}×</td><td><code>${esc(entry.where || 'unknown')}</code></td><td>${traceback}</td></tr>`;
  });
  const more = exceptions.length > TOP_EXCEPTIONS ? `<p class="empty">… and ${exceptions.length - TOP_EXCEPTIONS} more kinds of exception (all of them are in the JSON report).</p>` : '';
  return table(['Count', 'Where', 'Exception'], [1, 0, 0], rows) + more;
}

function table(heads: string[], numeric: number[], rows: string[]): string {
  const head = heads.map((text, index) => `<th${numeric[index] ? ' class="num"' : ''}>${esc(text)}</th>`).join('');
  return `<div class="table-wrap"><table><thead><tr>${head}</tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
}
