// How loadctl's types are laid out as MongoDB documents, and back.
//
// FerretDB v1 (our test server) rejects field names that contain "." or start with "$", and
// arrays nested in arrays. Keys we do not control are therefore never used as field names:
// requestStats and histogram become arrays of objects, and a test's free-form `extra`
// (user metadata) and a run's `metadata` are kept as JSON strings. Scope fields (accountId …)
// are plain fields; tests written before they were kept them in extraJson, lifted out on read.
import { summarizePush, type PushSummary } from '../domain/push-summary.js';
import type { EndpointStats, Histogram, LoadTest, MetricsSnapshot, Run, ScriptRevision } from '../domain/types.js';
import type { RecentRunSource } from './_recent-runs.js';
import { liftScope } from './_scope.js';

export type RequestStatsEntry = EndpointStats & { key: string };

export interface HistogramEntry {
  bucket: string;
  count: number;
}

export type MetricsBody = Omit<MetricsSnapshot, 'requestStats' | 'histogram'> & {
  requestStats: RequestStatsEntry[];
  histogram: HistogramEntry[];
};

/**
 * `_id` is `runId/seq` (metricsIdOf) since pushes are read back by it; older documents have an ObjectId.
 * summary: absent in pushes stored before it was (read those from the rest of the document).
 */
export type MetricsDocument = MetricsBody & { runId: string; _id?: string; summary?: PushSummary };

export type LoadTestDocument = Omit<LoadTest, 'id' | 'extra' | 'recentRuns'> & {
  _id: string;
  extraJson: string;
  /** Written by loadctl before recentRuns were computed from the runs (_recent-runs.ts): ignored. */
  recentRuns?: unknown;
  /** The claim version of that stored list: ignored too. */
  recentRunsVersion?: number;
};

export type ScriptRevisionDocument = Omit<ScriptRevision, 'id'> & { _id: string };

export type RunDocument = Omit<Run, 'id' | 'lastMetrics' | 'finalMetrics' | 'metadata'> & {
  _id: string;
  metadataJson?: string;
  lastMetrics?: MetricsBody;
  finalMetrics?: MetricsBody;
  /**
   * The seq of the run's lastMetrics. A push moves it alone ($max, filtered on _id only: FerretDB
   * v1 pushes no other filter down to its backend); its lastMetrics is then the push stored under
   * that seq (lastPushSeqOf). A lastMetrics kept in the document (given with the run or a
   * transition, or written by loadctl before 0.x pushes moved only this) is the one when its seq is this.
   */
  lastMetricsSeq?: number;
};

export function encodeMetrics(snapshot: MetricsSnapshot): MetricsBody {
  return {
    ...snapshot,
    requestStats: Object.entries(snapshot.requestStats).map(([key, stats]) => ({ ...stats, key })),
    histogram: Object.entries(snapshot.histogram).map(([bucket, count]) => ({ bucket, count })),
  };
}

export function decodeMetrics(body: MetricsBody): MetricsSnapshot {
  const { requestStats, histogram, ...rest } = body;
  return {
    ...withoutMongoFields(rest),
    requestStats: Object.fromEntries(requestStats.map(({ key, ...stats }) => [key, stats])),
    histogram: decodeHistogram(histogram),
  };
}

export function toLoadTestDocument(test: LoadTest): LoadTestDocument {
  const { id, extra, recentRuns: _computed, ...rest } = test;
  return { ...rest, _id: id, extraJson: JSON.stringify(extra) };
}

/** The test with no recentRuns: the store fills them in from the runs. */
export function fromLoadTestDocument(doc: LoadTestDocument): LoadTest {
  const { _id, extraJson, recentRuns: _stored, recentRunsVersion: _version, ...rest } = doc;
  return liftScope({ ...rest, id: _id, extra: JSON.parse(extraJson) as Record<string, unknown>, recentRuns: [] });
}

export function toRevisionDocument(revision: ScriptRevision): ScriptRevisionDocument {
  const { id, ...rest } = revision;
  return { ...rest, _id: id };
}

export function fromRevisionDocument(doc: ScriptRevisionDocument): ScriptRevision {
  const { _id, ...rest } = doc;
  return { ...rest, id: _id };
}

export function toRunDocument(run: Run): RunDocument {
  const { id, lastMetrics, finalMetrics, metadata, ...rest } = run;
  return {
    ...rest,
    _id: id,
    ...(metadata && { metadataJson: JSON.stringify(metadata) }),
    ...(lastMetrics && { lastMetrics: encodeMetrics(lastMetrics), lastMetricsSeq: lastMetrics.seq }),
    ...(finalMetrics && { finalMetrics: encodeMetrics(finalMetrics) }),
  };
}

