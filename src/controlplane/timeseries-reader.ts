// A run's timeseries read from its pushes' stored summaries: the histograms are read only for
// the points that merge several pushes (a step, the stop sliver), and only theirs.
import type { PushSummary, StoredHistogram } from '../domain/push-summary.js';
import { histogramSeqsNeeded, runStartOf, summaryTimeseries, type TimeseriesOptions, type TimeseriesPoint } from '../domain/timeseries.js';
import type { Run } from '../domain/types.js';
import type { Store } from '../store/store.js';

/** The same points as bucketTimeseries on the run's whole pushes. */
export async function readTimeseries(
  store: Pick<Store, 'listPushHistograms'>,
  run: Pick<Run, 'id' | 'startedAt'>,
  summaries: readonly PushSummary[],
  options: TimeseriesOptions,
): Promise<TimeseriesPoint[]> {
  const runStart = runStartOf(run);
  const range = histogramSeqsNeeded(summaries, runStart, options);
  const histograms = range ? await store.listPushHistograms(run.id, range.fromSeq, range.toSeq) : new Map<number, StoredHistogram>();
  return summaryTimeseries(summaries, histograms, runStart, options);
}
