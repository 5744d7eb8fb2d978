import { isTerminal, sourcesOf } from '../domain/run-state.js';
import type { Run, RunStatus } from '../domain/types.js';
import type { Store, Transition } from '../store/store.js';
import type { RunEventBus } from './run-events.js';
import { verdictPatchOf } from './verdicts.js';

export interface TransitionDeps {
  store: Store;
  events: RunEventBus;
  now: () => Date;
  log: (message: string) => void;
}

/**
 * Moves a run to `to` if the state machine allows it from the run's current status, as one
 * conditional write (`from` narrows the statuses it applies from). Returns the updated run, or null when refused (logged, never forced).
 */
export async function moveRun(deps: TransitionDeps, runId: string, to: RunStatus, reason: string, patch?: Transition['patch'], from: readonly RunStatus[] = sourcesOf(to)): Promise<Run | null> {
  // However a run ends (test-stop, a watchdog, a stop without a final report), its thresholds are judged in the same write.
  const verdicts = isTerminal(to) ? await verdictPatchOf(deps.store, runId, patch) : {};
  const fields = { ...patch, ...verdicts };
  const updated = await deps.store.transitionRun(runId, {
    from,
    to,
    at: deps.now().toISOString(),
    reason,
    ...(Object.keys(fields).length > 0 ? { patch: fields } : {}),
  });
  if (updated) {
    deps.events.publish(updated);
  } else {
    const current = await deps.store.getRun(runId);
    deps.log(`run ${runId}: refused ${current?.status ?? 'missing'} → ${to} (${reason})`);
  }
  return updated;
}
