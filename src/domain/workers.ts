// Rules of distributed runs (a Locust master with workers): pure, no I/O.
import { LoadctlError } from './errors.js';
import type { Run, RunEvent, RunWorker } from './types.js';

/** A worker as the master's plugin lists it (GET /controlplane/workers). */
export interface WorkerView {
  id: string;
  host: string;
  state: string;
  users: number;
}

/** Locust's worker states that count as joined: connected and answering heartbeats. */
const CONNECTED_STATES = new Set(['ready', 'spawning', 'running', 'cleanup', 'stopping', 'stopped']);

export function isDistributed(run: Pick<Run, 'workers' | 'expectRemoteWorkers'>): boolean {
  return (run.workers ?? 0) + (run.expectRemoteWorkers ?? 0) > 0;
}

/** How many workers the master must have before the load starts. */
export function expectedWorkers(run: Pick<Run, 'workers' | 'expectRemoteWorkers'>): number {
  return (run.workers ?? 0) + (run.expectRemoteWorkers ?? 0);
}

export function connectedWorkers(views: readonly WorkerView[]): WorkerView[] {
  return views.filter((view) => CONNECTED_STATES.has(view.state));
}

/** `--workers N|auto`: auto is one worker per core. */
export function resolveWorkerCount(input: string | number, cores: number): number {
  const text = String(input).trim().toLowerCase();
  if (text === 'auto') return Math.max(1, cores);
  const count = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(count) || count > MAX_LOCAL_WORKERS) {
    throw new LoadctlError('LOADCTL_CONFIG_INVALID', `workers must be a whole number from 0 to ${MAX_LOCAL_WORKERS}, or "auto" (one per core); got "${String(input)}".`);
  }
  return count;
}

export const MAX_LOCAL_WORKERS = 256;

/** "HOST:PORT", "HOST", ":PORT" or "[v6]:PORT" → host and port (port absent: a free one). */
export function parseMasterBind(text: string): { host: string; port?: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]*))(?::(\d{1,5}))?$/.exec(text.trim());
  const host = match ? (match[1] ?? match[2] ?? '') : '';
  const port = match?.[3] === undefined ? undefined : Number(match[3]);
  if (!match || (port !== undefined && (port < 1 || port > 65_535)) || /\s/.test(host)) {
    throw new LoadctlError('LOADCTL_CONFIG_INVALID', `master bind must be HOST:PORT (e.g. 0.0.0.0:5557); got "${text}".`);
  }
  return { host: host === '' ? '0.0.0.0' : host, ...(port === undefined ? {} : { port }) };
}

/**
 * The run's workers after one look at the master: known ones updated, new ones added, and
 * those gone (quit, or missing their heartbeats) while the load runs marked lost, each with
 * an event. Outside the load (starting, stopping) a worker that leaves is not a loss.
 */
export function mergeWorkers(
  known: readonly RunWorker[],
  seen: readonly WorkerView[],
  at: string,
  options: { loadRunning: boolean; localCount?: number },
): { workers: RunWorker[]; events: RunEvent[] } {
  const byId = new Map(seen.map((view) => [view.id, view]));
  const events: RunEvent[] = [];
  const workers: RunWorker[] = known.map((worker) => {
    if (worker.state === 'lost') return worker;
    const view = byId.get(worker.id);
    const gone = !view || view.state === 'missing';
    if (gone && options.loadRunning) {
      events.push({ at, type: 'worker-lost', workerId: worker.id, message: `worker ${worker.id} on ${worker.host} was lost mid-run (${view ? 'no heartbeat' : 'left the master'}); the run goes on with the others` });
      return { ...worker, state: 'lost', lostAt: at };
    }
    return view ? { ...worker, state: view.state, users: Math.max(worker.users, view.users) } : worker;
  });
  for (const view of seen) {
    if (known.some((worker) => worker.id === view.id) || view.state === 'missing') continue;
    workers.push({ id: view.id, host: view.host, users: view.users, state: view.state, joinedAt: at });
  }
  return { workers, events };
}

/** Whether two worker lists differ in what is stored (so an unchanged look writes nothing). */
export function workersChanged(before: readonly RunWorker[] | undefined, after: readonly RunWorker[]): boolean {
  return JSON.stringify(before ?? []) !== JSON.stringify(after);
}
