import type { PushSummary, StoredHistogram } from '../domain/push-summary.js';
import type { LoadTest, MetricsSnapshot, Run, RunStatus, Scope, ScopeField, ScriptRevision } from '../domain/types.js';

/** A load test as first written; the store fills in revision numbers. */
export type NewLoadTest = Omit<LoadTest, 'latestRevisionId' | 'latestRevision' | 'recentRuns'>;
/** A script revision as first written; the store assigns `revision` (1, 2, … per test). */
export type NewScriptRevision = Omit<ScriptRevision, 'revision' | 'loadTestId'>;

/**
 * What may change on a load test after it was created. Absent fields are kept. The script is
 * not here: a new script is a new revision (`addScriptRevision`).
 */
export interface LoadTestPatch {
  name?: string;
  description?: string;
  tags?: string[];
  targetUrl?: string;
  defaultUsers?: number;
  defaultSpawnRate?: number;
  defaultDurationSec?: number;
  /** null removes the cap. */
  maxDurationSec?: number | null;
  /** Merged into `extra` key by key; a null value removes that key. */
  extra?: Record<string, unknown>;
  /** Scope fields to set; null removes one. */
  scope?: { [K in ScopeField]?: string | null };
  updatedAt: string;
}

export interface Page<T> {
  items: T[];
  total: number;
}

export type SortOrder = 'asc' | 'desc';

export interface LoadTestFilter {
  /** Case-insensitive substring of the name. */
  name?: string;
  tag?: string;
  /** Tests with any of these tags. */
  tags?: string[];
  /** Each given field equals. */
  scope?: Scope;
  /** Default createdAt, newest first. */
  sortBy?: 'createdAt' | 'updatedAt';
  sortOrder?: SortOrder;
  limit: number;
  offset: number;
}

export interface RunFilter {
  loadTestId?: string;
  status?: RunStatus[];
  /** The run's verdict; 'none': runs not judged (yet). */
  verdict?: 'passed' | 'failed' | 'none';
  /** ISO timestamp: runs created at or after it. */
  since?: string;
  /** ISO timestamp: runs created before it (so since/until ranges do not overlap). */
  until?: string;
  /** Each given field equals (runs carry their test's scope). */
  scope?: Scope;
  /** By creation time; default newest first. */
  sortOrder?: SortOrder;
  limit: number;
  offset: number;
}

export interface Transition {
  /** The transition applies only while the run's status is one of these. */
  from: readonly RunStatus[];
  to: RunStatus;
  at: string;
  reason?: string;
  /** Other fields written in the same conditional update. */
  patch?: Partial<Pick<Run, 'startedAt' | 'finishedAt' | 'autoStopped' | 'finalMetrics' | 'lastMetrics' | 'error' | 'locustEndpoint' | 'thresholdVerdicts' | 'verdict'>>;
}

export interface StoreHealth {
  ok: boolean;
  kind: 'embedded' | 'mongodb';
  detail?: string;
}

/**
 * Where tests, revisions, runs and metrics live. Two implementations (embedded SQLite and
 * MongoDB) pass one contract suite. Every method is safe to call from several processes
 * sharing one database: nothing that decides a run's state lives only in memory.
 */
export interface Store {
  /** Creates tables/indexes idempotently. Called once before use. */
  init(): Promise<void>;
  close(): Promise<void>;
  health(): Promise<StoreHealth>;

  /**
   * Writes the test and its first revision (revision 1). Never leaves one without the other.
   * Names are unique: refuses (LOADCTL_TEST_NAME_TAKEN, details.loadTestId = the holder,
   * nothing kept) a name another test has, also when two processes create it at once.
   * updateLoadTest refuses a rename to a taken name the same way.
   */
  createLoadTest(test: NewLoadTest, firstRevision: NewScriptRevision): Promise<{ test: LoadTest; revision: ScriptRevision }>;
  /**
   * Every read of a test (this, listLoadTests, updateLoadTest) computes its `recentRuns` from its
   * runs: the RECENT_RUNS_KEPT terminal ones (Finished, Stopped, Failed) that ended last, newest
   * end first (finishedAt, then createdAt, then id). Nothing writes that list, so runs ending at
   * once never lose an entry, and a deleted run leaves it. A list reads them in one query.
   */
  getLoadTest(id: string): Promise<LoadTest | null>;
  /** Newest first unless the filter sorts otherwise. */
  listLoadTests(filter: LoadTestFilter): Promise<Page<LoadTest>>;
  /**
   * Applies the patch as one change and returns the test after it, or null when it does not
   * exist. Refuses (LOADCTL_BAD_REQUEST, nothing written) a patch of defaultDurationSec or
   * maxDurationSec that would leave the default above the cap.
   */
  updateLoadTest(id: string, patch: LoadTestPatch): Promise<LoadTest | null>;
  /**
   * Deletes the test with its revisions, runs and their metrics. Refuses with
   * LOADCTL_RUN_CONFLICT, deleting nothing, while one of its runs is Pending, Starting,
   * Running or Stopping. Returns false when nothing of that test was stored. What an
   * interrupted delete left behind is removed by the next call for the same id.
   */
  deleteLoadTest(id: string): Promise<boolean>;

