import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { isTerminal } from '../domain/run-state.js';
import type { LocustPlugin, Run, ScriptRevision } from '../domain/types.js';
import type { LocustClient } from '../locust/locust-client.js';
import type { LocustExit, LocustProcess, LocustSpawner, LocustWorkerSpawner } from '../locust/locust-process.js';
import type { LocustRuntime } from '../locust/runtime.js';
import type { Store } from '../store/store.js';
import type { LocustCluster } from '../config/config.js';
import { recordMetrics, recordTestStart, recordTestStop, type CallbackPayload } from './callbacks.js';
import { truncateCallbackTexts } from '../domain/callback-texts.js';
import { reportAsTestStop, SilenceWatchdog } from './silence-watchdog.js';
import type { RunEventBus } from './run-events.js';
import { moveRun, type TransitionDeps } from './transitions.js';
import { createLimiter } from './_limiter.js';
import type { LocustHeadStart } from './locust-head-start.js';
import { createRunDir } from './run-dirs.js';
import { locustPlacement, writeRevisionFiles, type WrittenRevision } from './write-revision.js';
import { KeyedLock } from '../store/_keyed-lock.js';
import { LoadctlError } from '../domain/errors.js';
import { missingModuleHint } from '../domain/requirements.js';
import { isDistributed } from '../domain/workers.js';
import { localAddressOf, masterBindOf, startLocalWorkers, waitForWorkers, WorkerMonitor } from './workers.js';

export interface OrchestratorTimeouts {
  /** Locust must answer on its web port with the plugin loaded within this. */
  readyMs: number;
  /** After /swarm, the plugin's first callback must come within this. */
  firstCallbackMs: number;
  /** After a stop request, the plugin's test-stop must come within this. */
  stopMs: number;
  /** SIGTERM → SIGKILL grace when quitting Locust. */
  quitGraceMs: number;
  /** A Running run without a push for max(3 × interval, this) is settled by the silence watchdog. */
  silenceFloorMs: number;
  /** …and so is one whose test-stop has not come this long after its duration. */
  durationGraceMs: number;
  /** How often the silence watchdog looks. */
  watchdogEveryMs: number;
  /** How long Locust may take to answer POST /controlplane/final-report (it may stop the test first). */
  finalReportMs: number;
  /** A distributed run's master must have all its workers within this, else the run fails. */
  workersMs: number;
  /** How often a distributed run's workers are looked at (joins, losses). */
  workersEveryMs: number;
}

const ADOPTED_CHECK_MS = 2_000;
const CONCURRENT_LAUNCHES = 3;
const ADOPTED_MISSES_ALLOWED = 3;

export const DEFAULT_TIMEOUTS: OrchestratorTimeouts = {
  readyMs: 60_000,
  firstCallbackMs: 30_000,
  stopMs: 15_000,
  quitGraceMs: 5_000,
  silenceFloorMs: 30_000,
  durationGraceMs: 30_000,
  watchdogEveryMs: 1_000,
  finalReportMs: 25_000,
  workersMs: 60_000,
  workersEveryMs: 1_000,
};

export interface OrchestratorDeps {
  store: Store;
  events: RunEventBus;
  now: () => Date;
  /** The LOADCTL_LAUNCH_TOKEN for a run (derived, never stored: see domain/run-secrets.ts). */
  launchTokenFor: (runId: string) => string;
  findPort: () => Promise<number>;
  spawn: LocustSpawner;
  /** Starts a Locust worker process (distributed runs); absent: runs with workers fail. */
  spawnWorker?: LocustWorkerSpawner;
  clientFor: (baseUrl: string, launchToken?: string, plugin?: LocustPlugin) => LocustClient;
  /** Which plugin a cluster's Locust runs, when its config does not say (null: it does not answer). */
  detectPlugin?: (baseUrl: string, launchToken?: string) => Promise<LocustPlugin | null>;
  /** Resolves the Locust runtime, preparing it if needed. */
  runtime: () => Promise<LocustRuntime>;
  /**
   * Installs (or finds cached) a run's Python requirements for `runtime`; returns the PYTHONPATH
   * folders Locust gets (requirements-env.ts). Absent: a run with requirements fails.
   */
  prepareRequirements?: (runtime: LocustRuntime, requirements: string, onStep: (message: string) => void) => Promise<readonly string[]>;
  /** Where the plugin posts, e.g. http://127.0.0.1:PORT/v1/internal/locust. */
  callbackUrl: () => string;
  metricsIntervalSeconds: number;
  /** Already running Locust endpoints that runs may use instead of a spawned one. */
  clusters?: readonly LocustCluster[];
  /** Extra command-line arguments for every Locust this orchestrator starts. */
  locustArgs?: readonly string[];
  log: (message: string) => void;
  timeouts?: Partial<OrchestratorTimeouts>;
  /** A Locust `loadctl run` started before its run existed, adopted by the run it fits. */
  headStart?: LocustHeadStart;
}

