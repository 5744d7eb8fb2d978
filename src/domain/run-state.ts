import type { RunStatus } from './types.js';

// Pending → Starting → Running → Stopping → Finished | Stopped | Failed (DESIGN.md "Run status").
// Finished/Stopped may also be reached straight from Running (the plugin's test-stop can
// arrive before anyone marked the run Stopping), and Failed from any non-terminal state.
const NEXT: Record<RunStatus, readonly RunStatus[]> = {
  Pending: ['Starting', 'Failed', 'Stopped'],
  Starting: ['Running', 'Stopping', 'Failed', 'Stopped'],
  Running: ['Stopping', 'Finished', 'Stopped', 'Failed'],
  Stopping: ['Finished', 'Stopped', 'Failed'],
  Finished: [],
  Stopped: [],
  Failed: [],
};

export const TERMINAL_STATUSES: readonly RunStatus[] = ['Finished', 'Stopped', 'Failed'];
export const ACTIVE_STATUSES: readonly RunStatus[] = ['Pending', 'Starting', 'Running', 'Stopping'];

export function isTerminal(status: RunStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

export function canTransition(from: RunStatus, to: RunStatus): boolean {
  return NEXT[from].includes(to);
}

/** Every status from which `to` may be entered: the `from` filter of a conditional update. */
export function sourcesOf(to: RunStatus): RunStatus[] {
  return (Object.keys(NEXT) as RunStatus[]).filter((from) => NEXT[from].includes(to));
}
