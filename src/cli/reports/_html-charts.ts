// The charts of the HTML report: which exist, their markup, and the small browser script that
// draws them with uPlot from the timeline embedded in the page. No network: uPlot is inlined.
import type { TimelinePoint } from './_report-timeline.js';
import { escapeHtml } from './_html-escape.js';

interface ChartSpec {
  id: string;
  title: string;
  series: Array<{ field: keyof TimelinePoint; label: string; colorVar: string; dashed?: boolean }>;
}

export const CHARTS: ChartSpec[] = [
  {
    id: 'users',
    title: 'Users: planned and actual',
    series: [
      { field: 'users', label: 'Actual users', colorVar: '--series-users' },
      { field: 'plannedUsers', label: 'Planned users', colorVar: '--series-planned', dashed: true },
    ],
  },
  { id: 'rps', title: 'Requests per second', series: [{ field: 'rps', label: 'RPS', colorVar: '--series-rps' }] },
  { id: 'failures', title: 'Failures per second', series: [{ field: 'failuresPerSecond', label: 'Failures/s', colorVar: '--series-failures' }] },
  {
    id: 'latency',
    title: 'Response time per interval (ms)',
    series: [
      { field: 'p50ResponseMs', label: 'p50', colorVar: '--series-p50' },
      { field: 'p95ResponseMs', label: 'p95', colorVar: '--series-p95' },
      { field: 'p99ResponseMs', label: 'p99', colorVar: '--series-p99' },
    ],
  },
];

export function renderChartsSection(points: number): string {
  if (points === 0) return '<p class="empty">No metrics were recorded, so there is nothing to chart.</p>';
  const charts = CHARTS.map((chart) => `<figure class="chart"><h3>${escapeHtml(chart.title)}</h3><div class="plot" data-chart="${chart.id}"></div></figure>`);
  return `<div class="charts">${charts.join('')}</div>`;
}

/**
 * Runs in the page after uPlot: reads the report data and the chart specs, draws each chart
 * with the theme's colours, redraws on resize, and marks <html data-charts-ready="N"> when done.
 */
export const CHART_SCRIPT = `
(function () {
  var data = JSON.parse(document.getElementById('loadctl-report-data').textContent);
  var specs = JSON.parse(document.getElementById('loadctl-chart-specs').textContent);
  var points = data.timeline;
  var root = document.documentElement;
  if (points.length === 0 || typeof uPlot !== 'function') { root.setAttribute('data-charts-ready', '0'); return; }
  var style = getComputedStyle(root);
  function cssVar(name) { return style.getPropertyValue(name).trim(); }
  function clock(seconds) {
    var s = Math.max(0, Math.round(seconds));
    var m = Math.floor(s / 60);
    return m + ':' + String(s % 60).padStart(2, '0');
  }
  var x = points.map(function (p) { return p.elapsedSeconds; });
  var axis = { stroke: cssVar('--muted'), grid: { stroke: cssVar('--grid'), width: 1 }, ticks: { stroke: cssVar('--grid'), width: 1 } };
  var plots = [];
  specs.forEach(function (spec) {
    var el = document.querySelector('[data-chart="' + spec.id + '"]');
    var series = [{ label: 'Elapsed' }];
    var columns = [x];
    spec.series.forEach(function (s) {
      var color = cssVar(s.colorVar);
      series.push({ label: s.label, stroke: color, width: 2, fill: spec.series.length === 1 ? color + '22' : undefined,
        dash: s.dashed ? [6, 4] : undefined, points: { show: points.length <= 60, size: 5 } });
      columns.push(points.map(function (p) { return p[s.field]; }));
    });
    var plot = new uPlot({
      width: Math.max(280, el.clientWidth), height: 220,
      legend: { live: false },
      scales: { x: { time: false }, y: { range: function (u, min, max) { return [0, max > 0 ? max * 1.1 : 1]; } } },
      axes: [Object.assign({ values: function (u, vals) { return vals.map(clock); } }, axis), Object.assign({ size: 60 }, axis)],
      series: series,
    }, columns, el);
    plots.push({ plot: plot, el: el });
  });
  window.addEventListener('resize', function () {
    plots.forEach(function (p) { p.plot.setSize({ width: Math.max(280, p.el.clientWidth), height: 220 }); });
  });
  root.setAttribute('data-charts-ready', String(plots.length));
})();
`;
