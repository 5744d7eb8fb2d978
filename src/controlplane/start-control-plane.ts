import { createLocustClient, detectLocustPlugin } from '../locust/locust-client.js';
import { findFreePort } from '../locust/free-port.js';
import { spawnLocust, type LocustSpawner } from '../locust/locust-process.js';
import type { LocustRuntime } from '../locust/runtime.js';
import { createPythonSyntaxChecker } from '../locust/syntax-check.js';
import { Orchestrator, type OrchestratorTimeouts } from '../orchestrator/orchestrator.js';
import { RunEventBus } from '../orchestrator/run-events.js';
import { recoverRuns } from '../orchestrator/recover-runs.js';
import type { Store } from '../store/store.js';
import type { LocustCluster } from '../config/config.js';
import { newId, newToken } from './ids.js';
import { buildControlPlane, listen, type RunningControlPlane } from './server.js';

export interface StartControlPlaneOptions {
  store: Store;
  host: string;
  port: number;
  /** Resolves the Locust runtime; called once per launch (may prepare it on first use). */
  runtime: () => Promise<LocustRuntime>;
  /** The Python that checks uploaded scripts. */
  python: () => Promise<string>;
  apiToken?: string;
  /** security.locustCallbackToken: the static token of clusters running the replaced system's plugin. */
  locustCallbackToken?: string;
  locustClusters?: readonly LocustCluster[];
  /** Runs started through the API without a say get loadctl's default thresholds (default true). */
  defaultThresholds?: boolean;
  metricsIntervalSeconds: number;
  locustArgs?: readonly string[];
  log: (message: string) => void;
  now?: () => Date;
  spawn?: LocustSpawner;
  timeouts?: Partial<OrchestratorTimeouts>;
}

export interface ControlPlane extends RunningControlPlane {
  orchestrator: Orchestrator;
}

/** Wires store, orchestrator and HTTP routes together and starts listening. */
export async function startControlPlane(options: StartControlPlaneOptions): Promise<ControlPlane> {
  const now = options.now ?? (() => new Date());
  const events = new RunEventBus();
  let callbackBase = '';
  const orchestrator = new Orchestrator({
    store: options.store,
    events,
    now,
    newToken,
    findPort: () => findFreePort('127.0.0.1'),
    spawn: options.spawn ?? spawnLocust,
    clientFor: createLocustClient,
    detectPlugin: detectLocustPlugin,
    runtime: options.runtime,
    callbackUrl: () => `${callbackBase}/v1/internal/locust`,
    metricsIntervalSeconds: options.metricsIntervalSeconds,
    ...(options.locustClusters ? { clusters: options.locustClusters } : {}),
    ...(options.locustArgs ? { locustArgs: options.locustArgs } : {}),
    log: options.log,
    ...(options.timeouts ? { timeouts: options.timeouts } : {}),
  });
  const app = await buildControlPlane({
    store: options.store,
    orchestrator,
    events,
    checkScript: async (script) => createPythonSyntaxChecker(await options.python())(script),
    now,
    newId,
    newToken,
    ...(options.apiToken ? { apiToken: options.apiToken } : {}),
    ...(options.locustCallbackToken ? { locustCallbackToken: options.locustCallbackToken } : {}),
    ...(options.locustClusters ? { locustClusters: options.locustClusters } : {}),
    controlPlaneUrl: () => callbackBase,
    defaultThresholds: options.defaultThresholds ?? true,
    log: options.log,
  });
  const running = await listen(app, options.host, options.port);
  // Locust runs on this machine: loopback reaches us unless we listen on one other address only.
  const url = new URL(running.url);
  const wildcard = ['0.0.0.0', '::', '[::]', 'localhost'].includes(options.host) || options.host.startsWith('127.');
  callbackBase = wildcard ? `http://127.0.0.1:${url.port}` : running.url;
  // Runs a dead control plane left behind are settled in the background, not before we listen.
  void recoverRuns({ store: options.store, orchestrator, ownUrl: callbackBase, clientFor: createLocustClient, ...(options.locustClusters ? { clusters: options.locustClusters } : {}), log: options.log }).catch(
    (error: unknown) => options.log(`recovering runs left by an earlier control plane failed: ${(error as Error).message}`),
  );
  return {
    ...running,
    orchestrator,
    async close() {
      await orchestrator.shutdown();
      await running.close();
    },
  };
}
