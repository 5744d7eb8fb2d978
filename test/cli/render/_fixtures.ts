// Realistic render fixtures: a products-API run a few seconds in, shaped like the plugin's pushes.
import type { EndpointStats, ErrorEntry, MetricsSnapshot, Run } from '../../../src/domain/types.js';
import type { LiveView } from '../../../src/cli/render/live-view.js';

export function makeEndpointStats(method: string, name: string, overrides: Partial<EndpointStats> = {}): EndpointStats {
  return {
    method,
    name,
    numRequests: 400,
    numFailures: 0,
    avgResponseTime: 12.34,
    minResponseTime: 2,
    maxResponseTime: 88,
    medianResponseTime: 11,
    p95ResponseTime: 31,
    p99ResponseTime: 54,
    requestsPerSec: 13.3,
    ...overrides,
  };
}

/** Builds a snapshot whose totals add up from its endpoints unless overridden. */
export function makeMetricsSnapshot(
  overrides: Partial<MetricsSnapshot> & { endpoints?: EndpointStats[] } = {},
): MetricsSnapshot {
  const { endpoints = defaultEndpoints(), ...rest } = overrides;
  const totalRequests = endpoints.reduce((sum, endpoint) => sum + endpoint.numRequests, 0);
  const totalFailures = endpoints.reduce((sum, endpoint) => sum + endpoint.numFailures, 0);
  return {
    seq: 6,
    timestamp: '2026-11-28T10:01:06.000Z',
    totalRps: endpoints.reduce((sum, endpoint) => sum + endpoint.requestsPerSec, 0),
    totalRequests,
    totalFailures,
    currentUsers: 5,
    errorRate: totalRequests > 0 ? totalFailures / totalRequests : 0,
    avgResponseMs: 14.56,
    p50ResponseMs: 12,
    p95ResponseMs: 40,
    p99ResponseMs: 80,
    requestStats: Object.fromEntries(endpoints.map((endpoint) => [`${endpoint.method} ${endpoint.name}`, endpoint])),
    errors: [],
    histogram: { '10': 600, '20': 500, '40': 100, '80': 34 },
    ...rest,
  };
}

function defaultEndpoints(): EndpointStats[] {
  // Deliberately out of order: renderers must sort by name, then method.
  return [
    makeEndpointStats('POST', '/api/cart/items', { numRequests: 210, numFailures: 3, requestsPerSec: 7 }),
    makeEndpointStats('GET', '/api/search', { numRequests: 300, requestsPerSec: 10 }),
    makeEndpointStats('GET', '/api/products/:id', { numRequests: 512, requestsPerSec: 17.1 }),
    makeEndpointStats('GET', '/api/products', { numRequests: 212, requestsPerSec: 7.1, maxResponseTime: 140 }),
  ];
}

export const SAMPLE_ERRORS: ErrorEntry[] = [
  { method: 'POST', name: '/api/cart/items', error: "HTTPError('500 Server Error: Internal Server Error')", occurrences: 3 },
  { method: 'GET', name: '/api/products/:id', error: 'ConnectionResetError(104)\nTraceback (most recent call last): …', occurrences: 7 },
];

export function makeLiveView(overrides: Partial<LiveView> = {}): LiveView {
  return {
    runId: 'r_7f3a9c',
    testName: 'products-api',
    status: 'Running',
    targetUsers: 5,
    durationSeconds: 30,
    elapsedSeconds: 6,
    metrics: makeMetricsSnapshot(),
    ...overrides,
  };
}

export function makeRun(overrides: Partial<Run> = {}): Run {
  return {
    id: 'r_7f3a9c',
    loadTestId: 't_products',
    scriptRevisionId: 'rev_1',
    status: 'Finished',
    statusHistory: [],
    targetUsers: 5,
    spawnRate: 2,
    durationSeconds: 30,
    targetUrl: 'http://127.0.0.1:8000',
    callbackToken: 'secret',
    createdAt: '2026-11-28T10:00:58.000Z',
    startedAt: '2026-11-28T10:01:00.000Z',
    finishedAt: '2026-11-28T10:01:30.000Z',
    autoStopped: true,
    finalMetrics: makeMetricsSnapshot({ errors: SAMPLE_ERRORS }),
    ...overrides,
  };
}

export const ANSI = /\x1b\[/;
