// Time series charts with uPlot (bundled from node_modules: no CDN). Each series differs by
// dash as well as colour, and the legend names it: colour is never the only signal.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { h } from './dom.js';

export interface SeriesSpec {
  label: string;
  /** A CSS custom property holding the colour (light and dark themes set it). */
  colorVar: string;
  dash?: number[];
  scale?: string;
}

export interface Chart {
  element: HTMLElement;
  /** xs in epoch seconds; one array per series. */
  setData(xs: number[], ys: Array<Array<number | null>>): void;
  points(): number;
  destroy(): void;
}

const HEIGHT = 220;

function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';
}

/** A chart in a figure with a caption; `x` says what the x axis is. */
export function lineChart(title: string, series: SeriesSpec[], options: { id: string; x?: 'time' | 'seconds' | 'run'; axes?: Array<{ scale: string; label: string }> }): Chart {
  const figure = h('figure', { class: 'chart', id: options.id, 'data-points': '0' }, h('figcaption', {}, title));
  const holder = h('div', { class: 'chart-canvas', role: 'img', 'aria-label': `${title} chart; the tables on this page hold the same numbers` });
  figure.append(holder);
  const axisColor = cssVar('--fg-muted');
  const gridColor = cssVar('--grid');
  const axisScales = options.axes ?? [{ scale: series[0]?.scale ?? 'y', label: '' }];
  const xIsTime = (options.x ?? 'time') === 'time';
  const opts: uPlot.Options = {
    width: 600,
    height: HEIGHT,
    scales: { x: { time: xIsTime } },
    series: [
      { label: options.x === 'seconds' ? 'second' : options.x === 'run' ? 'run' : 'time' },
      ...series.map((spec) => ({ label: spec.label, stroke: cssVar(spec.colorVar), width: 2, scale: spec.scale ?? axisScales[0]!.scale, ...(spec.dash ? { dash: spec.dash } : {}), spanGaps: true })),
    ],
    axes: [
      { stroke: axisColor, grid: { stroke: gridColor, width: 1 }, ticks: { stroke: gridColor } },
      ...axisScales.map((axis, index) => ({ scale: axis.scale, label: axis.label, stroke: axisColor, grid: { stroke: gridColor, width: 1, show: index === 0 }, ticks: { stroke: gridColor }, ...(index > 0 ? { side: 1 as const } : {}) })),
    ],
  };
  let data: uPlot.AlignedData = [[], ...series.map(() => [])];
  const plot = new uPlot(opts, data, holder);
  const fit = (): void => plot.setSize({ width: Math.max(280, holder.clientWidth || figure.clientWidth || 600), height: HEIGHT });
  const observer = new ResizeObserver(fit);
  observer.observe(figure);
  return {
    element: figure,
    setData(xs, ys) {
      data = [xs, ...ys] as uPlot.AlignedData;
      plot.setData(data);
      figure.setAttribute('data-points', String(xs.length));
    },
    points: () => data[0].length,
    destroy() {
      observer.disconnect();
      plot.destroy();
    },
  };
}
