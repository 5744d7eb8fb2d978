// The live frame always fits the terminal: the status line first, then as many endpoints
// as there is room for (busiest first), "… N more" for the rest, never more lines than asked.
import { describe, expect, it } from 'vitest';
import { renderLiveFrame } from '../../../src/cli/render/live-frame.js';
import type { EndpointStats } from '../../../src/domain/types.js';
import { makeEndpointStats, makeLiveView, makeMetricsSnapshot } from './_fixtures.js';

const STATUS_LINE = /^dynamic-it.* · Running · users \d+\/\d+/;

/** `count` endpoints /item/0 … whose request counts differ: /item/i gets 1000 - 7i. */
function items(count: number): EndpointStats[] {
  return Array.from({ length: count }, (_, i) => makeEndpointStats('GET', `/item/${i}`, { numRequests: 1000 - 7 * i, requestsPerSec: 10 - i / 10 }));
}

const frame = (endpoints: EndpointStats[], height: number, width = 80) =>
  renderLiveFrame(makeLiveView({ testName: 'dynamic-items', metrics: makeMetricsSnapshot({ endpoints }) }), { color: false, width, height });

const labels = (lines: string[]) => lines.map((line) => /^│ (GET \S+|… \d+ more)/.exec(line)?.[1]).filter(Boolean);

describe('renderLiveFrame in a terminal of a given height', () => {
  it.each([
    [30, 23],
    [30, 12],
    [20, 23],
    [500, 23],
    [30, 9],
    [30, 8],
    [30, 7],
    [30, 3],
    [30, 2],
    [30, 1],
    [3, 23],
  ])('%i endpoints in %i lines: the status line first, never taller', (count, height) => {
    for (const width of [50, 80, 140]) {
      const lines = frame(items(count), height, width);
      expect(lines.length).toBeLessThanOrEqual(height);
      expect(lines[0]).toMatch(STATUS_LINE);
    }
  });

  it('keeps the busiest endpoints, busiest first, then says how many more there are', () => {
    const lines = frame(items(30), 23);
    expect(lines).toHaveLength(23);
    // 23 lines: the status line, 6 of table chrome, 15 endpoint rows and the "more" row.
    expect(labels(lines)).toEqual([...Array.from({ length: 15 }, (_, i) => `GET /item/${i}`), '… 15 more']);
    expect(lines.at(-3)).toMatch(/^├─+┼/);
    expect(lines.at(-2)).toMatch(/^│ Total/);
  });

  it('picks the busiest whatever their names, and sums the rest in the "more" row', () => {
    const endpoints = [
      makeEndpointStats('GET', '/a', { numRequests: 5, numFailures: 1, requestsPerSec: 0.5 }),
      makeEndpointStats('GET', '/b', { numRequests: 500 }),
      makeEndpointStats('GET', '/c', { numRequests: 7, numFailures: 0, requestsPerSec: 0.7 }),
      makeEndpointStats('GET', '/d', { numRequests: 900 }),
    ];
    const lines = frame(endpoints, 10);
    expect(labels(lines)).toEqual(['GET /d', 'GET /b', '… 2 more']);
    const more = lines.find((line) => line.includes('… 2 more'))!.split('│').map((cell) => cell.trim());
    expect(more.slice(1, 5)).toEqual(['… 2 more', '12', '1 (8.3%)', '1.2']);
    // No latency for a sum of endpoints.
    expect(more.slice(5, 10)).toEqual(['', '', '', '', '']);
  });

  it('shows every endpoint by name when they fit', () => {
    const endpoints = items(3).reverse();
    expect(labels(frame(endpoints, 23))).toEqual(['GET /item/0', 'GET /item/1', 'GET /item/2']);
    expect(labels(frame(endpoints, 10))).toEqual(['GET /item/0', 'GET /item/1', 'GET /item/2']);
  });

  it('falls back to the totals on one line when not even one row fits', () => {
    const lines = frame(items(30), 7);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe('26,955 requests · 0 failed (0.0%) · 256.5 rps · p95 40 ms · 30 endpoints');
    expect(frame(items(30), 1)).toEqual([lines[0]]);
  });

  it('says it is waiting within the height too', () => {
    const view = makeLiveView({ status: 'Starting', metrics: undefined });
    expect(renderLiveFrame(view, { color: false, width: 80, height: 1 })).toHaveLength(1);
  });
});

describe('percentiles next to a max', () => {
  /** [p50, p95, p99, max] of each row, as numbers. */
  const latencyCells = (lines: string[]) =>
    lines
      .filter((line) => /^│ (GET|Total)/.test(line))
      .map((line) => line.split('│').map((cell) => cell.trim()).slice(6, 10).map((cell) => Number(cell.replace(/,/g, ''))));

  it('never shows p50, p95 or p99 above the max of its row, Total included', () => {
    // Locust's buckets count 23.7 ms as 24: p99 24 beside a max of 23.7.
    const endpoints = [
      makeEndpointStats('GET', '/item/7', { medianResponseTime: 2, p95ResponseTime: 6, p99ResponseTime: 24, maxResponseTime: 23.7, avgResponseTime: 2.3 }),
      makeEndpointStats('GET', '/item/18', { medianResponseTime: 1.3, p95ResponseTime: 4, p99ResponseTime: 4, maxResponseTime: 3.9, avgResponseTime: 1.8 }),
    ];
    const metrics = makeMetricsSnapshot({ endpoints, p50ResponseMs: 2, p95ResponseMs: 6, p99ResponseMs: 24, avgResponseMs: 2 });
    const lines = renderLiveFrame(makeLiveView({ metrics }), { color: false, width: 120 });
    const rows = latencyCells(lines);
    expect(rows).toHaveLength(3);
    for (const [p50, p95, p99, max] of rows) {
      expect(Math.max(p50!, p95!, p99!)).toBeLessThanOrEqual(max!);
    }
    expect(lines.find((line) => line.includes('/item/7'))).toMatch(/│ +23\.7 │ +23\.7 │$/);
  });

  it('holds for any values, whole or fractional, below or above 100 ms', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    for (let round = 0; round < 50; round += 1) {
      const endpoints = Array.from({ length: 4 }, (_, i) => {
        const max = random() * (round % 2 ? 1000 : 90);
        return makeEndpointStats('GET', `/e${i}`, { maxResponseTime: max, p99ResponseTime: Math.round(max * (0.9 + random() * 0.3)), p95ResponseTime: Math.round(max * random() * 1.1), medianResponseTime: max * random() });
      });
      const metrics = makeMetricsSnapshot({ endpoints, p99ResponseMs: Math.max(...endpoints.map((e) => e.maxResponseTime)) + 1 });
      for (const [p50, p95, p99, max] of latencyCells(renderLiveFrame(makeLiveView({ metrics }), { color: false, width: 120 }))) {
        expect(Math.max(p50!, p95!, p99!)).toBeLessThanOrEqual(max!);
      }
    }
  });
});
