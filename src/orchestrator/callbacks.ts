import { isTerminal } from '../domain/run-state.js';
import { thresholdAbortOf } from '../domain/thresholds.js';
import { SHAPE_ENDED_REASON, type RunShape } from '../domain/load-shape.js';
import type { MetricsSnapshot, Run } from '../domain/types.js';
import { storePush } from './store-push.js';
import { moveRun, type TransitionDeps } from './transitions.js';
import { abortReasonFor } from './verdicts.js';

/** What the plugin posts: a cumulative snapshot plus the run it belongs to. */
export interface CallbackPayload extends MetricsSnapshot {
  runId: string;
  autoStopped?: boolean;
  /** The seq of the last push the plugin saw acknowledged: its histogram counts from there. */
  histogramBaseSeq?: number;
  /** The load shape driving the test, when one does (the plugin reports it in every push). */
  shape?: Pick<RunShape, 'kind' | 'name'>;
  /** test-stop: what stopped it when autoStopped ("shape": its tick() returned None; "duration"). */
  stopReason?: 'shape' | 'duration';
}

export function snapshotOf(payload: CallbackPayload): MetricsSnapshot {
  return {
    seq: payload.seq,
    timestamp: payload.timestamp,
    totalRps: payload.totalRps,
    totalRequests: payload.totalRequests,
    totalFailures: payload.totalFailures,
    currentUsers: payload.currentUsers,
    errorRate: payload.errorRate,
    avgResponseMs: payload.avgResponseMs,
    p50ResponseMs: payload.p50ResponseMs,
    p95ResponseMs: payload.p95ResponseMs,
    p99ResponseMs: payload.p99ResponseMs,
    requestStats: payload.requestStats,
    errors: payload.errors,
    histogram: payload.histogram,
    ...(payload.minResponseMs === undefined ? {} : { minResponseMs: payload.minResponseMs }),
    ...(payload.maxResponseMs === undefined ? {} : { maxResponseMs: payload.maxResponseMs }),
    ...(payload.totalExceptions === undefined ? {} : { totalExceptions: payload.totalExceptions }),
    ...(payload.exceptions === undefined ? {} : { exceptions: payload.exceptions }),
    ...(payload.intervalStart === undefined ? {} : { intervalStart: payload.intervalStart }),
    ...(payload.intervalEnd === undefined ? {} : { intervalEnd: payload.intervalEnd }),
    ...(payload.peakUsers === undefined ? {} : { peakUsers: payload.peakUsers }),
    ...(payload.truncated === undefined ? {} : { truncated: payload.truncated }),
    ...(payload.targetUsers === undefined ? {} : { targetUsers: payload.targetUsers }),
    ...(payload.shapeStage === undefined ? {} : { shapeStage: payload.shapeStage }),
  };
}

/** A script's own LoadTestShape is known once the plugin reports it: record it with the run, once. */
async function recordScriptShape(deps: TransitionDeps, run: Run, payload: CallbackPayload): Promise<Run> {
  if (run.shape !== undefined || payload.shape?.kind !== 'script' || isTerminal(run.status)) return run;
  return (await deps.store.updateRun(run.id, { shape: { kind: 'script', name: payload.shape.name } })) ?? run;
}

/** test-start: spawning has begun; the run's clock starts at the plugin's timestamp. */
export async function recordTestStart(deps: TransitionDeps, run: Run, payload: CallbackPayload): Promise<Run> {
  if (run.status !== 'Starting') return run; // a repeated or late test-start changes nothing
  const shaped = await recordScriptShape(deps, run, payload);
  // A first metrics push (test-start lost) says where its interval, the test, began.
  const startedAt = payload.intervalStart ?? payload.timestamp;
  const why = shaped.shape ? `Locust started spawning users (load shape ${shaped.shape.name})` : 'Locust started spawning users';
  return (await moveRun(deps, run.id, 'Running', why, { startedAt })) ?? shaped;
}

