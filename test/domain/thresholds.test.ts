import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LoadctlError } from '../../src/domain/errors.js';
import {
  allThresholdsPassed,
  describeVerdict,
  endpointsFromScript,
  evaluateDuringRun,
  evaluateThresholds,
  parseThreshold,
  withDefaultThresholds,
  parseThresholdConfig,
  validateThresholdEndpoints,
  type Threshold,
} from '../../src/domain/thresholds.js';
import type { EndpointStats, MetricsSnapshot } from '../../src/domain/types.js';

function endpoint(method: string, name: string, overrides: Partial<EndpointStats> = {}): EndpointStats {
  return {
    method,
    name,
    numRequests: 400,
    numFailures: 4,
    avgResponseTime: 120,
    minResponseTime: 5,
    maxResponseTime: 900,
    medianResponseTime: 100,
    p95ResponseTime: 310,
    p99ResponseTime: 600,
    requestsPerSec: 13.3,
    ...overrides,
  };
}

function snapshot(overrides: Partial<MetricsSnapshot> = {}): MetricsSnapshot {
  return {
    seq: 10,
    timestamp: '2026-11-28T10:00:30.000Z',
    totalRps: 40,
    totalRequests: 1200,
    totalFailures: 6,
    currentUsers: 5,
    errorRate: 0.005,
    avgResponseMs: 140,
    p50ResponseMs: 110,
    p95ResponseMs: 420,
    p99ResponseMs: 812,
    requestStats: {
      'GET /api/products': endpoint('GET', '/api/products'),
      'POST /api/cart/items': endpoint('POST', '/api/cart/items', { numRequests: 800, numFailures: 2, maxResponseTime: 1500 }),
    },
    errors: [],
    histogram: {},
    ...overrides,
  };
}

function thresholdErrorOf(text: string): LoadctlError {
  try {
    parseThreshold(text);
  } catch (error) {
    expect(error).toBeInstanceOf(LoadctlError);
    expect((error as LoadctlError).code).toBe('LOADCTL_THRESHOLD_INVALID');
    return error as LoadctlError;
  }
  throw new Error(`"${text}" parsed without an error`);
}

describe('parseThreshold', () => {
  it.each([
    ['p95<500ms', { metric: 'p95', operator: '<', limit: 500 }],
    ['p99<=1.2s', { metric: 'p99', operator: '<=', limit: 1200 }],
    ['p50<300', { metric: 'p50', operator: '<', limit: 300 }],
    ['avg<200ms', { metric: 'avg', operator: '<', limit: 200 }],
    ['max<2s', { metric: 'max', operator: '<', limit: 2000 }],
    ['error_rate<1%', { metric: 'error_rate', operator: '<', limit: 0.01 }],
    ['error_rate<0.01', { metric: 'error_rate', operator: '<', limit: 0.01 }],
    ['failures<=10', { metric: 'failures', operator: '<=', limit: 10 }],
    ['rps>=50', { metric: 'rps', operator: '>=', limit: 50 }],
    ['requests>1000', { metric: 'requests', operator: '>', limit: 1000 }],
    ['failures==0', { metric: 'failures', operator: '==', limit: 0 }],
    ['  P95 < 500 MS ', { metric: 'p95', operator: '<', limit: 500 }],
  ])('reads %s', (text, expected) => {
    expect(parseThreshold(text)).toEqual({ text: text.trim(), ...expected, abortOnFail: false });
  });

  it('reads a per-endpoint threshold, keeping colons inside the name', () => {
    expect(parseThreshold('GET /api/products: p95<300ms')).toMatchObject({ endpoint: 'GET /api/products', metric: 'p95', limit: 300 });
    expect(parseThreshold('GET /items/:id: p99 < 1s')).toMatchObject({ endpoint: 'GET /items/:id', metric: 'p99', limit: 1000 });
  });

  it.each([
    ['p59<500ms', '"p59<500ms": unknown metric "p59"; did you mean p50/p95/p99?'],
    ['rsp>=50', '"rsp>=50": unknown metric "rsp"; did you mean rps?'],
    ['error-rate<1%', 'did you mean error_rate?'],
    ['latency<500ms', 'unknown metric "latency"; known metrics: p50, p95, p99, avg, max, error_rate, failures, requests, rps'],
    ['rps<5ms', '"rps<5ms": rps is requests per second and takes no unit ("ms"); e.g. rps<5'],
    ['p95<5%', '"p95<5%": p95 is a response time and takes ms or s, not "%"; e.g. p95<5ms'],
    ['failures<3s', 'failures counts requests and takes no unit ("s")'],
    ['error_rate<5ms', 'error_rate takes % or a fraction'],
    ['error_rate<5', 'did you mean error_rate<5%?'],
    ['error_rate<150%', 'cannot be above 100%'],
    ['p95<', 'missing the number after "<" (found nothing); write it like p95<500ms'],
    ['p95<ms', 'missing the number after "<" (found "ms")'],
    ['p95=500ms', 'unknown operator "="; did you mean "=="?'],
    ['p95=<500ms', 'did you mean "<="?'],
    ['p95!=500ms', 'unknown operator "!="; use one of < <= > >= =='],
    ['p95 500ms', 'missing an operator after "p95"'],
    ['<500ms', 'missing the metric'],
    ['p95<-5ms', 'cannot be negative'],
    ['failures<2.5', 'whole number'],
    ['/api/products: p95<300ms', 'the endpoint must be "METHOD name" as Locust reports it, e.g. "GET /api/products: p95<300ms"'],
    ['', 'empty threshold'],
  ])('refuses %j and says how to fix it', (text, message) => {
    const error = thresholdErrorOf(text);
    expect(error.message).toContain(message);
    expect(error.details).toMatchObject({ threshold: text.trim() });
  });
});

