// A Locust that `loadctl run` started before its run existed (locust-head-start.ts) must never
// outlive the run: a stop that lands while the launch is adopting it, and a head start whose
// own start fails, leave no Locust and no run folder behind. A real control plane over the
// embedded store and real Locust processes; only the moment of the adoption is held.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, type ControlPlane } from '../../src/controlplane/start-control-plane.js';
import { startDemoTarget, type DemoTarget } from '../../src/demo-target/index.js';
import { injectPlugin } from '../../src/domain/inject-plugin.js';
import { findFreePort } from '../../src/locust/free-port.js';
import { spawnLocust, type LocustLaunch, type LocustProcess } from '../../src/locust/locust-process.js';
import { findLocustRuntime, type LocustRuntime } from '../../src/locust/runtime.js';
import { startLocustHeadStart, type LocustHeadStart } from '../../src/orchestrator/locust-head-start.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { REPO_ROOT } from '../support/cli.js';
import { locustBinForTests } from '../support/locust-runtime.js';
import { waitFor } from '../support/serve.js';
import { http } from '../reliability/_support.js';

const SCRIPT = readFileSync(join(REPO_ROOT, 'locust/examples/products.py'), 'utf8');

describe('a head-started Locust and its run', () => {
  let dir: string;
  let target: DemoTarget;
  let runtime: LocustRuntime;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'loadctl-head-start-races-'));
    target = await startDemoTarget({ port: 0 });
    runtime = findLocustRuntime({ dataDir: dir, locustBin: locustBinForTests() })!;
  });
  afterAll(async () => {
    await target?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a stop while the run adopts the early Locust: that Locust is quit and its folder removed', async () => {
    const spawned: LocustProcess[] = [];
    const launches: LocustLaunch[] = [];
    const early = startLocustHeadStart({
      injectedScript: injectPlugin(SCRIPT),
      targetUrl: target.url,
      runtime: async () => runtime,
      spawn: (launch) => {
        launches.push(launch);
        const started = spawnLocust(launch);
        spawned.push(started);
        return started;
      },
      findPort: () => findFreePort('127.0.0.1'),
    });
    // The adoption waits until the test has stopped the run.
    let openAdoption!: () => void;
    const adoption = new Promise<void>((resolve) => (openAdoption = resolve));
    let asked = false;
    const held: LocustHeadStart = {
      take: async (script, url) => {
        asked = true;
        await adoption;
        return early.take(script, url);
      },
      discard: () => early.discard(),
      compiled: () => early.compiled(),
    };
    const store = new SqliteStore({ file: join(dir, 'stop.db') });
    await store.init();
    let controlPlane: ControlPlane | undefined;
    try {
      controlPlane = await startControlPlane({
        launchSecret: 'test-launch-secret-0123456789abcdef',
        store,
        host: '127.0.0.1',
        port: 0,
        runtime: async () => runtime,
        python: async () => runtime.python,
        metricsIntervalSeconds: 1,
        spawn: spawnLocust,
        headStart: held,
        log: () => {},
      });
      const test = await http('POST', `${controlPlane.url}/v1/load-tests`, { name: 'head start', targetUrl: target.url, scriptContent: Buffer.from(SCRIPT).toString('base64'), defaultUsers: 2, defaultSpawnRate: 2 });
      expect(test.status, test.text).toBe(201);
      const run = await http('POST', `${controlPlane.url}/v1/load-tests/${test.json.id}/runs`, { durationSeconds: 30 });
      expect(run.status, run.text).toBe(201);
      await waitFor(async () => asked, (value) => value, { timeoutMs: 15_000, what: 'the launch to ask for the early Locust' });
      // The early Locust is up before the stop, so the adoption below hands over a live process.
      await waitFor(async () => spawned.length, (count) => count === 1, { timeoutMs: 15_000, what: 'the early Locust to be spawned' });
      const stop = await http('POST', `${controlPlane.url}/v1/runs/${run.json.id}/stop`);
      expect(stop.status, stop.text).toBe(202);
      openAdoption();

      await waitFor(async () => spawned[0]!.hasExited(), (exited) => exited, { timeoutMs: 20_000, what: 'the adopted early Locust of a stopped run to be quit' });
      await waitFor(async () => existsSync(launches[0]!.workDir), (exists) => !exists, { timeoutMs: 10_000, what: 'its run folder to be removed' });
      expect((await store.getRun(run.json.id))?.status).toBe('Stopped');
    } finally {
      await controlPlane?.close();
      await store.close();
      await Promise.all(spawned.map((process) => process.terminate(2_000)));
    }
  }, 90_000);

  it('a head start whose runtime fails leaves no run folder behind', async () => {
    const temp = mkdtempSync(join(dir, 'tmp-'));
    const previous = process.env.TMPDIR;
    process.env.TMPDIR = temp; // createRunDir() makes its folders under os.tmpdir()
    try {
      const early = startLocustHeadStart({
        injectedScript: injectPlugin(SCRIPT),
        targetUrl: target.url,
        runtime: async () => {
          throw new Error('no Python here');
        },
        spawn: spawnLocust,
        findPort: () => findFreePort('127.0.0.1'),
      });
      expect(await early.take(injectPlugin(SCRIPT), target.url)).toBeUndefined();
      await early.discard();
    } finally {
      if (previous === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = previous;
    }
    expect(readdirSync(temp)).toEqual([]);
  });
});
