// Refusals that depend on a run still being in progress, worded the same in every store.
import { LoadctlError } from '../domain/errors.js';
import type { RunStatus } from '../domain/types.js';

export function createActiveRunError(loadTestId: string, run: { id: string; status: RunStatus }): LoadctlError {
  return new LoadctlError(
    'LOADCTL_RUN_CONFLICT',
    `Load test ${loadTestId} has run ${run.id} in progress (${run.status}); stop it (POST /v1/runs/${run.id}/stop) or wait for it to end, then delete the test.`,
    { details: { runId: run.id, status: run.status } },
  );
}
