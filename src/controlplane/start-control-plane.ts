import { createLocustClient, detectLocustPlugin } from '../locust/locust-client.js';
import { findFreePort } from '../locust/free-port.js';
import { spawnLocust, spawnLocustWorker, type LocustSpawner, type LocustWorkerSpawner } from '../locust/locust-process.js';
import type { LocustRuntime } from '../locust/runtime.js';
import { createPythonSyntaxChecker, type ScriptChecker } from '../locust/syntax-check.js';
import { prepareRequirementsEnv } from '../locust/requirements-env.js';
import type { LocustHeadStart } from '../orchestrator/locust-head-start.js';
import { Orchestrator, type OrchestratorDeps, type OrchestratorTimeouts } from '../orchestrator/orchestrator.js';
import { RunEventBus } from '../orchestrator/run-events.js';
import { recoverRuns } from '../orchestrator/recover-runs.js';
import { sweepOrphanRunDirs } from '../orchestrator/run-dirs.js';
import { startOwnerHeartbeat, thisProcessOwner } from '../orchestrator/run-owner.js';
import type { Store } from '../store/store.js';
import { deriveLaunchToken } from '../domain/run-secrets.js';
import type { LocustCluster } from '../config/config.js';
import { newId, newToken } from './ids.js';
import { buildControlPlane, listen, type RunningControlPlane } from './server.js';

export interface StartControlPlaneOptions {
  store: Store;
  host: string;
  port: number;
  /** Resolves the Locust runtime; called once per launch (may prepare it on first use). */
  runtime: () => Promise<LocustRuntime>;
  /** Where runs' Python requirements are installed (`<dataDir>/envs`); absent: runs with requirements fail. */
  dataDir?: string;
  /** The Python that checks uploaded scripts. */
  python: () => Promise<string>;
  apiToken?: string;
  /** Host names besides loopback ones that a control plane without an API token answers to. */
  allowedHosts?: readonly string[];
  /** The key each run's launch token is derived with (cli/launch-secret.ts). */
  launchSecret: string;
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
  spawnWorker?: LocustWorkerSpawner;
  /** Issues each run's callback token (random by default); tests pass one that remembers what it issued. */
  newToken?: () => string;
  timeouts?: Partial<OrchestratorTimeouts>;
  /**
   * Settle runs whose owner is gone (default true). Read-only commands pass false: they never
   * write, and a slow or suspended owner's live run is not theirs to fail.
   */
  recoverRuns?: boolean;
  /** A Locust started before the control plane (`loadctl run`), adopted by the run it fits. */
  headStart?: LocustHeadStart;
  /** Checks uploaded scripts instead of a fresh Python per upload (`loadctl run` checks its script early). */
  checkScript?: ScriptChecker;
  /** Serve /openapi.json and Swagger UI (default true; `loadctl serve`). */
  apiDocs?: boolean;
}

export interface ControlPlane extends RunningControlPlane {
  orchestrator: Orchestrator;
  /** Every run update of this process (serve logs its transitions). */
  events: RunEventBus;
}

/** Wires store, orchestrator and HTTP routes together and starts listening. */
export async function startControlPlane(options: StartControlPlaneOptions): Promise<ControlPlane> {
  const now = options.now ?? (() => new Date());
  const runOwner = () => thisProcessOwner(now());
  const events = new RunEventBus();
  const launchTokenFor = (runId: string): string => deriveLaunchToken(options.launchSecret, runId);
  let callbackBase = '';
  const orchestrator = new Orchestrator({
    store: options.store,
    events,
    now,
    launchTokenFor,
    findPort: () => findFreePort('127.0.0.1'),
    spawn: options.spawn ?? spawnLocust,
    spawnWorker: options.spawnWorker ?? spawnLocustWorker,
    clientFor: createLocustClient,
    detectPlugin: detectLocustPlugin,
    runtime: options.runtime,
    ...(options.dataDir === undefined ? {} : { prepareRequirements: requirementsPreparer(options.dataDir) }),
    callbackUrl: () => `${callbackBase}/v1/internal/locust`,
    metricsIntervalSeconds: options.metricsIntervalSeconds,
    ...(options.locustClusters ? { clusters: options.locustClusters } : {}),
    ...(options.locustArgs ? { locustArgs: options.locustArgs } : {}),
    log: options.log,
    ...(options.timeouts ? { timeouts: options.timeouts } : {}),
    ...(options.headStart ? { headStart: options.headStart } : {}),
  });
  const app = await buildControlPlane({
    store: options.store,
    orchestrator,
    events,
    checkScript: options.checkScript ?? (async (script) => createPythonSyntaxChecker(await options.python())(script)),
    now,
    newId,
    newToken: options.newToken ?? newToken,
    ...(options.apiToken ? { apiToken: options.apiToken } : {}),
    ...(options.allowedHosts ? { allowedHosts: options.allowedHosts } : {}),
    ...(options.locustCallbackToken ? { locustCallbackToken: options.locustCallbackToken } : {}),
    ...(options.locustClusters ? { locustClusters: options.locustClusters } : {}),
    controlPlaneUrl: () => callbackBase,
    runOwner,
    defaultThresholds: options.defaultThresholds ?? true,
    log: options.log,
    ...(options.apiDocs === undefined ? {} : { apiDocs: options.apiDocs }),
  });
  // Run folders of a loadctl that crashed (its scripts): removed before we make our own.
  await sweepOrphanRunDirs({ log: options.log }).catch((error: unknown) => options.log(`sweeping old run folders failed: ${(error as Error).message}`));
  const running = await listen(app, options.host, options.port);
  // Locust runs on this machine: loopback reaches us unless we listen on one other address only.
  const url = new URL(running.url);
  const wildcard = ['0.0.0.0', '::', '[::]', 'localhost'].includes(options.host) || options.host.startsWith('127.');
  callbackBase = wildcard ? `http://127.0.0.1:${url.port}` : running.url;
  const stopHeartbeat = startOwnerHeartbeat({ store: options.store, owner: runOwner, activeRunIds: () => orchestrator.activeRunIds(), log: options.log });
  // Runs a dead control plane left behind are settled in the background, not before we listen.
  if (options.recoverRuns ?? true) {
    void recoverRuns({ store: options.store, orchestrator, ownUrl: callbackBase, owner: runOwner, clientFor: createLocustClient, launchTokenFor, ...(options.locustClusters ? { clusters: options.locustClusters } : {}), log: options.log }).catch(
      (error: unknown) => options.log(`recovering runs left by an earlier control plane failed: ${(error as Error).message}`),
    );
  }
  return {
    ...running,
    orchestrator,
    events,
    async close() {
      stopHeartbeat();
      await orchestrator.shutdown();
      await options.headStart?.discard();
      await running.close();
    },
  };
}

function requirementsPreparer(dataDir: string): NonNullable<OrchestratorDeps['prepareRequirements']> {
  return async (runtime, requirements, onStep) => {
    const env = await prepareRequirementsEnv({ dataDir, runtime, requirements, onStep });
    if (env.cached) onStep(`using the installed requirements ${env.envDir}`);
    return env.pythonPath;
  };
}
