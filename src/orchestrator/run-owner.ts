// The owner of the runs this process launches, its heartbeat, and what this host can tell
// about another owner's process. The decision itself is pure: domain/run-owner.ts.
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { ProcessProbe } from '../domain/run-owner.js';
import type { RunOwner } from '../domain/types.js';
import type { Store } from '../store/store.js';

export const OWNER_HEARTBEAT_MS = 15_000;
// Linux's USER_HZ: /proc/<pid>/stat counts start time in these ticks since boot.
const CLOCK_TICKS_PER_SECOND = 100;

/** This process as a run owner, its heartbeat set to `now`. */
export function thisProcessOwner(now: Date): RunOwner {
  return { host: hostname(), pid: process.pid, startedAt: new Date(performance.timeOrigin).toISOString(), heartbeatAt: now.toISOString() };
}

/** Whether `pid` lives on this host, and since when when the system says (Linux /proc). */
export function probeProcess(pid: number): ProcessProbe {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return { alive: false };
  }
  const stat = readProcStat(pid);
  if (!stat) return { alive: true };
  if (stat.state === 'Z') return { alive: false }; // exited, not yet reaped by its parent
  const bootSeconds = readBootTime();
  if (bootSeconds === undefined) return { alive: true };
  return { alive: true, startedAt: new Date((bootSeconds + stat.startTicks / CLOCK_TICKS_PER_SECOND) * 1000).toISOString() };
}

function readProcStat(pid: number): { state: string; startTicks: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: fields are counted after its last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    const startTicks = Number(fields[19]);
    return Number.isFinite(startTicks) ? { state: fields[0] ?? '', startTicks } : undefined;
  } catch {
    return undefined;
  }
}

function readBootTime(): number | undefined {
  try {
    const match = /^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Rewrites the owner's heartbeat on every run this process drives, so that a process on
 * another host sharing the store can tell a live owner from one that is gone.
 */
export function startOwnerHeartbeat(deps: { store: Store; owner: () => RunOwner; activeRunIds: () => string[]; intervalMs?: number; log: (message: string) => void }): () => void {
  const timer = setInterval(() => {
    const owner = deps.owner();
    for (const runId of deps.activeRunIds()) {
      deps.store.updateRun(runId, { owner }).catch((error: unknown) => deps.log(`run ${runId}: heartbeat not written: ${(error as Error).message}`));
    }
  }, deps.intervalMs ?? OWNER_HEARTBEAT_MS);
  timer.unref();
  return () => clearInterval(timer);
}
