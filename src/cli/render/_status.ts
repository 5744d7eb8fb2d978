import type { RunStatus } from '../../domain/types.js';

// Kept here rather than imported from domain so rendering does not wait on the run state
// machine's module; the three end states are fixed by DESIGN.md ("Run status").
const TERMINAL: ReadonlySet<RunStatus> = new Set(['Finished', 'Stopped', 'Failed']);

export function isTerminalStatus(status: RunStatus): boolean {
  return TERMINAL.has(status);
}
