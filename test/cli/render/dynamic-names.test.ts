import { describe, expect, it } from 'vitest';
import { dynamicNameHint, findDynamicNameFamilies } from '../../../src/cli/render/_dynamic-names.js';
import { renderRunSummary } from '../../../src/cli/render/summary.js';
import { makeEndpointStats, makeMetricsSnapshot, makeRun } from './_fixtures.js';

const many = (count: number, name: (i: number) => string, method = 'GET') => Array.from({ length: count }, (_, i) => makeEndpointStats(method, name(i)));

describe('dynamic request names', () => {
  it('finds URLs that differ only by an id: numbers, UUIDs, hashes, query values', () => {
    const stats = [
      ...many(12, (i) => `/item/${i}`),
      ...many(10, (i) => `/users/${i}/orders/${i * 7}`, 'POST'),
      ...many(10, (i) => `/blog?id=${i}&lang=en`),
      ...many(10, (i) => `/files/${(0xabc123def000 + i).toString(16)}`),
      ...many(10, (i) => `/o/123e4567-e89b-12d3-a456-42661417400${i}`),
      makeEndpointStats('GET', '/api/products'),
    ];
    expect(findDynamicNameFamilies(stats).map((family) => [family.method, family.groupedName, family.names.length])).toEqual([
      ['GET', '/item/[id]', 12],
      ['POST', '/users/[id]/orders/[id]', 10],
      ['GET', '/blog?id=[id]&lang=en', 10],
      ['GET', '/files/[id]', 10],
      ['GET', '/o/[id]', 10],
    ]);
  });

  it('leaves a handful of ids and names without ids alone', () => {
    const stats = [...many(9, (i) => `/item/${i}`), ...many(20, (i) => `/page-${String.fromCharCode(97 + i)}`), makeEndpointStats('GET', '/api/v2/health')];
    expect(findDynamicNameFamilies(stats)).toEqual([]);
    expect(dynamicNameHint(stats)).toEqual([]);
  });

  it('tells how to group the largest family with name=', () => {
    const stats = [...many(30, (i) => `/item/${i}`), ...many(10, (i) => `/cart/${i}`, 'POST')];
    expect(dynamicNameHint(stats)).toEqual([
      'Hint: 30 rows are one GET endpoint with different ids (/item/0, /item/1, …) (and 1 other family like it).',
      '  Locust groups requests by name; name="/item/[id]" makes them one row:',
      '  self.client.get(url, name="/item/[id]")',
    ]);
  });

  it('is printed once, under the summary table', () => {
    const finalMetrics = makeMetricsSnapshot({ endpoints: many(30, (i) => `/item/${i}`) });
    const text = renderRunSummary(makeRun({ finalMetrics }), { color: false });
    expect(text.split('\n').filter((line) => line.startsWith('Hint:'))).toHaveLength(1);
    expect(text.indexOf('Hint:')).toBeGreaterThan(text.indexOf('│ Total'));
    expect(renderRunSummary(makeRun(), { color: false })).not.toContain('Hint:');
  });
});
