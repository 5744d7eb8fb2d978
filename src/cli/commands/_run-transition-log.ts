// `loadctl serve` logs one line per run transition, from the same event bus the live views read.
import type { Run, RunStatus } from '../../domain/types.js';

type Subscribe = (listener: (run: Run) => void) => () => void;

/** Logs each status change once (pushes that change nothing else are not logged); returns the unsubscribe. */
export function logRunTransitions(subscribeAll: Subscribe, log: (message: string) => void): () => void {
  const last = new Map<string, RunStatus>();
  return subscribeAll((run) => {
    if (last.get(run.id) === run.status) return;
    last.set(run.id, run.status);
    log(runTransitionLine(run));
  });
}

export function runTransitionLine(run: Run): string {
  const change = run.statusHistory.at(-1);
  const from = change?.from ? `${change.from} → ` : '';
  const reason = change?.reason ? ` (${change.reason})` : '';
  const verdict = run.verdict ? `, verdict ${run.verdict}` : '';
  const users = run.status === 'Pending' || run.status === 'Starting' ? `, ${run.targetUsers} users for ${run.durationSeconds} s against ${run.targetUrl}` : '';
  return `run ${run.id} of test ${run.loadTestId}: ${from}${run.status}${reason}${users}${verdict}`;
}
