// The per-endpoint table shared by the live frame and the run summary: one row per
// endpoint, sorted by name then method, and a bold Total row from the snapshot's totals.
// Given a height, it keeps the busiest endpoints and sums the rest in a "… N more" row.
import { endpointPercentilesOf, totalPercentilesOf } from '../../domain/metric-definitions.js';
import Table from 'cli-table3';
import type { EndpointStats, MetricsSnapshot } from '../../domain/types.js';
import { capAtMax, DASH, failureRatio, formatCount, formatMs, formatPercent, formatRps, msDecimalsFor, type Decimals } from './format.js';
import type { Palette } from './_palette.js';
import { truncateEnd, visibleWidth } from './_text.js';

interface Row {
  label: string;
  requests: number;
  failures: number;
  rps: number;
  /** Absent on the "… N more" row: a sum of latencies means nothing. */
  avg?: number;
  p50?: number;
  p95?: number;
  p99?: number;
  max?: number;
}

interface Column {
  head: string;
  /** Lower drops first when the table does not fit; undefined never drops. */
  dropRank?: number;
  cell(row: Row): string;
}

/** Lines a table takes besides its endpoint rows: borders, header, header rule, Total rule and row. */
export const TABLE_CHROME_LINES = 6;
const ENDPOINT_MIN_WIDTH = 12;
// Columns are dropped before endpoint names get shorter than this: a row nobody can
// identify is worth less than its Max or Avg.
const ENDPOINT_COMFORT_WIDTH = 28;
const CELL_PADDING = 2;

/** Every millisecond column shares one number of decimals, so a percentile never reads above the max beside it. */
function columnsFor(ms: Decimals): Column[] {
  const msCell = (value: number | undefined, row: Row) => (row.avg === undefined ? '' : formatMs(value, ms));
  return [
    { head: 'Endpoint', cell: (row) => row.label },
    { head: 'Requests', cell: (row) => formatCount(row.requests) },
    { head: 'Fails', cell: (row) => `${formatCount(row.failures)} (${formatPercent(failureRatio(row.failures, row.requests))})` },
    { head: 'RPS', dropRank: 5, cell: (row) => formatRps(row.rps) },
    { head: 'Avg ms', dropRank: 2, cell: (row) => msCell(row.avg, row) },
    { head: 'p50', dropRank: 3, cell: (row) => msCell(row.p50, row) },
    { head: 'p95', cell: (row) => msCell(row.p95, row) },
    { head: 'p99', dropRank: 4, cell: (row) => msCell(row.p99, row) },
    { head: 'Max ms', dropRank: 1, cell: (row) => (row.avg === undefined ? '' : row.max === undefined ? DASH : formatMs(row.max, ms)) },
  ];
}

export interface EndpointTableOptions {
  palette: Palette;
  width?: number;
  /** At most this many lines; endpoints beyond it are summed in a "… N more" row. */
  maxLines?: number;
}

/** The fewest lines a table of `endpointCount` endpoints can take (one row, or one "… N more" row). */
export function minTableLines(endpointCount: number): number {
  return TABLE_CHROME_LINES + Math.min(1, endpointCount);
}

export function renderEndpointTable(metrics: MetricsSnapshot, options: EndpointTableOptions): string[] {
  const { palette } = options;
  const rows = endpointRows(Object.values(metrics.requestStats), options.maxLines);
  const total = totalRow(metrics, Object.values(metrics.requestStats));
  const all = [...rows, total];
  const ms = msDecimalsFor(all.flatMap((row) => [row.avg, row.p50, row.p95, row.p99, row.max]));
  const columns = fitColumns(columnsFor(ms), all, options.width);

  const table = new Table({
    head: columns.map((column) => palette.bold(column.head)),
    colAligns: columns.map((column, index) => (index === 0 ? 'left' : 'right')),
    style: { head: [], border: [], compact: true },
  });
  for (const row of rows) table.push(cells(row, columns, palette));
  table.push(cells(total, columns, palette).map((cell) => palette.bold(cell)));

  const lines = table.toString().split('\n');
  // Compact mode draws no row rules; put the header rule back above the Total row.
  const rule = lines[2] ?? '';
  lines.splice(lines.length - 2, 0, rule);
  return lines;
}

/**
 * All endpoints by name when they fit `maxLines`; otherwise the busiest first (a person
 * watching a run cares about where the load goes), then one row summing the others.
 */