describe('parseThresholdConfig', () => {
  it('reads texts and objects with abortOnFail and a grace period', () => {
    const parsed = parseThresholdConfig(['p95<500ms', { threshold: 'error_rate<1%', abortOnFail: true, graceSeconds: 10 }]);
    expect(parsed).toEqual([
      { text: 'p95<500ms', metric: 'p95', operator: '<', limit: 500, abortOnFail: false },
      { text: 'error_rate<1%', metric: 'error_rate', operator: '<', limit: 0.01, abortOnFail: true, graceSeconds: 10 },
    ]);
  });

  it('treats an absent key as no thresholds and one text as a list of one', () => {
    expect(parseThresholdConfig(undefined)).toEqual([]);
    expect(parseThresholdConfig(null)).toEqual([]);
    expect(parseThresholdConfig('p95<1s')).toHaveLength(1);
  });

  it.each([
    [{ p95: 500 }, 'thresholds must be a list'],
    [['p95<500ms', 'p59<500ms'], 'thresholds[1]: "p59<500ms": unknown metric "p59"'],
    [[{ threshold: 'p95<1s', abort: true }], 'thresholds[0]: unknown key "abort"; allowed: threshold, abortOnFail, graceSeconds'],
    [[{ abortOnFail: true }], 'thresholds[0]: needs "threshold"'],
    [[42], 'thresholds[0]: must be a text like "p95<500ms"'],
    [[{ threshold: 'p95<1s', abortOnFail: 'yes' }], 'abortOnFail must be true or false'],
    [[{ threshold: 'p95<1s', graceSeconds: -1 }], 'graceSeconds must be a number of seconds'],
    [[{ threshold: 'rps>=50', abortOnFail: true }], 'rps is only judged at the end'],
  ])('refuses %j', (value, message) => {
    expect(() => parseThresholdConfig(value)).toThrow(message);
  });

  it('says which entry is wrong in the error details', () => {
    try {
      parseThresholdConfig(['p95<500ms', 'p95<5%']);
    } catch (error) {
      expect((error as LoadctlError).details).toMatchObject({ index: 1, threshold: 'p95<5%' });
      return;
    }
    throw new Error('no error');
  });
});

