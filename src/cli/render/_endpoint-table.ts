// The per-endpoint table shared by the live frame and the run summary: one row per
// endpoint, sorted by name then method, and a bold Total row from the snapshot's totals.
import { endpointPercentilesOf, totalPercentilesOf } from '../../domain/metric-definitions.js';
import Table from 'cli-table3';
import type { EndpointStats, MetricsSnapshot } from '../../domain/types.js';
import { DASH, failureRatio, formatCount, formatMs, formatPercent, formatRps } from './format.js';
import type { Palette } from './_palette.js';
import { truncateEnd, visibleWidth } from './_text.js';

interface Row {
  label: string;
  requests: number;
  failures: number;
  rps: number;
  avg: number;
  p50: number;
  p95: number;
  p99: number;
  max: number | undefined;
}

interface Column {
  head: string;
  /** Lower drops first when the table does not fit; undefined never drops. */
  dropRank?: number;
  cell(row: Row): string;
}

const COLUMNS: Column[] = [
  { head: 'Endpoint', cell: (row) => row.label },
  { head: 'Requests', cell: (row) => formatCount(row.requests) },
  { head: 'Fails', cell: (row) => `${formatCount(row.failures)} (${formatPercent(failureRatio(row.failures, row.requests))})` },
  { head: 'RPS', dropRank: 5, cell: (row) => formatRps(row.rps) },
  { head: 'Avg ms', dropRank: 2, cell: (row) => formatMs(row.avg) },
  { head: 'p50', dropRank: 3, cell: (row) => formatMs(row.p50) },
  { head: 'p95', cell: (row) => formatMs(row.p95) },
  { head: 'p99', dropRank: 4, cell: (row) => formatMs(row.p99) },
  { head: 'Max ms', dropRank: 1, cell: (row) => (row.max === undefined ? DASH : formatMs(row.max)) },
];
const ENDPOINT_MIN_WIDTH = 12;
// Columns are dropped before endpoint names get shorter than this: a row nobody can
// identify is worth less than its Max or Avg.
const ENDPOINT_COMFORT_WIDTH = 28;
const CELL_PADDING = 2;

export function renderEndpointTable(metrics: MetricsSnapshot, options: { palette: Palette; width?: number }): string[] {
  const { palette } = options;
  const endpoints = sortEndpoints(Object.values(metrics.requestStats)).map(endpointRow);
  const total = totalRow(metrics, endpoints);
  const columns = fitColumns([...endpoints, total], options.width);

  const table = new Table({
    head: columns.map((column) => palette.bold(column.head)),
    colAligns: columns.map((column, index) => (index === 0 ? 'left' : 'right')),
    style: { head: [], border: [], compact: true },
  });
  for (const row of endpoints) table.push(cells(row, columns, palette));
  table.push(cells(total, columns, palette).map((cell) => palette.bold(cell)));

  const lines = table.toString().split('\n');
  // Compact mode draws no row rules; put the header rule back above the Total row.
  const rule = lines[2] ?? '';
  lines.splice(lines.length - 2, 0, rule);
  return lines;
}

function sortEndpoints(stats: EndpointStats[]): EndpointStats[] {
  const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...stats].sort((a, b) => compare(a.name, b.name) || compare(a.method, b.method));
}

function endpointRow(stats: EndpointStats): Row {
  const { p50, p95, p99 } = endpointPercentilesOf(stats);
  return {
    label: `${stats.method} ${stats.name}`,
    requests: stats.numRequests,
    failures: stats.numFailures,
    rps: stats.requestsPerSec,
    avg: stats.avgResponseTime,
    p50,
    p95,
    p99,
    max: stats.maxResponseTime,
  };
}

function totalRow(metrics: MetricsSnapshot, endpoints: Row[]): Row {
  const maxes = endpoints.map((row) => row.max ?? 0);
  const { p50, p95, p99 } = totalPercentilesOf(metrics);
  return {
    label: 'Total',
    requests: metrics.totalRequests,
    failures: metrics.totalFailures,
    rps: metrics.totalRps,
    avg: metrics.avgResponseMs,
    p50,
    p95,
    p99,
    // Pushes before maxResponseMs existed: the largest endpoint maximum is the same number.
    max: metrics.maxResponseMs ?? (maxes.length > 0 ? Math.max(...maxes) : undefined),
  };
}

interface FittedColumn extends Column {
  /** Room for the cell text, padding excluded. */
  textWidth: number;
}

/** Drops the least useful columns, then shortens endpoint names, until the table fits `width`. */
function fitColumns(rows: Row[], width: number | undefined): FittedColumn[] {
  let columns: FittedColumn[] = COLUMNS.map((column) => ({
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
