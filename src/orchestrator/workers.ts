// A distributed run's workers (Locust's own distributed mode: one master, many workers):
// starting the local ones, waiting until the master has them all, and watching them during
// the load. loadctl never distributes load itself; the master does.
import type { Run } from '../domain/types.js';
import { connectedWorkers, expectedWorkers, mergeWorkers, parseMasterBind, workersChanged, type WorkerView } from '../domain/workers.js';
import type { LocustClient } from '../locust/locust-client.js';
import type { LocustProcess, LocustWorkerSpawner } from '../locust/locust-process.js';
import type { LocustRuntime } from '../locust/runtime.js';
import type { Store } from '../store/store.js';
import type { RunEventBus } from './run-events.js';
import { lastMeaningfulLine } from './orchestrator.js';

/** Where the master listens: the run's masterBind, else loopback (0.0.0.0 when remote workers are expected). */
export function masterBindOf(run: Pick<Run, 'masterBind' | 'expectRemoteWorkers'>): { host: string; port?: number } {
  if (run.masterBind) return parseMasterBind(run.masterBind);
  return { host: (run.expectRemoteWorkers ?? 0) > 0 ? '0.0.0.0' : '127.0.0.1' };
}

/** The address a worker on this machine connects to for a master bound to `host`. */
export function localAddressOf(host: string): string {
  return host === '0.0.0.0' || host === '*' || host === '' ? '127.0.0.1' : host === '::' ? '::1' : host;
}

export interface LocalWorkersLaunch {
  spawn: LocustWorkerSpawner;
  runtime: LocustRuntime;
  scriptPath: string;
  workDir: string;
  masterHost: string;
  masterPort: number;
  count: number;
  extraArgs?: readonly string[];
}

export function startLocalWorkers(launch: LocalWorkersLaunch): LocustProcess[] {
  const { spawn, count, ...common } = launch;
  return Array.from({ length: count }, () => spawn(common));
}

/**
 * Waits, up to `timeoutMs`, until the master has the run's workers connected. Throws an error
 * that names what did not join: local workers that exited (with their last line), remote
 * workers still missing, and where the master listens.
 */
export async function waitForWorkers(options: {
  run: Pick<Run, 'id' | 'workers' | 'expectRemoteWorkers'>;
  client: LocustClient;
  localWorkers: readonly LocustProcess[];
  masterAddress: string;
  timeoutMs: number;
  pollMs?: number;
  /** The launch was abandoned meanwhile (the run stopped): stop waiting. */
  abandoned?: () => boolean;
}): Promise<WorkerView[]> {
  const { run, client, localWorkers, masterAddress, timeoutMs, pollMs = 200 } = options;
  const expected = expectedWorkers(run);
  const deadline = Date.now() + timeoutMs;
  let joined: WorkerView[] = [];
  for (;;) {
    joined = connectedWorkers(await client.workers().catch(() => joined));
    if (joined.length >= expected || options.abandoned?.()) return joined;
    const exited = localWorkers.filter((worker) => worker.hasExited());
    // A local worker that exited will not join: no point waiting for the deadline.
    if (Date.now() >= deadline || (exited.length > 0 && joined.length + exited.length >= expected)) break;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  throw new Error(describeMissingWorkers(run, joined, localWorkers, masterAddress, timeoutMs));
}

function describeMissingWorkers(run: Pick<Run, 'id' | 'workers' | 'expectRemoteWorkers'>, joined: readonly WorkerView[], localWorkers: readonly LocustProcess[], masterAddress: string, timeoutMs: number): string {
  const expected = expectedWorkers(run);
  const parts = [`${joined.length} of ${expected} Locust worker${expected === 1 ? '' : 's'} joined the master at ${masterAddress} within ${timeoutMs / 1000}s`];
  const exited = localWorkers.filter((worker) => worker.hasExited());
  for (const [index, worker] of localWorkers.entries()) {
    if (!worker.hasExited()) continue;
    const line = lastMeaningfulLine(worker.outputTail());
    parts.push(`local worker ${index + 1} (pid ${worker.pid ?? '?'}) exited${line ? `: ${line}` : ''}`);
  }
  const localAlive = localWorkers.length - exited.length;
  const remote = run.expectRemoteWorkers ?? 0;
  if (remote > 0) {
    parts.push(`${remote} remote worker${remote === 1 ? '' : 's'} expected (loadctl worker --master HOST:PORT --server URL --run ${run.id} on each machine)`);
  } else if (localAlive > 0 && joined.length < expected) {
    parts.push(`${localAlive} local worker${localAlive === 1 ? '' : 's'} still running but not connected`);
  }
  if (joined.length > 0) parts.push(`joined: ${joined.map((worker) => worker.id).join(', ')}`);
  return parts.join('; ');
}

/**
 * Looks at the master's workers every `everyMs` while the run is active: stores the run's
 * workers when they change, and a worker lost during the load as an event on the run (its
 * watchers see it live). Locust's master marks a worker missing after 3 missed heartbeats.
 */
export class WorkerMonitor {
  readonly timer: NodeJS.Timeout;
  #busy = false;

  constructor(
    private readonly runId: string,
    private readonly deps: { store: Store; events: RunEventBus; client: LocustClient; now: () => Date; log: (message: string) => void; everyMs: number },
  ) {
    this.timer = setInterval(() => void this.look(), deps.everyMs);
    this.timer.unref();
  }

  /** One look at the master; safe to call at any time (a look in progress is not doubled). */
  async look(): Promise<void> {
    if (this.#busy) return;
    this.#busy = true;
    try {
      const seen = await this.deps.client.workers();
      const run = await this.deps.store.getRun(this.runId);
      if (!run) return;
      const at = this.deps.now().toISOString();
      const { workers, events } = mergeWorkers(run.workerNodes ?? [], seen, at, { loadRunning: run.status === 'Running' });
      if (!workersChanged(run.workerNodes, workers) && events.length === 0) return;
      for (const event of events) this.deps.log(`run ${this.runId}: ${event.message}`);
      const updated = await this.deps.store.updateRun(this.runId, { workerNodes: workers, ...(events.length > 0 ? { events: [...(run.events ?? []), ...events] } : {}) });
      if (updated) this.deps.events.publish(updated);
    } catch {
      // The master is busy or gone: its exit is watched elsewhere; the next look tries again.
    } finally {
      this.#busy = false;
    }
  }
}