export function fromRunDocument(doc: RunDocument): Run {
  const { _id, lastMetrics, finalMetrics, lastMetricsSeq: _seq, metadataJson, ...rest } = doc;
  return {
    ...rest,
    id: _id,
    ...(metadataJson !== undefined && { metadata: JSON.parse(metadataJson) as Record<string, unknown> }),
    ...(lastMetrics && { lastMetrics: decodeMetrics(lastMetrics) }),
    ...(finalMetrics && { finalMetrics: decodeMetrics(finalMetrics) }),
  };
}

/** The `$set` for fields of a run given as a patch: metrics encoded, undefined left out. */
export function toRunFields(patch: Partial<Run>): Partial<RunDocument> {
  const fields: Partial<RunDocument> = {};
  for (const [key, value] of Object.entries(patch) as [keyof Run, unknown][]) {
    if (value === undefined || key === 'id') continue;
    if (key === 'lastMetrics' || key === 'finalMetrics') {
      const metrics = encodeMetrics(value as MetricsSnapshot);
      fields[key] = metrics;
      if (key === 'lastMetrics') fields.lastMetricsSeq = metrics.seq;
    } else {
      (fields as Record<string, unknown>)[key] = value;
    }
  }
  return fields;
}

/** The push with its summary, in one document: one insert writes both. */
export function toMetricsDocument(runId: string, snapshot: MetricsSnapshot): MetricsDocument {
  return { _id: metricsIdOf(runId, snapshot.seq), ...encodeMetrics(snapshot), runId, summary: summarizePush(snapshot) };
}

/** A push's _id: found by _id alone, which FerretDB v1 reads without scanning the collection. */
export function metricsIdOf(runId: string, seq: number): string {
  return `${runId}/${seq}`;
}

/** The seq of the stored push that is the run's lastMetrics, when the document does not hold it itself. */
export function lastPushSeqOf(doc: Pick<RunDocument, 'lastMetricsSeq'> & { lastMetrics?: { seq?: number } }): number | undefined {
  return doc.lastMetricsSeq !== undefined && doc.lastMetrics?.seq !== doc.lastMetricsSeq ? doc.lastMetricsSeq : undefined;
}

/** The body of a stored push, as a run's lastMetrics holds it. */
export function metricsBodyOf(doc: MetricsDocument): MetricsBody {
  const { runId: _runId, _id: _ignored, summary: _summary, ...body } = doc;
  return body;
}

export function fromMetricsDocument(doc: MetricsDocument): MetricsSnapshot {
  const { runId: _runId, summary: _summary, ...body } = doc;
  return decodeMetrics(body);
}

/** A push's summary: stored with it, else (a push of an older version) derived from it. */
export function pushSummaryOf(doc: MetricsDocument): PushSummary {
  return doc.summary ?? summarizePush(fromMetricsDocument(doc));
}

export function decodeHistogram(entries: readonly HistogramEntry[]): Histogram {
  return Object.fromEntries(entries.map(({ bucket, count }) => [bucket, count]));
}

/** The fields of a run its summary needs: no histograms or per-endpoint stats are read. */
export const RECENT_RUN_PROJECTION = Object.fromEntries(
  [
    'loadTestId', 'status', 'createdAt', 'finishedAt', 'targetUsers', 'durationSeconds',
    ...['finalMetrics', 'lastMetrics'].flatMap((field) => ['totalRequests', 'totalFailures', 'errorRate', 'p95ResponseMs'].map((name) => `${field}.${name}`)),
    'lastMetrics.seq', 'lastMetricsSeq',
  ].map((field) => [field, 1]),
);

export type RecentRunDocument = Pick<RunDocument, '_id' | 'loadTestId' | 'status' | 'createdAt' | 'finishedAt' | 'targetUsers' | 'durationSeconds' | 'lastMetricsSeq'> &
  Pick<RecentRunSource, 'finalMetrics' | 'lastMetrics'>;

export function recentRunSourceOf(doc: RecentRunDocument): RecentRunSource {
  const { _id, lastMetricsSeq: _seq, ...rest } = doc;
  return { ...rest, id: _id };
}

// Documents read back carry _id (an ObjectId for metrics); it is not part of a snapshot.
function withoutMongoFields<T extends object>(value: T): T {
  const { _id: _ignored, ...rest } = value as T & { _id?: unknown };
  return rest as T;
}