describe('endpointsFromScript', () => {
  it('reads the names of the demo products script', () => {
    const script = readFileSync(new URL('../../locust/examples/products.py', import.meta.url), 'utf8');
    expect(endpointsFromScript(script)).toEqual(['GET /api/products', 'GET /api/products/[id]', 'GET /api/search', 'POST /api/cart/items']);
  });

  it('uses the URL path when a call has no name, and reads client.request', () => {
    const script = `
class U(HttpUser):
    @task
    def t(self):
        self.client.get('/health')
        self.client.request("PATCH", "/api/items", json={"a": (1, 2)})
        self.user.client.delete("http://example.com/api/x#top", name=None)
        with self.client.post("/login", data={"u": "x"}, catch_response=True) as response:
            pass
`;
    expect(endpointsFromScript(script)).toEqual(['DELETE /api/x', 'GET /health', 'PATCH /api/items', 'POST /login']);
  });

  it.each([
    ['an f-string name', 'self.client.get(f"/p/{i}", name=f"/p/{group}")'],
    ['a computed URL without a name', 'self.client.get(url)'],
    ['query parameters without a name', 'self.client.get("/search", params={"q": "x"})'],
    ['keyword arguments spread in', 'self.client.get("/x", **options)'],
    ['rename_request', 'with self.client.rename_request("/p/[id]"):\n    self.client.get("/p/1")'],
    ['requests fired by hand', 'self.environment.events.request.fire(request_type="GRPC", name="x")\nself.client.get("/x")'],
    ['the client under another name', 'http = self.client\nhttp.get("/hidden")\nself.client.get("/x")'],
    ['no client calls at all', 'class U(User):\n    pass'],
  ])('cannot tell with %s', (_label, script) => {
    expect(endpointsFromScript(script)).toBeNull();
  });
});

describe('validateThresholdEndpoints', () => {
  const known = ['GET /api/products', 'GET /api/products/[id]', 'POST /api/cart/items'];

  it('accepts totals and known endpoints, with the method in any case', () => {
    const thresholds = ['p95<500ms', 'GET /api/products: p95<300ms', 'post /api/cart/items: error_rate<1%'].map(parseThreshold);
    expect(() => validateThresholdEndpoints(thresholds, known)).not.toThrow();
  });

  it('refuses an endpoint the script never requests and suggests the nearest', () => {
    const thresholds = [parseThreshold('GET /api/prodcts: p95<300ms')];
    expect(() => validateThresholdEndpoints(thresholds, known)).toThrow(
      '"GET /api/prodcts: p95<300ms": the script never requests "GET /api/prodcts"; did you mean "GET /api/products"?',
    );
    expect(() => validateThresholdEndpoints([parseThreshold('DELETE /nothing/like/it: p95<1s')], known)).toThrow(
      'the script requests: GET /api/products, GET /api/products/[id], POST /api/cart/items',
    );
  });

  it('defers the check when the script could not be read', () => {
    expect(() => validateThresholdEndpoints([parseThreshold('GET /x: p95<1s')], null)).not.toThrow();
  });
});

