// The `requirements` of a run through the API: checked, normalised, stored with the run and
// given back (a remote worker installs the same from it); a bad one stores nothing.
import { afterEach, describe, expect, it } from 'vitest';
import { LoadctlError } from '../../src/domain/errors.js';
import { sha256Of } from '../../src/domain/script-source.js';
import { createTestViaApi, expectError, json, startHarness, waitForRun, type Harness } from './_harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('POST /v1/load-tests/{id}/runs with requirements', () => {
  it('stores the normalised text and its sha256 with the run, and answers them on GET', async () => {
    h = await startHarness();
    const test = await createTestViaApi(h);
    const response = await h.app.inject({ method: 'POST', url: `/v1/load-tests/${test.id}/runs`, payload: { requirements: '# the script imports it\ninflection==0.5.1  # underscore()\n' } });
    expect(response.statusCode, response.body).toBe(201);
    const expected = { text: 'inflection==0.5.1\n', sha256: sha256Of('inflection==0.5.1\n') };
    expect(json(response).requirements).toEqual(expected);
    const runId = json(response).id as string;
    expect(json(await h.app.inject({ method: 'GET', url: `/v1/runs/${runId}` })).requirements).toEqual(expected);
    // This control plane was given no data dir to install into: the run fails before Locust, saying why.
    const failed = await waitForRun(h.store, runId, (run) => run.status === 'Failed');
    expect(failed.error).toContain('cannot install requirements');
    expect(h.launches).toEqual([]);
  });

  it('gives Locust the PYTHONPATH folders the installed requirements answer, after installing them', async () => {
    const asked: string[] = [];
    h = await startHarness({
      prepareRequirements: async (_runtime, requirements, onStep) => {
        asked.push(requirements);
        onStep('Installing 1 Python requirement');
        return ['/venv/site-packages', '/data/envs/abc/site'];
      },
    });
    const test = await createTestViaApi(h);
    const runId = json(await h.app.inject({ method: 'POST', url: `/v1/load-tests/${test.id}/runs`, payload: { requirements: 'inflection==0.5.1' } })).id as string;
    await waitForRun(h.store, runId, (run) => run.status === 'Failed'); // the harness's Locust never starts
    expect(asked).toEqual(['inflection==0.5.1\n']);
    expect(h.launches.map((launch) => launch.pythonPath)).toEqual([['/venv/site-packages', '/data/envs/abc/site']]);
    expect(h.logs).toContain(`run ${runId}: Installing 1 Python requirement`);
  });

  it('fails the run with the error code and pip’s words when installing fails, without starting Locust', async () => {
    h = await startHarness({
      prepareRequirements: async () => {
        throw new LoadctlError('LOADCTL_REQUIREMENTS_FAILED', "Installing the run's Python requirements failed: pip exit code 1.\n  pip said:\n    ERROR: No matching distribution found for nosuchpkg==9");
      },
    });
    const test = await createTestViaApi(h);
    const runId = json(await h.app.inject({ method: 'POST', url: `/v1/load-tests/${test.id}/runs`, payload: { requirements: 'nosuchpkg==9' } })).id as string;
    const failed = await waitForRun(h.store, runId, (run) => run.status === 'Failed');
    expect(failed.error).toMatch(/^LOADCTL_REQUIREMENTS_FAILED: Installing the run's Python requirements failed: pip exit code 1\.\n.*No matching distribution found for nosuchpkg==9$/s);
    expect(h.launches).toEqual([]);
  });

  it('starts Locust without extra PYTHONPATH folders for a run without requirements', async () => {
    h = await startHarness({ prepareRequirements: async () => Promise.reject(new Error('must not be asked')) });
    const test = await createTestViaApi(h);
    const runId = json(await h.app.inject({ method: 'POST', url: `/v1/load-tests/${test.id}/runs`, payload: {} })).id as string;
    await waitForRun(h.store, runId, (run) => run.status === 'Failed');
    expect(h.launches).toHaveLength(1);
    expect(h.launches[0]).not.toHaveProperty('pythonPath');
  });

  it('gives a run without requirements no such field', async () => {
    h = await startHarness();
    const test = await createTestViaApi(h);
    const response = await h.app.inject({ method: 'POST', url: `/v1/load-tests/${test.id}/runs`, payload: {} });
    expect(response.statusCode, response.body).toBe(201);
    expect(json(response)).not.toHaveProperty('requirements');
  });

  it('refuses a -r line (a file of the caller’s machine) with 400 and creates no run', async () => {
    h = await startHarness();
    const test = await createTestViaApi(h);
    const response = await h.app.inject({ method: 'POST', url: `/v1/load-tests/${test.id}/runs`, payload: { requirements: 'inflection==0.5.1\n-r base.txt\n' } });
    expectError(response, 400, 'LOADCTL_REQUIREMENTS_INVALID');
    expect(json(response).error.details).toEqual({ field: 'requirements' });
    expect((await h.store.listRuns({ limit: 10, offset: 0 })).total).toBe(0);
  });

  it('refuses requirements for a run on an already running Locust cluster', async () => {
    h = await startHarness({ locustClusters: [{ id: 'rack-1', baseUrl: 'http://127.0.0.1:9' }] });
    const test = await createTestViaApi(h);
    const response = await h.app.inject({ method: 'POST', url: `/v1/load-tests/${test.id}/runs`, payload: { locustClusterId: 'rack-1', requirements: 'inflection==0.5.1' } });
    expectError(response, 400, 'LOADCTL_REQUIREMENTS_INVALID');
    expect(json(response).error.message).toContain('rack-1');
    expect((await h.store.listRuns({ limit: 10, offset: 0 })).total).toBe(0);
  });
});
