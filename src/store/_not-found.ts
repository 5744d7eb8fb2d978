// Writes that need a parent (a run needs its test, a push its run) refuse a missing one the
// same way in every store.
import { LoadctlError } from '../domain/errors.js';

export function createTestNotFoundError(loadTestId: string): LoadctlError {
  return new LoadctlError('LOADCTL_TEST_NOT_FOUND', `No load test has id ${loadTestId}.`, { details: { loadTestId } });
}

export function createRunNotFoundError(runId: string): LoadctlError {
  return new LoadctlError('LOADCTL_RUN_NOT_FOUND', `No run has id ${runId}.`, { details: { runId } });
}