describe('evaluateThresholds', () => {
  const run = { finalMetrics: snapshot(), lastMetrics: snapshot({ p95ResponseMs: 1 }) };

  it('judges totals on the final snapshot', () => {
    const verdicts = evaluateThresholds(['p95<500ms', 'p99<500ms', 'error_rate<1%', 'rps>=50', 'max<2s', 'requests>1000'].map(parseThreshold), run, []);
    expect(verdicts.map((verdict) => [verdict.threshold, verdict.observed, verdict.passed])).toEqual([
      ['p95<500ms', 420, true],
      ['p99<500ms', 812, false],
      ['error_rate<1%', 0.005, true],
      ['rps>=50', 40, false],
      ['max<2s', 1500, true],
      ['requests>1000', 1200, true],
    ]);
    expect(verdicts[1]).toEqual({ threshold: 'p99<500ms', metric: 'p99', operator: '<', limit: 500, observed: 812, passed: false });
    expect(describeVerdict(verdicts[1]!)).toBe('p99 was 812 ms, limit < 500 ms');
    expect(allThresholdsPassed(verdicts)).toBe(false);
  });

  it('judges an endpoint on its requestStats entry', () => {
    const [p95, errors, rps] = evaluateThresholds(
      ['GET /api/products: p95<300ms', 'GET /api/products: error_rate<=1%', 'POST /api/cart/items: rps>10'].map(parseThreshold),
      run,
      [],
    );
    expect(p95).toMatchObject({ endpoint: 'GET /api/products', observed: 310, passed: false });
    expect(describeVerdict(p95!)).toBe('GET /api/products: p95 was 310 ms, limit < 300 ms');
    expect(errors).toMatchObject({ observed: 0.01, passed: true });
    expect(rps).toMatchObject({ observed: 13.3, passed: true });
  });

  it('fails with "no data" for an endpoint never requested and for a run without requests', () => {
    const [missing] = evaluateThresholds([parseThreshold('GET /api/search: p95<300ms')], run, []);
    expect(missing).toMatchObject({ observed: null, passed: false, reason: 'no data' });
    expect(describeVerdict(missing!)).toBe('GET /api/search: p95: no data (the endpoint got no requests), limit < 300 ms');
    const empty = snapshot({ totalRequests: 0, totalFailures: 0, requestStats: {} });
    expect(evaluateThresholds([parseThreshold('failures<=10')], { finalMetrics: empty }, [])[0]).toMatchObject({ passed: false, reason: 'no data' });
    expect(evaluateThresholds([parseThreshold('p95<1s')], {}, [])[0]).toMatchObject({ passed: false, reason: 'no data' });
  });

  it('counts requests and exceptions even when nothing was sent', () => {
    const empty = snapshot({ totalRequests: 0, totalFailures: 0, requestStats: {}, totalExceptions: 3 });
    const [requests, exceptions] = evaluateThresholds([parseThreshold('requests>=1'), parseThreshold('exceptions==0')], { finalMetrics: empty }, []);
    expect(requests).toMatchObject({ observed: 0, passed: false });
    expect(describeVerdict(requests!)).toBe('requests was 0, limit >= 1');
    expect(exceptions).toMatchObject({ observed: 3, passed: false });
  });

  it('reads exceptions from the rows when a push has no total, and refuses them per endpoint', () => {
    const rows = snapshot({ exceptions: [{ message: 'ValueError()', traceback: '', count: 2, where: '' }, { message: 'KeyError()', traceback: '', count: 5, where: '' }] });
    expect(evaluateThresholds([parseThreshold('exceptions<=6')], { finalMetrics: rows }, [])[0]).toMatchObject({ observed: 7, passed: false });
    // the replaced system's plugin measures none: the user's own threshold has no data and
    // fails; loadctl's default passes as "not measured" (never a failed default)
    expect(evaluateThresholds([parseThreshold('exceptions==0')], { finalMetrics: snapshot({}) }, [])[0]).toMatchObject({ observed: null, passed: false, reason: 'no data' });
    const defaults = withDefaultThresholds([], true).filter((threshold) => threshold.metric === 'exceptions');
    expect(evaluateThresholds(defaults, { finalMetrics: snapshot({}) }, [])).toEqual([expect.objectContaining({ observed: null, passed: true, reason: 'not measured', isDefault: true })]);
    // a push that reports exceptions, even none, is measured
    expect(evaluateThresholds(defaults, { finalMetrics: snapshot({ totalExceptions: 0 }) }, [])[0]).toMatchObject({ observed: 0, passed: true });
    expect(evaluateThresholds(defaults, { finalMetrics: snapshot({ totalExceptions: 2 }) }, [])[0]).toMatchObject({ observed: 2, passed: false });
    expect(() => parseThreshold('GET /x: exceptions==0')).toThrow(/exceptions are counted for the whole run/);
  });

  it('has no data for an endpoint’s p95/p99 on a run of the replaced system’s plugin, which sends only its median', () => {
    const thresholds = [parseThreshold('GET /api/products: p95<300ms'), parseThreshold('GET /api/products: p99<300ms'), parseThreshold('GET /api/products: p50<300ms')];
    const harness = evaluateThresholds(thresholds, { finalMetrics: snapshot({}), plugin: 'harness' }, []);
    expect(harness.map((verdict) => [verdict.observed === null, verdict.passed, verdict.reason])).toEqual([
      [true, false, 'no data'],
      [true, false, 'no data'],
      [false, true, undefined],
    ]);
    expect(evaluateThresholds(thresholds.slice(0, 1), { finalMetrics: snapshot({}) }, [])[0]!.observed).not.toBeNull();
  });

  it('takes every percentile from the histogram, never above the max', () => {
    const stats = { method: 'GET', name: '/slow', numRequests: 40, numFailures: 0, avgResponseTime: 200, minResponseTime: 100, maxResponseTime: 300, medianResponseTime: 110, p50ResponseTime: 300, p95ResponseTime: 300, p99ResponseTime: 300, requestsPerSec: 4 };
    const tie = snapshot({ totalRequests: 40, p50ResponseMs: 300, p95ResponseMs: 300, p99ResponseMs: 300, requestStats: { 'GET /slow': stats } });
    // one number for the endpoint and the total: Locust's Median column (110) is not used
    const [total, endpoint] = evaluateThresholds([parseThreshold('p50<200ms'), parseThreshold('GET /slow: p50<200ms')], { finalMetrics: tie }, []);
    expect(total).toMatchObject({ observed: 300, passed: false });
    expect(endpoint).toMatchObject({ observed: 300, passed: false });
    // a rounded bucket (24) above the exact max (23.7) is shown as the max
    const once = { ...stats, maxResponseTime: 23.7, p50ResponseTime: 24, p95ResponseTime: 24, p99ResponseTime: 24 };
    const capped = snapshot({ totalRequests: 1, p99ResponseMs: 24, maxResponseMs: 23.7, requestStats: { 'GET /slow': once } });
    expect(evaluateThresholds([parseThreshold('p99<=23.7'), parseThreshold('GET /slow: p99<=23.7')], { finalMetrics: capped }, []).map((v) => v.observed)).toEqual([23.7, 23.7]);
  });

  it('judges rps as the run\'s requests over the load when the start is known, even on a mid-run push', () => {
    // A run that ended without a final push: its last push says 40/s over its own interval,
    // but its 1200 requests took the 20 s from the start to that push: 60/s.
    const started = { startedAt: '2026-11-28T10:00:10.000Z', lastMetrics: snapshot() };
    const [total, endpoint] = evaluateThresholds([parseThreshold('rps>=50'), parseThreshold('POST /api/cart/items: rps>10')], started, []);
    expect(total).toMatchObject({ observed: 1200 / 20, passed: true });
    const cart = snapshot().requestStats['POST /api/cart/items']!;
    expect(endpoint).toMatchObject({ observed: cart.numRequests / 20 });
  });

  it('falls back to the last metrics, then to the last push', () => {
    expect(evaluateThresholds([parseThreshold('p95<5')], { lastMetrics: snapshot({ p95ResponseMs: 1 }) }, [])[0]?.passed).toBe(true);
    expect(evaluateThresholds([parseThreshold('p95<5')], {}, [snapshot({ p95ResponseMs: 2 })])[0]?.observed).toBe(2);
  });

  it('compares == with a float tolerance', () => {
    const finalMetrics = snapshot({ totalRequests: 1000, totalFailures: 7 });
    expect(evaluateThresholds([parseThreshold('error_rate==0.7%')], { finalMetrics }, [])[0]?.passed).toBe(true);
  });
});