/** What this process holds for a run it launched. */
interface ActiveRun {
  runId: string;
  locust?: LocustProcess;
  /** A distributed run's local worker processes. */
  workers?: LocustProcess[];
  client?: LocustClient;
  workDir?: string;
  quitting: boolean;
  timers: NodeJS.Timeout[];
  released?: Promise<void>;
  /** Started by the run's first callback (silence-watchdog.ts). */
  watchdog?: SilenceWatchdog;
  /** A distributed run's look at its workers (workers.ts). */
  workerMonitor?: WorkerMonitor;
}

/**
 * A run's life: launch Locust, hand it the context, swarm, watch the process and the
 * callbacks, stop, and clean up. No Locust this orchestrator starts outlives its run.
 */
export class Orchestrator {
  readonly #deps: OrchestratorDeps;
  readonly #timeouts: OrchestratorTimeouts;
  readonly #active = new Map<string, ActiveRun>();
  readonly #transitions: TransitionDeps;
  readonly #launchSlot = createLimiter(CONCURRENT_LAUNCHES);
  /** One push of a run at a time: a push's histogram is corrected against the pushes stored before it. */
  readonly #pushes = new KeyedLock();

  constructor(deps: OrchestratorDeps) {
    this.#deps = deps;
    this.#timeouts = { ...DEFAULT_TIMEOUTS, ...deps.timeouts };
    this.#transitions = { store: deps.store, events: deps.events, now: deps.now, log: deps.log };
  }