  /** Appends the next numbered revision and makes it the test's latest. Null when the test does not exist. */
  addScriptRevision(loadTestId: string, revision: NewScriptRevision): Promise<ScriptRevision | null>;
  getScriptRevision(id: string): Promise<ScriptRevision | null>;
  /** The test's revision with that number (1, 2, …), or null. */
  getScriptRevisionByNumber(loadTestId: string, revision: number): Promise<ScriptRevision | null>;
  /** Oldest first; a bundle's revisions without their archive (`bundle`), which can be megabytes. */
  listScriptRevisions(loadTestId: string): Promise<ScriptRevision[]>;

  /**
   * Refuses (LOADCTL_TEST_NOT_FOUND, nothing kept) a run of a test that does not exist, and
   * (LOADCTL_RUN_CONFLICT, nothing kept) a run on a Locust cluster (`locustClusterId`) while
   * another run on it is in progress: of two processes starting runs on one cluster, one wins.
   * No secret is written in clear: a `callbackToken` is stored as its hash, a `launchToken` not
   * at all (domain/run-secrets.ts). Returns the run as stored.
   */
  createRun(run: Run): Promise<Run>;
  /**
   * `snapshots: false` leaves out lastMetrics and finalMetrics, the bulk of a run: what
   * authenticating a callback and deciding about a push need is the rest.
   */
  getRun(id: string, options?: RunReadOptions): Promise<Run | null>;
  /** Newest first. */
  listRuns(filter: RunFilter): Promise<Page<Run>>;
  /**
   * Conditional status change: applied only if the current status is in `from`
   * (one atomic compare-and-set), appending to statusHistory. Returns the updated run, or
   * null when the run is missing or its status was not in `from` (nothing written).
   */
  transitionRun(id: string, transition: Transition): Promise<Run | null>;
  /** Sets fields that are not the status (e.g. locustEndpoint). Returns null when missing. */
  updateRun(id: string, patch: Partial<Pick<Run, 'locustEndpoint' | 'error' | 'owner' | 'plugin' | 'locustArgs' | 'shape' | 'workerNodes' | 'events'>>): Promise<Run | null>;

  /**
   * Stores one push. Returns false (and writes nothing) when this run already has that
   * sequence number, or with `skipOlderThanLast` when seq is below the run's lastMetrics seq
   * (a retry that arrives after newer pushes). Also sets run.lastMetrics when seq is the
   * highest seen so far.
   */
  appendMetrics(runId: string, snapshot: MetricsSnapshot, options?: AppendMetricsOptions): Promise<boolean>;
  /**
   * appendMetrics, answered also with the run as it stands after the write, without its
   * snapshots (as getRun with `snapshots: false`): what a push's caller decides on next. On a
   * database server it comes back with the write that moves the run's lastMetrics seq, one
   * round trip less per push.
   */
  appendMetricsReadingRun(runId: string, snapshot: MetricsSnapshot, options?: AppendMetricsOptions): Promise<{ stored: boolean; run: Run }>;
  /** Ordered by seq. */
  listMetrics(runId: string): Promise<MetricsSnapshot[]>;
  /**
   * What a timeseries reads of each push (domain/push-summary.ts), ordered by seq: stored with
   * the push, or derived from it for pushes stored before summaries were.
   */
  listPushSummaries(runId: string): Promise<PushSummary[]>;
  /** The interval histograms of the run's pushes with fromSeq ≤ seq ≤ toSeq, by seq (as pairs where the store keeps them so). */
  listPushHistograms(runId: string, fromSeq: number, toSeq: number): Promise<Map<number, StoredHistogram>>;
}

export interface RunReadOptions {
  /** false: without lastMetrics and finalMetrics. Default true. */
  snapshots?: boolean;
}

export interface AppendMetricsOptions {
  skipOlderThanLast?: boolean;
}

export const RECENT_RUNS_KEPT = 10;
