import { describe, expect, it } from 'vitest';
import { renderLiveFrame } from '../../../src/cli/render/live-frame.js';
import { ANSI, makeEndpointStats, makeLiveView, makeMetricsSnapshot } from './_fixtures.js';

const plain = { color: false, width: 120 };
const visible = (line: string) => [...line.replace(/\x1b\[[0-9;]*m/g, '')].length;

describe('renderLiveFrame', () => {
  it('has a header with test, run, status, users, clock, time left and progress', () => {
    const [header] = renderLiveFrame(makeLiveView(), plain);
    expect(header).toBe('products-api · run r_7f3a9c · Running · users 5/5 · 00:06 / 00:30 · 24s left · ███░░░░░░░░░░░░░ 20%');
  });

  it('has no ANSI escapes at all when colour is off', () => {
    const lines = renderLiveFrame(makeLiveView({ status: 'Failed' }), plain);
    for (const line of lines) expect(line).not.toMatch(ANSI);
  });

  it('colours the status and failures when colour is on', () => {
    const frame = renderLiveFrame(makeLiveView(), { color: true, width: 120 }).join('\n');
    expect(frame).toContain('\x1b[36mRunning\x1b[39m');
    expect(frame).toContain('\x1b[31m3 (1.4%)\x1b[39m');
    expect(frame).not.toContain('\x1b[31m0 (0.0%)');
  });

  it('has one row per endpoint, sorted by name then method', () => {
    const metrics = makeMetricsSnapshot({
      endpoints: [
        makeEndpointStats('POST', '/api/products'),
        makeEndpointStats('GET', '/api/search'),
        makeEndpointStats('GET', '/api/products'),
        makeEndpointStats('GET', '/api/cart'),
      ],
    });
    const lines = renderLiveFrame(makeLiveView({ metrics }), plain);
    const labels = lines.map((line) => /^│ (\S+ \S+)/.exec(line)?.[1]).filter((label) => label?.includes('/'));
    expect(labels).toEqual(['GET /api/cart', 'GET /api/products', 'POST /api/products', 'GET /api/search']);
  });

  it('shows every column for an endpoint row, milliseconds whole once any reaches 100', () => {
    const lines = renderLiveFrame(makeLiveView(), plain);
    expect(lines[2]).toMatch(/Endpoint\s+│\s+Requests │\s+Fails │\s+RPS │ Avg ms │ p50 │ p95 │ p99 │ Max ms/);
    const cart = lines.find((line) => line.includes('POST /api/cart/items'));
    // GET /api/products has a max of 140 ms: every millisecond cell is whole.
    expect(cart?.split('│').map((cell) => cell.trim())).toEqual(
      ['', 'POST /api/cart/items', '210', '3 (1.4%)', '7.0', '12', '11', '31', '54', '88', ''],
    );
  });

  it('gives every millisecond cell one decimal when all are below 100 and one is fractional', () => {
    const metrics = makeMetricsSnapshot({
      endpoints: [makeEndpointStats('GET', '/a', { avgResponseTime: 2.25, medianResponseTime: 2, p95ResponseTime: 6, p99ResponseTime: 8, maxResponseTime: 9.5 })],
      avgResponseMs: 2.25,
      p50ResponseMs: 2,
      p95ResponseMs: 6,
      p99ResponseMs: 8,
    });
    const row = renderLiveFrame(makeLiveView({ metrics }), plain).find((line) => line.includes('GET /a'));
    expect(row?.split('│').map((cell) => cell.trim()).slice(5, 10)).toEqual(['2.3', '2.0', '6.0', '8.0', '9.5']);
  });

  it('ends with a Total row from the snapshot totals, below a rule', () => {
    const lines = renderLiveFrame(makeLiveView(), plain);
    const totalIndex = lines.findIndex((line) => line.includes('Total'));
    expect(lines[totalIndex - 1]).toMatch(/^├─+┼/);
    expect(lines[totalIndex]?.split('│').map((cell) => cell.trim())).toEqual(
      ['', 'Total', '1,234', '3 (0.2%)', '41.2', '15', '12', '40', '80', '140', ''],
    );
    expect(lines.at(-1)).toMatch(/^└/);
  });

  it.each([50, 60, 80, 100, 140])('fits a %i-column terminal', (width) => {
    const metrics = makeMetricsSnapshot({
      endpoints: [
        makeEndpointStats('GET', '/api/products/search/with/a/very/long/path/that/goes/on/:id'),
        makeEndpointStats('GET', '/api/products'),
      ],
    });
    const view = makeLiveView({ metrics, testName: 'a load test with a rather long descriptive name' });
    for (const color of [false, true]) {
      for (const line of renderLiveFrame(view, { color, width })) expect(visible(line)).toBeLessThanOrEqual(width);
    }
  });

  it('shortens long endpoint names with … and keeps the end of the path', () => {
    const metrics = makeMetricsSnapshot({
      endpoints: [makeEndpointStats('GET', '/api/products/search/with/a/very/long/path/that/goes/on/:id')],
    });
    const frame = renderLiveFrame(makeLiveView({ metrics }), { color: false, width: 80 }).join('\n');
    expect(frame).toMatch(/GET …[^│]*goes\/on\/:id/);
  });

  it('drops the least useful columns first on a narrow terminal', () => {
    const lines = renderLiveFrame(makeLiveView(), { color: false, width: 60 });
    expect(lines[2]).toContain('p95');
    expect(lines[2]).not.toContain('Max ms');
    expect(lines[2]).not.toContain('Avg ms');
  });

  it('says it is waiting for Locust before the first metrics', () => {
    const lines = renderLiveFrame(makeLiveView({ status: 'Starting', elapsedSeconds: 1, metrics: undefined }), plain);
    expect(lines).toEqual([
      'products-api · run r_7f3a9c · Starting · users 0/5 · 00:01 / 00:30 · 29s left · █░░░░░░░░░░░░░░░ 3%',
      'waiting for Locust… (Starting)',
    ]);
  });

  it('drops the time left once the run is over', () => {
    const [header] = renderLiveFrame(makeLiveView({ status: 'Finished', elapsedSeconds: 30 }), plain);
    expect(header).not.toContain('left');
    expect(header).toContain('████████████████ 100%');
  });
});
