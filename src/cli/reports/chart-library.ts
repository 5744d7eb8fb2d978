// Reads the charting library the HTML report inlines. uPlot: about 50 KB minified, canvas,
// no dependencies, made for time series; Chart.js would be four times the size per report.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

export interface ChartLibrary {
  name: string;
  version: string;
  /** Minified browser build that defines the global `uPlot`. */
  script: string;
  css: string;
}

export async function loadChartLibrary(): Promise<ChartLibrary> {
  const require = createRequire(import.meta.url);
  const [script, css, manifest] = await Promise.all([
    readFile(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'),
    readFile(require.resolve('uplot/dist/uPlot.min.css'), 'utf8'),
    readFile(require.resolve('uplot/package.json'), 'utf8'),
  ]);
  return { name: 'uPlot', version: (JSON.parse(manifest) as { version: string }).version, script, css };
}
