/** A push as the plugin sends it: cumulative totals, `endpoints` endpoints, the interval's histogram (≈6 KB for 20). */
export function pushBody(runId, seq, endpoints = 20) {
  const requestStats = {};
  for (let index = 0; index < endpoints; index += 1) {
    const name = `/api/endpoint-${index}/[id]`;
    requestStats[`GET ${name}`] = { method: 'GET', name, numRequests: 100 * seq, numFailures: seq, avgResponseTime: 12.5, minResponseTime: 1, maxResponseTime: 250, medianResponseTime: 11, requestsPerSec: 50, p50ResponseTime: 11, p95ResponseTime: 40, p99ResponseTime: 90 };
  }
  const histogram = {};
  for (let bucket = 1; bucket <= 120; bucket += 1) histogram[String(bucket < 100 ? bucket : bucket * 10)] = 10 + (bucket % 7);
  const at = new Date(Date.UTC(2026, 0, 1) + seq * 1000).toISOString();
  return {
    runId, seq, histogramBaseSeq: seq - 1, timestamp: at, intervalStart: new Date(Date.parse(at) - 1000).toISOString(), intervalEnd: at,
    totalRps: 1000, totalRequests: 2000 * seq, totalFailures: 20 * seq, currentUsers: 10, peakUsers: 10, errorRate: 0.01,
    avgResponseMs: 12.5, p50ResponseMs: 11, p95ResponseMs: 40, p99ResponseMs: 90, minResponseMs: 1, maxResponseMs: 250,
    requestStats, errors: [{ method: 'GET', name: '/api/endpoint-3/[id]', error: 'HTTPError(503)', occurrences: 20 * seq }], histogram, totalExceptions: 0, exceptions: [],
  };
}
