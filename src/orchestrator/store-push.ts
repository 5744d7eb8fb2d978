import { overlappingSeqs, pushWithoutOverlap } from '../domain/push-overlap.js';
import type { MetricsSnapshot, Run } from '../domain/types.js';
import type { Store } from '../store/store.js';

/**
 * Stores one push so that each request is in exactly one stored histogram, whatever the plugin
 * saw acknowledged. `baseSeq` is the push the plugin's histogram counts from (absent in older
 * plugins: stored as sent). Returns the snapshot as stored, or null when it changed nothing
 * (a repeated seq, or a push older than one stored). Callers serialise pushes of one run.
 * A push with a base is stored only if not older than the run's lastMetrics: it then is the run's
 * lastMetrics (see runAfterPush). `run` is the run after the write, without its snapshots.
 */
export async function storePush(store: Store, runId: string, snapshot: MetricsSnapshot, baseSeq: number | undefined): Promise<{ stored: MetricsSnapshot | null; run: Run }> {
  if (baseSeq === undefined) {
    const { stored, run } = await store.appendMetricsReadingRun(runId, snapshot);
    return { stored: stored ? snapshot : null, run };
  }
  let stored = snapshot;
  // Only after a lost acknowledgement can anything be stored between the base and this push, and
  // then the plugin's base lags this push by more than one. The metrics documents are read then,
  // not the run's lastMetrics: a push whose write landed while its answer failed (a store outage)
  // can be stored without the run's lastMetrics having followed.
  if (baseSeq < snapshot.seq - 1) {
    const all = await store.listMetrics(runId);
    const between = new Set(overlappingSeqs(all.map((metrics) => metrics.seq), baseSeq, snapshot.seq));
    stored = pushWithoutOverlap(snapshot, all.filter((metrics) => between.has(metrics.seq)));
  }
  const written = await store.appendMetricsReadingRun(runId, stored, { skipOlderThanLast: true });
  return { stored: written.stored ? stored : null, run: written.run };
}
