// Only the process that owns a run may settle it (issue 10, scenario 6). A run records its
// owner; recovery in another process touches the run only when that owner is provably gone.
import type { RunOwner } from './types.js';

/** 'alive' also covers "cannot tell": a run is never taken from an owner that may still drive it. */
export type OwnerState = 'self' | 'alive' | 'gone';

/** What the caller found out about the owner's pid on this host (absent for another host). */
export interface ProcessProbe {
  alive: boolean;
  /** When the process with that pid started, if the system says. */
  startedAt?: string;
}

/** Start times read back from the system are coarse (whole seconds of boot time, clock ticks). */
export const START_TIME_TOLERANCE_MS = 3_000;
/** An owner on another host that has not written its heartbeat for this long is gone. */
export const OWNER_STALE_MS = 10 * 60_000;

export function judgeOwner(owner: RunOwner, here: Pick<RunOwner, 'host' | 'pid' | 'startedAt'>, probe: ProcessProbe | undefined, now: Date, staleMs = OWNER_STALE_MS): OwnerState {
  if (owner.host === here.host) {
    if (owner.pid === here.pid && sameStart(owner.startedAt, here.startedAt)) return 'self';
    if (!probe) return 'alive';
    if (!probe.alive) return 'gone';
    // The pid was reused by a process that started at another time.
    if (probe.startedAt !== undefined && !sameStart(owner.startedAt, probe.startedAt)) return 'gone';
    return 'alive';
  }
  const beat = Date.parse(owner.heartbeatAt);
  return Number.isFinite(beat) && now.getTime() - beat > staleMs ? 'gone' : 'alive';
}

function sameStart(a: string, b: string): boolean {
  return Math.abs(Date.parse(a) - Date.parse(b)) <= START_TIME_TOLERANCE_MS;
}