describe('evaluateDuringRun', () => {
  const abortable = (text: string, graceSeconds?: number): Threshold => ({
    ...parseThreshold(text),
    abortOnFail: true,
    ...(graceSeconds === undefined ? {} : { graceSeconds }),
  });
  const pushes = [snapshot({ seq: 1, p95ResponseMs: 50 }), snapshot({ seq: 2, p95ResponseMs: 900, totalFailures: 40 })];

  it('returns the abortOnFail thresholds failing on the latest push, after the grace period', () => {
    const thresholds = [abortable('p95<500ms'), parseThreshold('p99<1ms'), abortable('error_rate<1%', 30)];
    expect(evaluateDuringRun(thresholds, pushes, 5, { graceSeconds: 10 })).toEqual([]);
    expect(evaluateDuringRun(thresholds, pushes, 12, { graceSeconds: 10 }).map((verdict) => verdict.threshold)).toEqual(['p95<500ms']);
    expect(evaluateDuringRun(thresholds, pushes, 31, { graceSeconds: 10 }).map((verdict) => verdict.threshold)).toEqual(['p95<500ms', 'error_rate<1%']);
  });

  it('never aborts on throughput or request counts, nor for lack of data so far', () => {
    const thresholds = [abortable('rps>=1000'), abortable('requests>1000000'), abortable('GET /api/search: p95<1ms'), abortable('failures<=10')];
    expect(evaluateDuringRun(thresholds, pushes, 60).map((verdict) => verdict.threshold)).toEqual(['failures<=10']);
    expect(evaluateDuringRun(thresholds, [], 60)).toEqual([]);
  });
});
