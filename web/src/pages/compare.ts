import { api, query } from '../api.js';
import { lineChart } from '../charts.js';
import { h, replaceChildren } from '../dom.js';
import { formatNumber, formatPercent, formatTime } from '../format.js';
import type { View } from '../main.js';
import { dataTable } from '../table.js';
import type { EndpointComparison, MetricDelta, Page, Run, RunComparison, TimePoint } from '../types.js';

const METRICS: Array<[string, string, number]> = [
  ['rps', 'RPS', 1],
  ['p50', 'p50 ms', 0],
  ['p95', 'p95 ms', 0],
  ['p99', 'p99 ms', 0],
  ['error_rate', 'Error rate', -1],
];

/** Two runs: their charts overlaid (seconds from each start) and the per-endpoint deltas of `runs compare`. */
export const comparePage: View = async (main, route) => {
  const baseline = route.params.get('baseline') ?? '';
  const current = route.params.get('current') ?? '';
  const recent = await api<Page<Run>>('/v1/runs?limit=50');
  const choose = (name: string, label: string, value: string) =>
    h(
      'div',
      { class: 'field' },
      h('label', { for: `compare-${name}` }, label),
      h('select', { id: `compare-${name}`, name }, h('option', { value: '' }, 'Choose a run'), recent.items.map((run) => h('option', { value: run.id, selected: run.id === value }, `${run.name ?? run.id} · ${run.status} · ${formatTime(run.createdAt)}`))),
    );
  const form = h(
    'form',
    { class: 'filters', 'aria-label': 'Runs to compare', onsubmit: (event: Event) => submit(event) },
    choose('baseline', 'Baseline', baseline),
    choose('current', 'Current', current),
    h('button', { type: 'submit' }, 'Compare'),
  );
  function submit(event: Event): void {
    event.preventDefault();
    const data = new FormData(form);
    location.hash = `#/compare${query({ baseline: String(data.get('baseline') ?? ''), current: String(data.get('current') ?? '') })}`;
  }
  if (!baseline || !current) {
    replaceChildren(main, h('h1', {}, 'Compare runs'), form, h('p', {}, 'Choose a baseline run and a current run.'));
    return;
  }

  const [comparison, before, after] = await Promise.all([
    api<RunComparison>(`/v1/runs/compare${query({ baseline, current })}`),
    api<{ points: TimePoint[] }>(`/v1/runs/${encodeURIComponent(baseline)}/metrics/timeseries`),
    api<{ points: TimePoint[] }>(`/v1/runs/${encodeURIComponent(current)}/metrics/timeseries`),
  ]);
  // Both runs on one axis: seconds since each one's first point.
  const offsets = (points: TimePoint[]) => {
    const first = points[0] ? Date.parse(points[0].timestamp) : 0;
    return points.map((point) => Math.round((Date.parse(point.timestamp) - first) / 100) / 10);
  };
  const xs = [...new Set([...offsets(before.points), ...offsets(after.points)])].sort((a, b) => a - b);
  const align = (points: TimePoint[], read: (point: TimePoint) => number) => {
    const byX = new Map(offsets(points).map((x, index) => [x, read(points[index]!)]));
    return xs.map((x) => byX.get(x) ?? null);
  };
  const rpsChart = lineChart('RPS, baseline and current', [{ label: 'baseline RPS', colorVar: '--c1', dash: [6, 4] }, { label: 'current RPS', colorVar: '--c2' }], { id: 'chart-compare-rps', x: 'seconds' });
  rpsChart.setData(xs, [align(before.points, (p) => p.rps), align(after.points, (p) => p.rps)]);
  const p95Chart = lineChart('p95 (ms), baseline and current', [{ label: 'baseline p95', colorVar: '--c1', dash: [6, 4] }, { label: 'current p95', colorVar: '--c3' }], { id: 'chart-compare-p95', x: 'seconds' });
  p95Chart.setData(xs, [align(before.points, (p) => p.p95ResponseMs), align(after.points, (p) => p.p95ResponseMs)]);

  const show = (value: number, digits: number) => (digits < 0 ? formatPercent(value) : formatNumber(value, digits));
  const deltaCell = (delta: MetricDelta | undefined, digits: number) =>
    delta
      ? h(
          'span',
          { class: delta.worse ? 'worse' : '' },
          `${show(delta.baseline, digits)} → ${show(delta.current, digits)} `,
          h('span', { class: 'delta' }, delta.percent === null ? '(new)' : `(${delta.percent > 0 ? '+' : ''}${formatNumber(delta.percent, 1)} %)`),
          delta.worse ? h('strong', {}, ' ▲ worse') : '',
        )
      : '—';
  const rows: EndpointComparison[] = [{ ...comparison.total, endpoint: 'All endpoints' }, ...comparison.endpoints];
  const table = dataTable<EndpointComparison>(
    `Baseline ${comparison.baselineRunId} → current ${comparison.currentRunId} (worse: beyond ${comparison.tolerancePercent} %)`,
    [
      { title: 'Endpoint', cell: (row) => row.endpoint ?? '', value: (row) => row.endpoint ?? '' },
      { title: 'In', cell: (row) => row.presence },
      ...METRICS.map(([metric, title, digits]) => ({ title, cell: (row: EndpointComparison) => deltaCell(row.deltas?.[metric], digits), value: (row: EndpointComparison) => row.deltas?.[metric]?.percent ?? 0, numeric: true })),
    ],
    rows,
    { id: 'compare-table' },
  );
  replaceChildren(
    main,
    h('h1', {}, 'Compare runs'),
    form,
    h('p', { id: 'compare-verdict', class: comparison.regressed ? 'notice error' : 'notice info' }, comparison.regressed ? '✖ The current run is worse than the baseline beyond the tolerance.' : '✔ No regression beyond the tolerance.'),
    h('section', { class: 'charts', 'aria-label': 'Charts' }, rpsChart.element, p95Chart.element),
    table.element,
  );
  return () => {
    rpsChart.destroy();
    p95Chart.destroy();
  };
};
