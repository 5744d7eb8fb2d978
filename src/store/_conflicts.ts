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

/** Names are unique per store: the answer names the test that has it, so a client can use it. */
export function createNameTakenError(name: string, loadTestId: string): LoadctlError {
  return new LoadctlError(
    'LOADCTL_TEST_NAME_TAKEN',
    `A load test named "${name}" exists already (${loadTestId}); use it, or choose another name.`,
    { details: { loadTestId, name } },
  );
}

/** A Locust cluster drives one run at a time: a second set-context would take over the first run. */
export function createClusterBusyError(clusterId: string, run: { id: string; status: RunStatus }): LoadctlError {
  return new LoadctlError(
    'LOADCTL_RUN_CONFLICT',
    `Locust cluster ${clusterId} is busy with run ${run.id} (${run.status}); wait for it or stop it first.`,
    { details: { runId: run.id, status: run.status } },
  );
}
