// Property-based fuzzing of every route the control plane serves (read from its own OpenAPI
// document, so a route added later is fuzzed too). Each generated request is malformed by
// construction; each must be answered 4xx with a JSON {error:{code,message}}, never 5xx, and
// the store must hold exactly what it held before.
import fc from 'fast-check';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE } from '../../src/domain/errors.js';
import type { Run } from '../../src/domain/types.js';
import { SHOP_SCRIPT, base64, startHarness, type Harness } from '../controlplane/_harness.js';
import {
  DEEP_OBJECT,
  badBody,
  badId,
  badIntegerText,
  badQueryEntry,
  badRawBody,
  encodeSegment,
  mainType,
  operationsOf,
  operatorQueryEntry,
  type Operation,
} from './_malformed.js';

// LOADCTL_RELIABILITY_FUZZ_SCALE=10 runs ten times as many (for a longer hunt than CI's).
const SCALE = Number(process.env.LOADCTL_RELIABILITY_FUZZ_SCALE ?? 1);
const RUNS = { params: 300 * SCALE, query: 200 * SCALE, rawBody: 200 * SCALE, fields: 350 * SCALE, callbacks: 150 * SCALE };

interface Fuzzed {
  label: string;
  options: InjectOptions;
}

describe('API fuzzing: malformed requests are refused 4xx, never 5xx, and write nothing', () => {
  let h: Harness;
  let operations: Operation[];
  let testId: string;
  let failedRun: Run;
  let runningRun: Run;
  let before: unknown;
  let sent = 0;
  let generated = 0;
  const statuses = new Map<number, number>();

  /** Everything a refused request could have written. */
  const snapshot = async (): Promise<unknown> => {
    const tests = await h.store.listLoadTests({ limit: 500, offset: 0 });
    const runs = await h.store.listRuns({ limit: 500, offset: 0 });
    return {
      tests,
      runs,
      revisions: await Promise.all(tests.items.map((test) => h.store.listScriptRevisions(test.id))),
      metrics: await Promise.all(runs.items.map((run) => h.store.listMetrics(run.id))),
    };
  };

  /** Path with its parameters filled: existing ids unless `override` breaks one of them. */
  const fill = (operation: Operation, override: Record<string, string> = {}): string =>
    operation.path.replace(/\{(\w+)\}/g, (_, name: string) => {
      if (name in override) return override[name]!;
      if (name === 'revision') return '1';
      return operation.path.startsWith('/v1/runs') ? failedRun.id : testId;
    });

  const send = async ({ label, options }: Fuzzed): Promise<LightMyRequestResponse> => {
    const response = await h.app.inject(options);
    sent += 1;
    statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
    const body = (() => {
      try {
        return response.json();
      } catch {
        return undefined;
      }
    })();
    const refused =
      response.statusCode >= 400 &&
      response.statusCode < 500 &&
      /^application\/json/.test(String(response.headers['content-type'])) &&
      typeof body?.error?.code === 'string' &&
      body.error.code in ERROR_CATALOGUE &&
      typeof body.error.message === 'string' &&
      body.error.message.length > 0;
    if (!refused) throw new Error(`${label}: ${options.method} ${String(options.url).slice(0, 300)} → ${response.statusCode} ${response.body.slice(0, 300)}`);
    return response;
  };

  const check = async (arbitrary: fc.Arbitrary<Fuzzed>, numRuns: number): Promise<void> => {
    // A counterexample is printed as its label and URL, not a 2 MiB payload.
    const described = arbitrary.map((request) => Object.assign(request, { [fc.toStringMethod]: () => `${request.label}: ${request.options.method} ${String(request.options.url).slice(0, 200)}` }));
    await fc.assert(
      fc.asyncProperty(described, async (request) => {
        await send(request);
      }),
      { numRuns },
    );
    generated += numRuns;
    expect(await snapshot()).toEqual(before);
  };

  beforeAll(async () => {
    h = await startHarness();
    await h.app.ready();
    operations = operationsOf(h.app.swagger() as never);
    const created = await h.app.inject({ method: 'POST', url: '/v1/load-tests', payload: { name: 'fuzz', targetUrl: 'http://127.0.0.1:9', scriptContent: base64(SHOP_SCRIPT), metadata: { team: 'qa' } } });
    expect(created.statusCode, created.body).toBe(201);
    testId = created.json().id;
    const started = await h.app.inject({ method: 'POST', url: `/v1/load-tests/${testId}/runs`, payload: { targetUsers: 1, durationSeconds: 5 } });
    expect(started.statusCode, started.body).toBe(201);
    // The harness's Locust never starts: the run ends Failed at once.
    for (let tries = 0; (await h.store.getRun(started.json().id))?.status !== 'Failed'; tries += 1) {
      if (tries > 500) throw new Error('the seeded run did not end Failed');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    failedRun = (await h.store.getRun(started.json().id))!;
    // A run the plugin is reporting to, written straight into the store (no Locust here).
    const revisionId = (await h.store.getLoadTest(testId))!.latestRevisionId;
    const { error: _error, finishedAt: _finishedAt, ...seed } = failedRun;
    runningRun = await h.store.createRun({
      ...seed,
      id: 'run_fuzzrunning01',
      scriptRevisionId: revisionId,
      status: 'Running',
      statusHistory: [{ from: null, to: 'Running', at: new Date().toISOString(), reason: 'seeded by the fuzz test' }],
      callbackToken: 'fuzz-running-token-0123456789',
      autoStopped: false,
    });
    before = await snapshot();
  }, 60_000);

  afterAll(async () => {
    await h?.close();
  });

  it('finds the routes to fuzz in the OpenAPI document', () => {
    const names = operations.map((operation) => `${operation.method} ${operation.path}`);
    for (const route of ['POST /v1/load-tests', 'GET /v1/runs', 'GET /v1/runs/{id}', 'POST /v1/runs/{id}/stop', 'POST /v1/load-tests/{id}/runs', 'POST /v1/internal/locust/metrics']) expect(names).toContain(route);
  });

  it(`path parameters: ids with unicode, NUL bytes, operators, path tricks, over-long; bad revision numbers (${RUNS.params} requests)`, async () => {
    const withParams = operations.filter((operation) => operation.pathParams.length > 0);
    const arbitrary = fc.constantFrom(...withParams).chain((operation) =>
      fc.constantFrom(...operation.pathParams).chain((parameter) =>
        (mainType(parameter.schema) === 'integer' ? badIntegerText(parameter.schema) : badId).map((value) => ({
          label: `path ${parameter.name}`,
          options: { method: operation.method as 'GET', url: fill(operation, { [parameter.name]: encodeSegment(value) }) },
        })),
      ),
    );
    await check(arbitrary, RUNS.params);
  });

  it(`query strings: every declared parameter given a value it refuses, or given twice (${RUNS.query} requests)`, async () => {
    const withQuery = operations.filter((operation) => operation.query.length > 0);
    const arbitrary = fc.constantFrom(...withQuery).chain((operation) =>
      fc.array(fc.constantFrom(...operation.query).chain(badQueryEntry), { minLength: 1, maxLength: 3 }).map((entries) => ({
        label: 'query',
        options: { method: operation.method as 'GET', url: `${fill(operation)}?${entries.join('&')}` },
      })),
    );
    await check(arbitrary, RUNS.query);
  });

  it(`bodies wrong as a whole: not an object, not JSON, nested 10,000 deep, __proto__, over 2 MiB, not UTF-8, wrong media type (${RUNS.rawBody} requests)`, async () => {
    const withBody = operations.filter((operation) => operation.body && !operation.path.startsWith('/v1/internal/'));
    const arbitrary = fc.constantFrom(...withBody).chain((operation) =>
      badRawBody(operation.body!, { scriptContent: base64(SHOP_SCRIPT) }).map((raw) => ({
        label: raw.label,
        options: { method: operation.method as 'POST', url: fill(operation), payload: raw.payload, headers: { 'content-type': raw.contentType } },
      })),
    );
    await check(arbitrary, RUNS.rawBody);
  });

  it(`body fields: one of wrong type, out of range (negative users, zero duration, 1e308), too long, bad pattern, or a required one missing (${RUNS.fields} requests)`, async () => {
    const withBody = operations.filter((operation) => operation.body && !operation.path.startsWith('/v1/internal/'));
    const arbitrary = fc.constantFrom(...withBody).chain((operation) =>
      badBody(operation.body!, { scriptContent: base64(SHOP_SCRIPT) }).map((body) => ({
        label: `body ${JSON.stringify(body).slice(0, 200)}`,
        options: { method: operation.method as 'POST', url: fill(operation), payload: body as never },
      })),
    );
    await check(arbitrary, RUNS.fields);
  });

  it(`plugin callbacks: no token, a wrong token, another run's token, or the right token with a malformed body (${RUNS.callbacks} requests)`, async () => {
    const callbacks = operations.filter((operation) => operation.path.startsWith('/v1/internal/'));
    const good = (operation: Operation) => ({ runId: runningRun.id, seq: 1_000, timestamp: new Date().toISOString(), totalRequests: 5, totalFailures: 0, histogram: { '10': 5 }, ...(operation.path.endsWith('test-stop') ? { autoStopped: true } : {}) });
    const wrongAuth = fc.oneof(
      fc.constant<Record<string, string>>({}),
      fc.string({ minLength: 1, maxLength: 80 }).filter((token) => !/[\r\n]/.test(token) && /^[\x20-\x7e]*$/.test(token)).map((token) => ({ authorization: `Bearer ${token}` })),
      fc.constant({ authorization: `Bearer ${'fuzz-running-token-0123456789'.slice(0, -1)}` }),
      fc.constant({ authorization: 'Basic ZnV6ejpmdXp6' }),
      fc.constant({ 'x-locust-token': 'not-the-token' }),
      // the Failed run's own token, presented for the Running run
      fc.constant({ authorization: `Bearer ${failedRun.callbackToken}` }),
    );
    const arbitrary = fc.constantFrom(...callbacks).chain((operation) =>
      fc.oneof(
        wrongAuth.map((headers) => ({ label: `auth ${JSON.stringify(headers).slice(0, 100)}`, options: { method: 'POST' as const, url: operation.path, payload: good(operation), headers } })),
        badBody(operation.body!, { runId: runningRun.id, seq: 1_000 }).map((body) => ({
          label: `token + body ${JSON.stringify(body).slice(0, 200)}`,
          options: { method: 'POST' as const, url: operation.path, payload: body as never, headers: { authorization: `Bearer ${runningRun.callbackToken}` } },
        })),
      ),
    );
    await check(arbitrary, RUNS.callbacks);
  });

  it('generated at least 1,000 malformed requests, none answered 5xx', () => {
    console.info(`[reliability] fuzz: ${generated} generated malformed requests (${sent} sent with shrinking) over ${operations.length} routes; statuses ${[...statuses.entries()].sort().map(([status, count]) => `${status}×${count}`).join(' ')}`);
    expect(generated).toBeGreaterThanOrEqual(1_000);
    expect([...statuses.keys()].filter((status) => status >= 500)).toEqual([]);
  });

  it('refuses non-finite numbers (Infinity, -Infinity, 1e400) in every integer query or path parameter', async () => {
    const answers: string[] = [];
    for (const operation of operations) {
      for (const parameter of [...operation.query, ...operation.pathParams].filter((candidate) => mainType(candidate.schema) === 'integer')) {
        for (const value of ['Infinity', '-Infinity', '1e400']) {
          const isPath = operation.pathParams.includes(parameter);
          const url = isPath ? fill(operation, { [parameter.name]: value }) : `${fill(operation)}?${parameter.name}=${value}`;
          const response = await h.app.inject({ method: operation.method as 'GET', url });
          if (response.statusCode < 400 || response.statusCode >= 500) answers.push(`${operation.method} ${url} → ${response.statusCode}`);
        }
      }
    }
    expect(await snapshot()).toEqual(before);
    expect(answers).toEqual([]);
  });

  it('answers a path parameter over Fastify’s 100-character limit, or broken percent-encoding, in the catalogue’s error shape', async () => {
    for (const segment of ['a'.repeat(101), 'a'.repeat(5000), '%', '%zz', '%E0%A4%A', '%C0%AF', '%FF']) {
      const response = await h.app.inject({ method: 'GET', url: `/v1/runs/${segment}` });
      expect(response.statusCode, segment.slice(0, 20)).toBeGreaterThanOrEqual(400);
      expect(response.statusCode, segment.slice(0, 20)).toBeLessThan(500);
      expect(response.json(), `${segment.slice(0, 20)} → ${response.body.slice(0, 200)}`).toMatchObject({ error: { code: expect.stringMatching(/^LOADCTL_/), message: expect.any(String) } });
    }
  });
});

describe('API fuzzing: input that is dropped or coerced instead of refused', () => {
  let h: Harness;
  let testId: string;
  const body = { name: 'lenient', targetUrl: 'http://127.0.0.1:9', scriptContent: base64(SHOP_SCRIPT) };

  beforeAll(async () => {
    h = await startHarness();
    const created = await h.app.inject({ method: 'POST', url: '/v1/load-tests', payload: body });
    testId = created.json().id;
  });
  afterAll(async () => {
    await h?.close();
  });

  it('refuses $-operators and unknown keys in query strings rather than ignoring them', async () => {
    const entries = fc.sample(operatorQueryEntry, { numRuns: 50 }).filter((entry, index, all) => all.indexOf(entry) === index);
    const accepted: string[] = [];
    for (const route of ['/v1/runs', '/v1/load-tests', `/v1/load-tests/${testId}/runs`]) {
      for (const entry of entries) {
        const response = await h.app.inject({ method: 'GET', url: `${route}?${entry}` });
        expect(response.statusCode, response.body).toBeLessThan(500);
        if (response.statusCode < 400) accepted.push(`${route}?${entry} → ${response.statusCode}`);
      }
    }
    expect(accepted).toEqual([]);
  });

  it.each([
    ['an unknown field', { ...body, $where: 'sleep(1000)' }],
    ['a number for a string', { ...body, name: 12 }],
    ['a one-item array for a string', { ...body, name: ['x'] }],
    ['a numeric string for an integer', { ...body, defaultUsers: '5' }],
    ['true for an integer', { ...body, defaultUsers: true }],
    ['a one-item array for an integer', { ...body, defaultDurationSec: [30] }],
  ])('refuses %s in a body rather than dropping or coercing it, and writes nothing', async (_label, payload) => {
    const tests = (await h.store.listLoadTests({ limit: 500, offset: 0 })).total;
    const response = await h.app.inject({ method: 'POST', url: '/v1/load-tests', payload: payload as never });
    expect(response.statusCode, response.body).toBe(400);
    expect((await h.store.listLoadTests({ limit: 500, offset: 0 })).total).toBe(tests);
  });

  it('refuses an empty string for a nullable number (maxDurationSec) rather than reading it as null, which removes the cap', async () => {
    await h.app.inject({ method: 'PUT', url: `/v1/load-tests/${testId}`, payload: { maxDurationSec: 600 } });
    const before = await h.store.getLoadTest(testId);
    const response = await h.app.inject({ method: 'PUT', url: `/v1/load-tests/${testId}`, payload: { maxDurationSec: '' } });
    expect(response.statusCode, response.body.slice(0, 200)).toBe(400);
    expect(await h.store.getLoadTest(testId)).toEqual(before);
  });

  it('refuses a body of nothing but an unknown key nested 10,000 deep rather than applying it as an empty update', async () => {
    const before = await h.store.getLoadTest(testId);
    const response = await h.app.inject({ method: 'PUT', url: `/v1/load-tests/${testId}`, payload: DEEP_OBJECT, headers: { 'content-type': 'application/json' } });
    expect(response.statusCode, response.body.slice(0, 200)).toBe(400);
    expect(await h.store.getLoadTest(testId)).toEqual(before);
  });

  it('refuses a free-form field (metadata) nested 10,000 deep with 4xx, not 500', async () => {
    const payload = `${JSON.stringify(body).slice(0, -1)},"metadata":${DEEP_OBJECT}}`;
    const response = await h.app.inject({ method: 'POST', url: '/v1/load-tests', payload, headers: { 'content-type': 'application/json' } });
    expect(response.statusCode, response.body).toBeGreaterThanOrEqual(400);
    expect(response.statusCode, response.body).toBeLessThan(500);
  });
});
