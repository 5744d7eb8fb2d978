// Issue 10, scenarios 2 and 3: a stop that lands while a launch is in flight (waiting for the
// Python runtime, or queued behind three other launches) must leave no Locust behind, and a
// stop given a stale copy of a run must still tell Locust. A real control plane over the
// embedded store, real Locust processes; only the runtime and the readiness of the first
// launches are held, so the test decides where each launch waits.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, type ControlPlane } from '../../src/controlplane/start-control-plane.js';
import { startDemoTarget, type DemoTarget } from '../../src/demo-target/index.js';
import { spawnLocust, type LocustLaunch, type LocustSpawner } from '../../src/locust/locust-process.js';
import { findLocustRuntime, type LocustRuntime } from '../../src/locust/runtime.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { REPO_ROOT } from '../support/cli.js';
import { locustBinForTests } from '../support/locust-runtime.js';
import { waitFor } from '../support/serve.js';
import { http, waitForTerminalRun } from '../reliability/_support.js';

const SCRIPT = readFileSync(join(REPO_ROOT, 'locust/examples/products.py')).toString('base64');

interface Gate {
  promise: Promise<void>;
  open(): void;
}

function gate(): Gate {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

describe('a stop while the launch is in flight (issue 10, scenario 2)', () => {
  let dir: string;
  let target: DemoTarget;
  let store: SqliteStore;
  let controlPlane: ControlPlane;
  let realRuntime: LocustRuntime;
  let runtimeGate = gate();
  let readyGate: Gate | undefined;
  const spawned: LocustLaunch[] = [];
  const logs: string[] = [];
  let testId: string;

  // Counts every Locust started; while `readyGate` is shut, started Locusts hold their launch slot.
  const countingSpawner: LocustSpawner = (launch) => {
    spawned.push(launch);
    const locust = spawnLocust(launch);
    const held = readyGate;
    return held ? { ...locust, announcedReady: held.promise.then(() => locust.announcedReady), hasExited: () => locust.hasExited(), outputTail: () => locust.outputTail() } : locust;
  };
  const startRun = async (body: Record<string, unknown>): Promise<any> => {
    const answer = await http('POST', `${controlPlane.url}/v1/load-tests/${testId}/runs`, body);
    expect(answer.status, answer.text).toBe(201);
    return answer.json;
  };
  const statusOf = async (id: string): Promise<string> => (await http('GET', `${controlPlane.url}/v1/runs/${id}`)).json.status;
  const abandoned = (runId: string): boolean => logs.some((line) => line.includes(`run ${runId}: launch abandoned`));

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'loadctl-launch-races-'));
    target = await startDemoTarget({ port: 0 });
    realRuntime = findLocustRuntime({ dataDir: dir, locustBin: locustBinForTests() })!;
    store = new SqliteStore({ file: join(dir, 'loadctl.db') });
    await store.init();
    controlPlane = await startControlPlane({ launchSecret: 'test-launch-secret-0123456789abcdef',
      store,
      host: '127.0.0.1',
      port: 0,
      runtime: async () => (await runtimeGate.promise, realRuntime),
      python: async () => realRuntime.python,
      metricsIntervalSeconds: 1,
      spawn: countingSpawner,
      log: (line) => void logs.push(line),
    });
    const test = await http('POST', `${controlPlane.url}/v1/load-tests`, { name: 'launch races', targetUrl: target.url, scriptContent: SCRIPT, defaultUsers: 2, defaultSpawnRate: 2 });
    expect(test.status, test.text).toBe(201);
    testId = test.json.id;
  });

  afterAll(async () => {
    runtimeGate.open();
    readyGate?.open();
    await controlPlane?.close();
    await store?.close();
    await target?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a stop while the launch waits for the runtime: Stopped, and no Locust is ever spawned, even once its test is deleted', async () => {
    const own = await http('POST', `${controlPlane.url}/v1/load-tests`, { name: 'deleted while starting', targetUrl: target.url, scriptContent: SCRIPT });
    const run = (await http('POST', `${controlPlane.url}/v1/load-tests/${own.json.id}/runs`, { durationSeconds: 60 })).json;
    await waitFor(() => statusOf(run.id), (status) => status === 'Starting', { timeoutMs: 10_000, what: 'the run to be Starting (held at the runtime)' });
    // While it starts, its test cannot be deleted: the run would outlive it.
    const refused = await http('DELETE', `${controlPlane.url}/v1/load-tests/${own.json.id}`);
    expect(refused.status, refused.text).toBe(409);
    expect(refused.json.error.code).toBe('LOADCTL_RUN_CONFLICT');

    const stop = await http('POST', `${controlPlane.url}/v1/runs/${run.id}/stop`);
    expect(stop.status, stop.text).toBe(202);
    expect(await statusOf(run.id)).toBe('Stopped');
    const deleted = await http('DELETE', `${controlPlane.url}/v1/load-tests/${own.json.id}`);
    expect(deleted.status, deleted.text).toBe(204);

    runtimeGate.open();
    await waitFor(async () => ({ spawned: spawned.length, abandoned: abandoned(run.id) }), (seen) => seen.spawned > 0 || seen.abandoned, { timeoutMs: 15_000, what: 'the launch to go on or give up' });
    expect(spawned).toHaveLength(0);
    expect(controlPlane.orchestrator.activeRunIds()).not.toContain(run.id);
  });

  it('a stop while the launch is queued behind three others: that run never spawns a Locust', async () => {
    readyGate = gate();
    const first = await Promise.all([1, 2, 3].map(() => startRun({ durationSeconds: 2 })));
    // Only once the three hold every slot: launches of runs started together reach the limiter in any order.
    await waitFor(async () => spawned.length, (count) => count === 3, { timeoutMs: 15_000, what: 'three Locusts holding the launch slots' });
    const queued = await startRun({ durationSeconds: 60 });
    await waitFor(() => statusOf(queued.id), (status) => status === 'Starting', { timeoutMs: 10_000, what: 'the fourth run to be Starting' });

    const stop = await http('POST', `${controlPlane.url}/v1/runs/${queued.id}/stop`);
    expect(stop.status, stop.text).toBe(202);
    readyGate.open();
    readyGate = undefined;

    await waitFor(async () => ({ spawned: spawned.length, abandoned: abandoned(queued.id) }), (seen) => seen.spawned > 3 || seen.abandoned, { timeoutMs: 30_000, what: 'the queued launch to go on or give up' });
    expect(spawned).toHaveLength(3);
    expect(await statusOf(queued.id)).toBe('Stopped');
    // The three others ran as usual.
    for (const run of first) expect((await waitForTerminalRun(controlPlane.url, run.id, 60_000)).status).toBe('Finished');
    expect(spawned).toHaveLength(3);
  }, 120_000);

  it('a stop given a stale Pending copy of a Running run tells Locust (issue 10, scenario 3)', async () => {
    const started = await startRun({ durationSeconds: 60 });
    const running = await waitFor(async () => (await store.getRun(started.id))!, (run) => run.status === 'Running' && (run.lastMetrics?.seq ?? 0) >= 1, { timeoutMs: 60_000, what: 'the run to be Running with metrics' });
    const answer = await controlPlane.orchestrator.stop({ ...running, status: 'Pending' });
    expect(answer.status).toBe('Stopping');
    const ended = await waitForTerminalRun(controlPlane.url, started.id, 30_000);
    expect(ended.status).toBe('Stopped');
    // Locust was told: the plugin's final report came in (not the fallback after its silence).
    expect(ended.statusHistory.map((change: { to: string }) => change.to)).toEqual(['Pending', 'Starting', 'Running', 'Stopping', 'Stopped']);
    expect(ended.finalMetrics.totalRequests).toBeGreaterThan(0);
    expect(ended.statusHistory.at(-1).reason ?? '').not.toMatch(/no final report|did not answer/);
    await controlPlane.orchestrator.released(started.id);
    expect(controlPlane.orchestrator.activeRunIds()).not.toContain(started.id);
  }, 90_000);
});