  /**
   * Starts Locust for a Pending run and hands it `callbackToken` (the store keeps only its hash).
   * Resolves once the swarm was accepted or the run Failed; never rejects. A stop (from this
   * process or another one sharing the store) can land at any await: after each, the launch
   * goes on only while the run is still Starting and this process still holds it.
   */
  async launch(run: Run, revision: ScriptRevision, callbackToken: string): Promise<void> {
    const active: ActiveRun = { runId: run.id, quitting: false, timers: [] };
    this.#active.set(run.id, active);
    try {
      if (!(await this.#move(run.id, 'Starting', run.locustClusterId ? `using Locust cluster ${run.locustClusterId}` : 'launching Locust'))) {
        await this.#release(run.id);
        return;
      }
      if (run.locustClusterId) return await this.#attach(run, active, callbackToken);
      // A Locust started early for this script (locust-head-start.ts) is this run's own from here.
      // Only a lone script with nothing to install or distribute is started early.
      const early = revision.bundle === undefined && !run.requirements && !isDistributed(run) ? await this.#deps.headStart?.take(revision.injectedScript, run.targetUrl) : undefined;
      if (early) {
        active.workDir = early.workDir;
        active.locust = early.locust;
        void early.locust.exited.then((exit) => this.#onLocustExit(run.id, exit));
      }
      const runtime = early ? undefined : await this.#deps.runtime();
      if (await this.#launchAbandoned(active)) return;
      const pythonPath = early ? [] : await this.#prepareRequirements(run, runtime!);
      if (!pythonPath || (await this.#launchAbandoned(active))) return;
      const workDir = early?.workDir ?? (await createRunDir());
      // Written before the release can see the folder: a stop meanwhile must not remove it while
      // a bundle is being unpacked into it (rm would fail with ENOTEMPTY); #launchAbandoned removes it.
      const written: WrittenRevision = early
        ? { scriptPath: join(workDir, 'locustfile.py') }
        : await writeRevisionFiles(workDir, revision).catch(async (error: unknown) => {
            await removeRunDir(workDir, this.#deps.log);
            throw error;
          });
      active.workDir = workDir;
      if (await this.#launchAbandoned(active)) return;

      const { scriptPath } = written;
      const { workDir: locustWorkDir, pythonPath: locustPythonPath } = locustPlacement(written, workDir, pythonPath);
      const launchToken = early?.launchToken ?? run.launchToken ?? this.#deps.launchTokenFor(run.id);
      const webPort = early?.webPort ?? (await this.#deps.findPort());
      const bind = isDistributed(run) ? masterBindOf(run) : undefined;
      const master = bind ? { bindHost: bind.host, bindPort: bind.port ?? (await this.#deps.findPort()) } : undefined;
      const client = this.#deps.clientFor(`http://127.0.0.1:${webPort}`, launchToken);
      // Starting Locust is CPU-heavy (Python imports): a burst of runs starts a few at a time,
      // so the control plane keeps answering quickly while they start.
      const locust = await this.#launchSlot(async () => {
        // The run may have been stopped while it waited for its turn.
        if (await this.#launchAbandoned(active)) return undefined;
        const started =
          early?.locust ??
          this.#deps.spawn({
            runtime: runtime!,
            scriptPath,
            workDir: locustWorkDir,
            targetUrl: run.targetUrl,
            webPort,
            launchToken,
            ...(this.#deps.locustArgs ? { extraArgs: this.#deps.locustArgs } : {}),
            ...(locustPythonPath.length > 0 ? { pythonPath: locustPythonPath } : {}),
            ...(master ? { master } : {}),
          });
        active.locust = started;
        active.client = client;
        if (!early) void started.exited.then((exit) => this.#onLocustExit(run.id, exit));
        // The extra arguments are kept with the run, so `runs show` says how it was started.
        await this.#deps.store.updateRun(run.id, { locustEndpoint: started.webUrl, ...(this.#deps.locustArgs?.length ? { locustArgs: [...this.#deps.locustArgs] } : {}) });
        await this.#waitUntilReady(active);
        if (master && !started.hasExited()) await this.#startWorkers(run, active, { runtime: runtime!, scriptPath, workDir: locustWorkDir, pythonPath: locustPythonPath, master });
        return started;
      });
      if (!locust || locust.hasExited()) return; // #onLocustExit marks it Failed with Locust's own words
      if (await this.#launchAbandoned(active)) return;
      if (master) await this.#waitForWorkers(run, active, master);
      if (await this.#launchAbandoned(active)) return;
      await this.#startSwarm(run, client, callbackToken);
      if (await this.#launchAbandoned(active, { swarmed: true })) return;
      active.timers.push(setTimeout(() => void this.#checkFirstCallback(run.id), this.#timeouts.firstCallbackMs));
    } catch (error) {
      await this.#fail(run.id, `Locust could not be started: ${(error as Error).message}`);
    }
  }

  /** The run's requirements installed (or found cached): Locust's extra PYTHONPATH; null when that failed the run. */
  async #prepareRequirements(run: Run, runtime: LocustRuntime): Promise<readonly string[] | null> {
    if (!run.requirements) return [];
    try {
      if (!this.#deps.prepareRequirements) throw new Error('this control plane cannot install requirements');
      return await this.#deps.prepareRequirements(runtime, run.requirements.text, (message) => this.#deps.log(`run ${run.id}: ${message}`));
    } catch (error) {
      // The code leads: the message may end with pip's own lines.
      await this.#fail(run.id, `${error instanceof LoadctlError ? `${error.code}: ` : ''}${(error as Error).message}`);
      return null;
    }
  }

  /**
   * True when the launch must not go on: this process released the run, or the store no longer
   * has it Starting (or Running, once swarmed). Settles what the stop could not: a run left
   * Stopping before any swarm gets no final report, so it is Stopped here; a swarm that raced
   * a stop is told to stop again. Removes what the launch made after the release.
   */
  async #launchAbandoned(active: ActiveRun, { swarmed = false } = {}): Promise<boolean> {
    if (!active.released) {
      const current = await this.#deps.store.getRun(active.runId);
      const going = current?.status === 'Starting' || (swarmed && current?.status === 'Running');
      if (going && !active.released) return false;
      if (!active.released && current?.status === 'Stopping') {
        if (swarmed) {
          // Stopping after our swarm: Locust may have started after it was told to stop.
          await active.client?.stop().catch(() => undefined);
          active.timers.push(setTimeout(() => void this.#forceStopped(active.runId, `stop requested; no final report from Locust within ${this.#timeouts.stopMs / 1000}s`), this.#timeouts.stopMs));
          return true;
        }
        await this.#forceStopped(active.runId, 'stopped before Locust was swarmed');
      }
    }
    this.#deps.log(`run ${active.runId}: launch abandoned, the run was stopped or removed meanwhile`);
    await this.#release(active.runId);
    // What the launch holds that the release could not see yet (an early Locust adopted while
    // the release ran): quit here, or it would load with nothing to stop it.
    const left = [active.locust, ...(active.workers ?? [])].filter((process): process is LocustProcess => process !== undefined && !process.hasExited());
    await Promise.all(left.map((process) => process.terminate(this.#timeouts.quitGraceMs)));
    if (active.workDir) await removeRunDir(active.workDir, this.#deps.log);
    return true;
  }

  /** A cluster's Locust is already running (and runs the script it was started with): hand it the run. */
  async #attach(run: Run, active: ActiveRun, callbackToken: string): Promise<void> {
    const cluster = this.#deps.clusters?.find((candidate) => candidate.id === run.locustClusterId);
    if (!cluster) {
      await this.#fail(run.id, `Locust cluster ${run.locustClusterId} is not in this control plane's locustClusters`);
      return;
    }
    const plugin = cluster.plugin ?? (await this.#deps.detectPlugin?.(cluster.baseUrl, cluster.launchToken)) ?? 'loadctl';
    if (plugin === 'harness' && run.shape?.stages) {
      // the replaced system's plugin knows no stages: its Locust would run targetUsers instead
      await this.#fail(run.id, `Locust cluster ${cluster.id} runs the replaced system's plugin, which cannot run stages; start the run without stages or on a Locust with loadctl's plugin`);
      return;
    }
    if (plugin === 'harness') {
      // Stored before set-context: its callbacks are authenticated by this mark (static token).
      await this.#deps.store.updateRun(run.id, { plugin });
      run = { ...run, plugin };
    }
    active.client = plugin === 'harness' ? this.#deps.clientFor(cluster.baseUrl, cluster.authToken, plugin) : this.#deps.clientFor(cluster.baseUrl, cluster.launchToken);
    if (!(await active.client.isReady())) {
      const why =
        plugin === 'harness'
          ? 'does not answer /controlplane/get-context (plugin: harness)'
          : "does not answer, or was started without loadctl_plugin (put loadctl's locust/ folder on its PYTHONPATH and import loadctl_plugin in the script)";
      await this.#fail(run.id, `Locust cluster ${cluster.id} at ${cluster.baseUrl} ${why}`);
      return;
    }
    if (await this.#launchAbandoned(active)) return;
    await this.#startSwarm(run, active.client, callbackToken, cluster);
    if (await this.#launchAbandoned(active, { swarmed: true })) return;
    active.timers.push(setTimeout(() => void this.#checkFirstCallback(run.id), this.#timeouts.firstCallbackMs));
  }

  /** The run's local workers, started once the master listens (they connect to it at once). */
  async #startWorkers(run: Run, active: ActiveRun, where: { runtime: LocustRuntime; scriptPath: string; workDir: string; pythonPath: readonly string[]; master: { bindHost: string; bindPort: number } }): Promise<void> {
    if ((run.workers ?? 0) === 0) return;
    if (!this.#deps.spawnWorker) throw new Error('this control plane cannot start Locust workers');
    active.workers = startLocalWorkers({
      spawn: this.#deps.spawnWorker,
      runtime: where.runtime,
      scriptPath: where.scriptPath,
      workDir: where.workDir,
      ...(where.pythonPath.length > 0 ? { pythonPath: where.pythonPath } : {}),
      masterHost: localAddressOf(where.master.bindHost),
      masterPort: where.master.bindPort,
      count: run.workers ?? 0,
      ...(this.#deps.locustArgs ? { extraArgs: this.#deps.locustArgs } : {}),
    });
  }

  /** Before /swarm: the master must have every worker (Locust's --expect-workers works only headless). */
  async #waitForWorkers(run: Run, active: ActiveRun, master: { bindHost: string; bindPort: number }): Promise<void> {
    const joined = await waitForWorkers({
      run,
      client: active.client!,
      localWorkers: active.workers ?? [],
      masterAddress: `${master.bindHost}:${master.bindPort}`,
      timeoutMs: this.#timeouts.workersMs,
      abandoned: () => active.released !== undefined,
    });
    this.#deps.log(`run ${run.id}: ${joined.length} Locust worker(s) joined the master on port ${master.bindPort}`);
    const monitor = new WorkerMonitor(run.id, { store: this.#deps.store, events: this.#deps.events, client: active.client!, now: this.#deps.now, log: this.#deps.log, everyMs: this.#timeouts.workersEveryMs });
    active.timers.push(monitor.timer);
    active.workerMonitor = monitor;
    await monitor.look();
  }

  async #startSwarm(run: Run, client: LocustClient, callbackToken: string, cluster?: LocustCluster): Promise<void> {
    // The replaced system sent the run's accountId as tenantId; the cluster's scope stands in when the run has none.
    const tenantId = run.accountId ?? run.tenantId ?? cluster?.tenantId ?? cluster?.accountId;
    const envId = run.envId ?? cluster?.envId;
    await client.setContext({
      runId: run.id,
      callbackUrl: this.#deps.callbackUrl(),
      callbackToken,
      durationSeconds: run.durationSeconds,
      metricsIntervalSeconds: this.#deps.metricsIntervalSeconds,
      ...(run.shape?.stages ? { stages: run.shape.stages } : {}),
      ...(tenantId === undefined ? {} : { tenantId }),
      ...(envId === undefined ? {} : { envId }),
    });
    await client.swarm({ users: run.targetUsers, spawnRate: run.spawnRate, host: run.targetUrl });
  }

  async onTestStart(run: Run, payload: CallbackPayload): Promise<Run> {
    this.#heard(run.id);
    return recordTestStart(this.#transitions, run, payload);
  }

  async onMetrics(run: Run, payload: CallbackPayload): Promise<{ run: Run; stored: boolean }> {
    this.#heard(run.id);
    const result = await this.#pushes.run(run.id, () => recordMetrics(this.#transitions, run, payload));
    // abortOnFail: stop like a person would; not awaited, so the plugin gets its answer first.
    if (result.abortReason) void this.stop(result.run, result.abortReason).catch((error: unknown) => this.#deps.log(`run ${run.id}: stopping on a failed threshold failed: ${(error as Error).message}`));
    return result;
  }

  async onTestStop(run: Run, payload: CallbackPayload): Promise<Run> {
    this.#heard(run.id);
    // Read again once it is this push's turn: the watchdog may have ended the run meanwhile.
    const updated = await this.#pushes.run(run.id, async () => recordTestStop(this.#transitions, (await this.#deps.store.getRun(run.id)) ?? run, payload));
    // Quit Locust after the plugin has had our answer.
    if (isTerminal(updated.status)) setImmediate(() => void this.#release(run.id));
    return updated;
  }

  /**
   * Asks a run to stop. Returns the run as it stands after the request (Stopping or already Stopped).
   * The caller's copy may be stale: only a run the store still has Pending is stopped without Locust.
   */
  async stop(given: Run, reason = 'stop requested'): Promise<Run> {
    let run = (await this.#deps.store.getRun(given.id)) ?? given;
    if (run.status === 'Pending') {
      const stopped = await moveRun(this.#transitions, run.id, 'Stopped', reason, { finishedAt: this.#deps.now().toISOString() }, ['Pending']);
      if (stopped) return stopped;
      run = (await this.#deps.store.getRun(run.id)) ?? run; // its launch moved it on meanwhile
    }
    if (isTerminal(run.status)) return run;
    const stopping = (await moveRun(this.#transitions, run.id, 'Stopping', reason)) ?? run;
    const cluster = this.#deps.clusters?.find((candidate) => candidate.id === run.locustClusterId);
    // Another process's Locust answers only with the launch token it was started with.
    const client = this.#active.get(run.id)?.client ?? (run.locustEndpoint ? this.#deps.clientFor(run.locustEndpoint, cluster?.launchToken ?? run.launchToken) : undefined);
    try {
      if (!client) throw new Error('no Locust is known for this run');
      await client.stop();
    } catch (error) {
      await this.#forceStopped(run.id, `${reason}; Locust did not answer /stop: ${(error as Error).message}`);
      return (await this.#deps.store.getRun(run.id)) ?? stopping;
    }
    const active = this.#active.get(run.id);
    const timer = setTimeout(() => void this.#forceStopped(run.id, `${reason}; no final report from Locust within ${this.#timeouts.stopMs / 1000}s`), this.#timeouts.stopMs);
    if (active) active.timers.push(timer);
    else timer.unref();
    return stopping;
  }

  /** Stops every run this process launched and waits until their Locust processes are gone. */
  async shutdown(reason = 'loadctl is shutting down'): Promise<void> {
    await Promise.all(
      [...this.#active.keys()].map(async (runId) => {
        const run = await this.#deps.store.getRun(runId);
        if (run && !isTerminal(run.status)) await this.#fail(runId, reason);
        await this.#release(runId);
      }),
    );
  }

  /**
   * Takes over a run a previous control plane left running on a Locust that still reports it:
   * its callbacks keep coming here; a Locust that stops answering fails the run.
   */
  adopt(run: Run, client: LocustClient): void {
    const active: ActiveRun = { runId: run.id, client, quitting: false, timers: [] };
    this.#active.set(run.id, active);
    let misses = 0;
    const check = setInterval(() => {
      void (async () => {
        const current = await this.#deps.store.getRun(run.id);
        if (!current || isTerminal(current.status)) return void (await this.#release(run.id));
        misses = (await client.currentRun())?.runId === run.id ? 0 : misses + 1;
        if (misses >= ADOPTED_MISSES_ALLOWED) await this.#fail(run.id, `Locust at ${run.locustEndpoint} stopped answering after the control plane restarted`);
      })().catch((error: unknown) => this.#deps.log(`run ${run.id}: liveness check failed: ${(error as Error).message}`));
    }, ADOPTED_CHECK_MS);
    check.unref();
    active.timers.push(check);
  }

  /** Fails a run this process cannot drive (e.g. left behind by a control plane that died). */
  async failRun(runId: string, reason: string): Promise<void> {
    await this.#fail(runId, reason);
  }

  /** Resolves when the run's Locust (if this process launched it) has exited and its files are gone. */
  async released(runId: string): Promise<void> {
    await this.#active.get(runId)?.released;
  }

  activeRunIds(): string[] {
    return [...this.#active.keys()];
  }

  /** A callback of a run this process drives: its silence starts again (and is watched from the first one). */
  #heard(runId: string): void {
    const active = this.#active.get(runId);
    if (!active) return;
    if (active.watchdog) return active.watchdog.heard();
    active.watchdog = new SilenceWatchdog(runId, {
      limits: this.#timeouts,
      intervalSeconds: this.#deps.metricsIntervalSeconds,
      everyMs: this.#timeouts.watchdogEveryMs,
      now: this.#deps.now,
      getRun: (id) => this.#deps.store.getRun(id),
      settle: (run, why) => this.#settleSilentRun(run, why),
      log: this.#deps.log,
    });
    active.timers.push(active.watchdog.timer);
  }

  /**
   * A Running run went silent: its final report is asked from Locust and recorded as its
   * test-stop (Finished if the duration had elapsed, else Stopped); if Locust cannot give it, Failed.
   */
  async #settleSilentRun(run: Run, why: string): Promise<void> {
    this.#deps.log(`run ${run.id}: ${why}; asking Locust for its final report`);
    const client = this.#active.get(run.id)?.client;
    let payload: CallbackPayload;
    try {
      if (!client) throw new Error('no Locust is known for this run');
      payload = reportAsTestStop(run, await client.finalReport(run.id, this.#timeouts.finalReportMs));
      truncateCallbackTexts(payload);
    } catch (error) {
      await this.#fail(run.id, `${why}; Locust did not give its final report: ${(error as Error).message}`);
      return;
    }
    const current = (await this.#deps.store.getRun(run.id)) ?? run;
    const updated = await this.#pushes.run(run.id, () => recordTestStop(this.#transitions, current, payload, `final report fetched from Locust: ${why}`));
    if (isTerminal(updated.status)) await this.#release(run.id);
  }

  /** Waits for the plugin's ready line (no polling while many Locusts start), then checks once. */
  async #waitUntilReady(active: ActiveRun): Promise<void> {
    const locust = active.locust!;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), this.#timeouts.readyMs)));
    const outcome = await Promise.race([locust.announcedReady.then(() => 'ready' as const), locust.exited.then(() => 'exited' as const), timedOut]);
    clearTimeout(timer);
    if (outcome === 'exited') return;
    if (outcome === 'timeout' || !(await active.client!.isReady())) {
      throw new Error(`Locust did not answer on ${locust.webUrl} with the loadctl plugin within ${this.#timeouts.readyMs / 1000}s`);
    }
  }

  async #checkFirstCallback(runId: string): Promise<void> {
    const run = await this.#deps.store.getRun(runId);
    if (run?.status === 'Starting') {
      await this.#fail(runId, `no callback from the Locust plugin within ${this.#timeouts.firstCallbackMs / 1000}s; check that Locust can reach ${this.#deps.callbackUrl()}`);
    }
  }

  async #onLocustExit(runId: string, exit: LocustExit): Promise<void> {
    const active = this.#active.get(runId);
    if (active?.quitting) return;
    const run = await this.#deps.store.getRun(runId);
    if (run && !isTerminal(run.status)) {
      const how = exit.signal ? `signal ${exit.signal}` : `exit code ${exit.exitCode ?? 'unknown'}`;
      const lastLine = lastMeaningfulLine(exit.outputTail);
      const hint = missingModuleHint(lastLine, Boolean(run.requirements));
      await this.#fail(runId, `Locust exited (${how})${lastLine ? `: ${lastLine}` : ''}${hint ? `; ${hint}` : ''}`);
    } else {
      await this.#release(runId);
    }
  }

  async #fail(runId: string, reason: string): Promise<void> {
    await moveRun(this.#transitions, runId, 'Failed', reason, { error: reason, finishedAt: this.#deps.now().toISOString() });
    await this.#release(runId);
  }

  async #forceStopped(runId: string, reason: string): Promise<void> {
    const current = await this.#deps.store.getRun(runId);
    if (!current || isTerminal(current.status)) return;
    await moveRun(this.#transitions, runId, 'Stopped', reason, {
      finishedAt: this.#deps.now().toISOString(),
      ...(current.lastMetrics ? { finalMetrics: current.lastMetrics } : {}),
    });
    await this.#release(runId);
  }

  async #move(runId: string, to: Run['status'], reason: string): Promise<Run | null> {
    return moveRun(this.#transitions, runId, to, reason);
  }

  /** Quits the run's Locust and removes its private files; safe to call more than once. */
  #release(runId: string): Promise<void> {
    const active = this.#active.get(runId);
    if (!active) return Promise.resolve();
    active.released ??= (async () => {
      active.quitting = true;
      for (const timer of active.timers) clearTimeout(timer); // also clears intervals
      // The master first: it tells its workers to quit (no orphans, locust #1407); then what is left of them.
      if (active.locust) await active.locust.terminate(this.#timeouts.quitGraceMs);
      if (active.workers) await Promise.all(active.workers.map((worker) => worker.terminate(this.#timeouts.quitGraceMs)));
      if (active.workDir) await removeRunDir(active.workDir, this.#deps.log);
      this.#active.delete(runId);
    })();
    return active.released;
  }
}

/** Removes a run's private folder; a failure is logged, never thrown (a later sweep removes what is left). */
async function removeRunDir(dir: string, log: (message: string) => void): Promise<void> {
  try {
    await rm(dir, { recursive: true, force: true, maxRetries: 3 });
  } catch (error) {
    log(`could not remove ${dir}: ${(error as Error).message}`);
  }
}

/**
 * The last line of the script's traceback ("ModuleNotFoundError: …") is the useful one. Python
 * may print more at exit ("Exception ignored in: <greenlet…>" blocks): those are skipped.
 */
export function lastMeaningfulLine(lines: readonly string[]): string {
  const meaningful: string[] = [];
  let skipping = false;
  for (const line of lines) {
    if (/^Exception ignored in\b/.test(line)) {
      skipping = true;
    } else if (skipping) {
      // The block is its traceback (indented or "Traceback…") and ends with its own error line.
      if (!/^\s|^Traceback\b/.test(line)) skipping = false;
    } else {
      meaningful.push(line);
    }
  }
  const errorLine = [...meaningful].reverse().find((line) => /^[\w.]+(Error|Exception)\b/.test(line.trim()));
  return (errorLine ?? meaningful[meaningful.length - 1] ?? lines[lines.length - 1] ?? '').trim();
}
