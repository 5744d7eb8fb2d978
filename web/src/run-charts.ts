import { lineChart, type Chart } from './charts.js';
import type { TimePoint } from './types.js';

export interface RunCharts {
  elements: HTMLElement[];
  show(points: TimePoint[]): void;
  destroy(): void;
}

/** Users; requests and failures per second; p50/p95/p99: one point per push. */
export function runCharts(): RunCharts {
  const users = lineChart('Users', [{ label: 'users', colorVar: '--c1' }], { id: 'chart-users' });
  const throughput = lineChart('Requests and failures per second', [{ label: 'RPS', colorVar: '--c2' }, { label: 'failures/s', colorVar: '--c-bad', dash: [6, 4] }], { id: 'chart-rps' });
  const latency = lineChart(
    'Response time percentiles (ms)',
    [
      { label: 'p50', colorVar: '--c1' },
      { label: 'p95', colorVar: '--c3', dash: [8, 4] },
      { label: 'p99', colorVar: '--c-bad', dash: [2, 3] },
    ],
    { id: 'chart-latency' },
  );
  const charts: Chart[] = [users, throughput, latency];
  return {
    elements: charts.map((chart) => chart.element),
    show(points) {
      const xs = points.map((point) => Date.parse(point.timestamp) / 1000);
      users.setData(xs, [points.map((point) => point.users)]);
      throughput.setData(xs, [points.map((point) => point.rps), points.map((point) => (point.requests > 0 ? (point.rps * point.failures) / point.requests : 0))]);
      latency.setData(xs, [points.map((point) => point.p50ResponseMs), points.map((point) => point.p95ResponseMs), points.map((point) => point.p99ResponseMs)]);
    },
    destroy: () => charts.forEach((chart) => chart.destroy()),
  };
}