/**
 * metrics: one stored document per push; a repeated sequence number is ignored. `abortReason`
 * is set when an abortOnFail threshold already fails: the caller stops the run with it.
 */
export async function recordMetrics(deps: TransitionDeps, run: Run, payload: CallbackPayload): Promise<{ run: Run; stored: boolean; abortReason?: string }> {
  // A push that arrives after the run ended (late, or retried) must not move its numbers.
  if (isTerminal(run.status)) return { run, stored: false };
  const { stored: pushed, run: written } = await storePush(deps.store, run.id, snapshotOf(payload), payload.histogramBaseSeq);
  const stored = pushed !== null;
  let current = await recordScriptShape(deps, run, payload);
  // The test-start push may have been lost; the first metrics push proves the run is running.
  if (current.status === 'Starting') current = (await recordTestStart(deps, current, payload)) ?? current;
  // The run the push's write answered with is current unless this push moved it on since.
  const head = current === run ? written : null;
  const fresh = (await runAfterPush(deps, run.id, payload.histogramBaseSeq === undefined ? null : pushed, head)) ?? current;
  if (stored) deps.events.publish(fresh);
  const abortReason = stored && fresh.status === 'Running' ? abortReasonFor(fresh) : undefined;
  return { run: fresh, stored, ...(abortReason ? { abortReason } : {}) };
}

/**
 * The run as it stands after a push. A push stored with its base was checked against the run's
 * lastMetrics in the same write, so it is the run's lastMetrics now: the run is read without its
 * snapshots (most of its bytes) and given that push, unless it ended meanwhile (then read whole).
 * `written`: that head as the push's write answered, when nothing was written to the run since.
 */
async function runAfterPush(deps: TransitionDeps, runId: string, newest: MetricsSnapshot | null, written: Run | null): Promise<Run | null> {
  if (newest === null) return deps.store.getRun(runId);
  const head = written ?? (await deps.store.getRun(runId, { snapshots: false }));
  return head && !isTerminal(head.status) ? { ...head, lastMetrics: newest } : deps.store.getRun(runId);
}

/**
 * test-stop: the final numbers. Finished when the plugin stopped it at the duration,
 * Stopped when someone asked. The final push is also stored as the last metrics document.
 */
export async function recordTestStop(deps: TransitionDeps, run: Run, payload: CallbackPayload, how?: string): Promise<Run> {
  // A repeated or late test-stop (the run already ended, e.g. Failed by a watchdog) changes nothing.
  if (isTerminal(run.status)) return run;
  const snapshot = (await storePush(deps.store, run.id, snapshotOf(payload), payload.histogramBaseSeq)).stored ?? snapshotOf(payload);
  // test-start was lost and no push came before the stop (a duration shorter than the interval): the run did run.
  const shaped = await recordScriptShape(deps, run, payload);
  const running = shaped.status === 'Starting' ? await recordTestStart(deps, shaped, payload) : shaped;
  const autoStopped = payload.autoStopped === true;
  const to = autoStopped ? 'Finished' : 'Stopped';
  const why = autoStopped ? autoStopReason(running, payload) : (thresholdAbortOf(running) ?? (how ? 'stopped' : 'stopped on request'));
  const reason = how ? `${why} (${how})` : why;
  const updated = await moveRun(deps, run.id, to, reason, {
    finishedAt: payload.timestamp,
    autoStopped,
    finalMetrics: snapshot,
    ...(running.startedAt ? {} : { startedAt: payload.timestamp }),
  });
  // The test's recentRuns are read from its terminal runs: nothing more to write.
  return updated ?? (await deps.store.getRun(run.id)) ?? run;
}

function autoStopReason(run: Run, payload: CallbackPayload): string {
  if (payload.stopReason === 'shape') return `${SHAPE_ENDED_REASON}${run.shape ? ` (${run.shape.kind === 'stages' ? 'its stages are done' : run.shape.name})` : ''}`;
  return run.shape ? `duration of ${run.durationSeconds}s elapsed (the upper bound of the load shape)` : `duration of ${run.durationSeconds}s elapsed`;
}
