// A real control plane for the run commands: embedded store, real HTTP, real orchestrator and
// (when a test lets it) real Locust. A test decides where a launch waits: `hold('runtime')`
// keeps new runs Starting with no Locust, so the test moves them with the plugin's own
// callbacks (authenticated with the run's token); `hold('ready')` lets Locust start and answer
// but keeps the launch from swarming; `hold('none')` runs Locust for real.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiClient } from '../../../src/controlplane/client.js';
import { newToken } from '../../../src/controlplane/ids.js';
import { startControlPlane, type ControlPlane } from '../../../src/controlplane/start-control-plane.js';
import type { RunView } from '../../../src/controlplane/views.js';
import { startDemoTarget, type DemoTarget } from '../../../src/demo-target/index.js';
import type { MetricsSnapshot } from '../../../src/domain/types.js';
import { spawnLocust, type LocustSpawner } from '../../../src/locust/locust-process.js';
import { findLocustRuntime } from '../../../src/locust/runtime.js';
import { SqliteStore } from '../../../src/store/sqlite-store.js';
import { REPO_ROOT } from '../../support/cli.js';
import { locustBinForTests } from '../../support/locust-runtime.js';
import { http } from '../../reliability/_support.js';

type Hold = 'runtime' | 'ready' | 'none';

export interface RealApi {
  url: string;
  client: ApiClient;
  store: SqliteStore;
  controlPlane: ControlPlane;
  /** Where launches started from now on wait (until `release()`). */
  hold(where: Hold): void;
  /** Lets every held launch go on. */
  release(): void;
  /** Resolves once the Locust of the latest held-at-ready launch answers on its web port. */
  locustAnswering(): Promise<void>;
  startRun(body?: Record<string, unknown>): Promise<RunView>;
  /** Posts a plugin callback for the run, with its token. */
  callback(runId: string, kind: 'test-start' | 'metrics' | 'test-stop', body: Partial<MetricsSnapshot> & Record<string, unknown>): Promise<void>;
  close(): Promise<void>;
}

const SCRIPT = readFileSync(join(REPO_ROOT, 'locust/examples/products.py')).toString('base64');

export async function startRealApi(): Promise<RealApi> {
  const dir = mkdtempSync(join(tmpdir(), 'loadctl-cli-real-'));
  const target: DemoTarget = await startDemoTarget({ port: 0 });
  const runtime = findLocustRuntime({ dataDir: dir, locustBin: locustBinForTests() })!;
  let mode: Hold = 'runtime';
  let open!: () => void;
  let gate = new Promise<void>((resolve) => (open = resolve));
  let answering: Promise<void> = Promise.resolve();
  const spawner: LocustSpawner = (launch) => {
    const locust = spawnLocust(launch);
    if (mode !== 'ready') return locust;
    answering = locust.announcedReady;
    const held = gate;
    return { ...locust, announcedReady: held.then(() => locust.announcedReady), hasExited: () => locust.hasExited(), outputTail: () => locust.outputTail() };
  };
  const store = new SqliteStore({ file: join(dir, 'loadctl.db') });
  await store.init();
  // The store keeps only a hash of each run's callback token: remember the tokens as they are issued.
  const issued: string[] = [];
  const tokens = new Map<string, string>();
  const controlPlane = await startControlPlane({
    launchSecret: 'test-launch-secret-0123456789abcdef',
    newToken: () => {
      issued.push(newToken());
      return issued.at(-1)!;
    },
    store,
    host: '127.0.0.1',
    port: 0,
    runtime: async () => {
      if (mode === 'runtime') await gate;
      return runtime;
    },
    python: async () => runtime.python,
    metricsIntervalSeconds: 1,
    spawn: spawner,
    // A stop waits this long for Locust's final report: longer than any test here.
    timeouts: { stopMs: 60_000 },
    log: () => {},
  });
  const created = await http('POST', `${controlPlane.url}/v1/load-tests`, { name: 'products-api', targetUrl: target.url, scriptContent: SCRIPT, defaultUsers: 2, defaultSpawnRate: 2 });
  if (created.status !== 201) throw new Error(`creating the test failed: ${created.text}`);
  const client = new ApiClient({ baseUrl: controlPlane.url });

  return {
    url: controlPlane.url,
    client,
    store,
    controlPlane,
    hold(where) {
      mode = where;
    },
    release() {
      open();
      gate = new Promise<void>((resolve) => (open = resolve));
    },
    locustAnswering: () => answering,
    async startRun(body = {}) {
      const run = await client.startRun(created.json.id, { durationSeconds: 60, ...body });
      // Runs start one at a time here: the token issued last is this run's.
      tokens.set(run.id, issued.at(-1)!);
      return run;
    },
    async callback(runId, kind, body) {
      const token = tokens.get(runId);
      const answer = await http('POST', `${controlPlane.url}/v1/internal/locust/${kind}`, { runId, timestamp: new Date().toISOString(), ...body }, { authorization: `Bearer ${token}` });
      if (answer.status !== 200) throw new Error(`${kind} callback answered ${answer.status}: ${answer.text}`);
    },
    async close() {
      open();
      await controlPlane.close();
      await store.close();
      await target.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