function endpointRows(stats: EndpointStats[], maxLines: number | undefined): Row[] {
  const room = maxLines === undefined ? Infinity : Math.max(1, maxLines - TABLE_CHROME_LINES);
  if (stats.length <= room) return sortByName(stats).map(endpointRow);
  const busiest = [...sortByName(stats)].sort((a, b) => b.numRequests - a.numRequests);
  const shown = busiest.slice(0, room - 1);
  const rest = busiest.slice(room - 1);
  const sum = (pick: (entry: EndpointStats) => number) => rest.reduce((total, entry) => total + pick(entry), 0);
  return [
    ...shown.map(endpointRow),
    { label: `… ${rest.length} more`, requests: sum((e) => e.numRequests), failures: sum((e) => e.numFailures), rps: sum((e) => e.requestsPerSec) },
  ];
}

function sortByName(stats: EndpointStats[]): EndpointStats[] {
  const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...stats].sort((a, b) => compare(a.name, b.name) || compare(a.method, b.method));
}

/** Percentiles capped at the row's max: Locust's bucket rounding can put p99 at 24 next to a max of 23.7. */
function latencies(avg: number, [p50, p95, p99]: [number, number, number], max: number | undefined): Pick<Row, 'avg' | 'p50' | 'p95' | 'p99' | 'max'> {
  return { avg, p50: capAtMax(p50, max), p95: capAtMax(p95, max), p99: capAtMax(p99, max), ...(max === undefined ? {} : { max }) };
}

function endpointRow(stats: EndpointStats): Row {
  const { p50, p95, p99 } = endpointPercentilesOf(stats);
  return {
    label: `${stats.method} ${stats.name}`,
    requests: stats.numRequests,
    failures: stats.numFailures,
    rps: stats.requestsPerSec,
    ...latencies(stats.avgResponseTime, [p50, p95, p99], stats.maxResponseTime),
  };
}

function totalRow(metrics: MetricsSnapshot, stats: EndpointStats[]): Row {
  // Pushes before maxResponseMs existed: the largest endpoint maximum is the same number.
  const max = metrics.maxResponseMs ?? (stats.length > 0 ? Math.max(...stats.map((entry) => entry.maxResponseTime ?? 0)) : undefined);
  const { p50, p95, p99 } = totalPercentilesOf(metrics);
  return {
    label: 'Total',
    requests: metrics.totalRequests,
    failures: metrics.totalFailures,
    rps: metrics.totalRps,
    ...latencies(metrics.avgResponseMs, [p50, p95, p99], max),
  };
}

interface FittedColumn extends Column {
  /** Room for the cell text, padding excluded. */
  textWidth: number;
}

/** Drops the least useful columns, then shortens endpoint names, until the table fits `width`. */
function fitColumns(all: Column[], rows: Row[], width: number | undefined): FittedColumn[] {
  let columns: FittedColumn[] = all.map((column) => ({
    ...column,
    textWidth: Math.max(visibleWidth(column.head), ...rows.map((row) => visibleWidth(column.cell(row)))),
  }));
  if (width === undefined) return columns;

  const tableWidth = (cols: FittedColumn[], endpointWidth: number) =>
    cols.slice(1).reduce((sum, col) => sum + col.textWidth + CELL_PADDING, endpointWidth + CELL_PADDING) + cols.length + 1;
  const droppable = columns.filter((col) => col.dropRank !== undefined).sort((a, b) => a.dropRank! - b.dropRank!);
  const wanted = Math.min(columns[0]!.textWidth, ENDPOINT_COMFORT_WIDTH);
  while (tableWidth(columns, wanted) > width && droppable.length > 0) {
    const dropped = droppable.shift();
    columns = columns.filter((col) => col !== dropped);
  }
  const [endpoint, ...rest] = columns as [FittedColumn, ...FittedColumn[]];
  const room = width - tableWidth(columns, 0);
  return [{ ...endpoint, textWidth: Math.max(ENDPOINT_MIN_WIDTH, Math.min(endpoint.textWidth, room)) }, ...rest];
}

/** Keeps the method and the end of the path ("GET …ducts/:id"): paths mostly differ at their end. */
function truncateLabel(label: string, width: number): string {
  if (visibleWidth(label) <= width) return label;
  const space = label.indexOf(' ');
  const method = label.slice(0, space);
  const tailWidth = width - method.length - 2;
  if (space < 0 || tailWidth < 3) return truncateEnd(label, width);
  return `${method} …${[...label.slice(space + 1)].slice(-tailWidth).join('')}`;
}

function cells(row: Row, columns: FittedColumn[], palette: Palette): string[] {
  return columns.map((column, index) => {
    const text = index === 0 ? truncateLabel(column.cell(row), column.textWidth) : column.cell(row);
    return column.head === 'Fails' ? palette.failures(text, row.failures) : text;
  });
}
