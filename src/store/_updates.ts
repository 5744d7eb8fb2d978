// Pure "next state" rules shared by the store implementations.
import { validateDurationLimits } from '../domain/load-test-limits.js';
import type { LoadTest, Run, RunStatus, ScopeField, StatusChange } from '../domain/types.js';
import type { LoadTestPatch, Transition } from './store.js';

/** The status change a transition records, given the status it actually left. */
export function createStatusChange(from: RunStatus, transition: Transition): StatusChange {
  const change: StatusChange = { from, to: transition.to, at: transition.at };
  if (transition.reason !== undefined) change.reason = transition.reason;
  return change;
}

/** The run after a transition that has been allowed. */
export function applyTransition(run: Run, change: StatusChange, patch: Transition['patch']): Run {
  return {
    ...run,
    ...omitUndefined(patch ?? {}),
    status: change.to,
    statusHistory: [...run.statusHistory, change],
  };
}

/** A copy without the keys whose value is undefined: "not given" must never erase a field. */
export function omitUndefined<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/** The test after a patch; checks the duration limits when the patch touches them. */
export function applyLoadTestPatch(test: LoadTest, patch: LoadTestPatch): LoadTest {
  const { maxDurationSec, extra, scope, ...fields } = patch;
  const next: LoadTest = { ...test, ...omitUndefined(fields) };
  for (const [field, value] of Object.entries(scope ?? {}) as [ScopeField, string | null | undefined][]) {
    if (value === null) delete next[field];
    else if (value !== undefined) next[field] = value;
  }
  if (maxDurationSec === null) delete next.maxDurationSec;
  else if (maxDurationSec !== undefined) next.maxDurationSec = maxDurationSec;
  if (extra !== undefined) next.extra = mergeExtra(test.extra, extra);
  if (patch.defaultDurationSec !== undefined || maxDurationSec !== undefined) {
    validateDurationLimits(next, patch.defaultDurationSec !== undefined ? 'defaultDurationSec' : 'maxDurationSec');
  }
  return next;
}

/** Given keys replace, null removes, absent keys stay. */
function mergeExtra(current: Record<string, unknown>, changes: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) delete merged[key];
    else if (value !== undefined) merged[key] = value;
  }
  return merged;
}
