// A run view reaches the page from two sources, the stop request's answer and the event stream,
// and they can arrive out of order: Locust's final report may end the run (and the stream) before
// the stop request answers with the run as it stood when it was asked. The page keeps the newer.
import type { Run } from './types.js';

/** `candidate` unless it is older than `current`: a run's status history only grows. */
export function newerRun(current: Run, candidate: Run): Run {
  return candidate.statusHistory.length >= current.statusHistory.length ? candidate : current;
}
