import { sourcesOf } from '../domain/run-state.js';
import type { Run, RunStatus } from '../domain/types.js';
import type { Store, Transition } from '../store/store.js';
import type { RunEventBus } from './run-events.js';

export interface TransitionDeps {
  store: Store;
  events: RunEventBus;
  now: () => Date;
  log: (message: string) => void;
}

/**
 * Moves a run to `to` if the state machine allows it from the run's current status, as one
 * conditional write. Returns the updated run, or null when refused (logged, never forced).
 */
export async function moveRun(deps: TransitionDeps, runId: string, to: RunStatus, reason: string, patch?: Transition['patch']): Promise<Run | null> {
  const updated = await deps.store.transitionRun(runId, {
    from: sourcesOf(to),
    to,
    at: deps.now().toISOString(),
    reason,
    ...(patch ? { patch } : {}),
  });
  if (updated) {
    deps.events.publish(updated);
  } else {
    const current = await deps.store.getRun(runId);
    deps.log(`run ${runId}: refused ${current?.status ?? 'missing'} → ${to} (${reason})`);
  }
  return updated;
}
