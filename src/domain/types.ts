// Plain data shapes shared by every part. Field names follow DESIGN.md ("Field names"),
// which keeps them compatible with scripts written for the system loadctl replaces.
import type { RunVerdict, Threshold, ThresholdVerdict } from './_threshold-types.js';
import type { RunRequirements } from './requirements.js';
import type { BundleFile } from './bundle.js';
import type { RunShape, ShapeStage } from './load-shape.js';

export const RUN_STATUSES = ['Pending', 'Starting', 'Running', 'Stopping', 'Finished', 'Stopped', 'Failed'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** Response-time histogram: Locust's rounded bucket (ms, as a decimal string) → request count. */
export type Histogram = Record<string, number>;

export interface EndpointStats {
  method: string;
  name: string;
  numRequests: number;
  numFailures: number;
  avgResponseTime: number;
  minResponseTime: number;
  maxResponseTime: number;
  /** Locust's own Median column (median_response_time); kept for the replaced system's clients. loadctl shows p50ResponseTime. */
  medianResponseTime: number;
  /** Locust's get_response_time_percentile(0.5), clamped to [min, max]; absent in pushes stored before it existed. */
  p50ResponseTime?: number;
  p95ResponseTime: number;
  p99ResponseTime: number;
  requestsPerSec: number;
}

export interface ErrorEntry {
  method: string;
  name: string;
  error: string;
  occurrences: number;
}

/** An exception raised in a task (Locust's runner.exceptions), one entry per distinct traceback. */
export interface ExceptionEntry {
  /** The exception as Python prints it: "ValueError('bad id')". */
  message: string;
  traceback: string;
  count: number;
  /** The script's innermost frame: "locustfile.py:14 in checkout". */
  where: string;
}

/** One push from the plugin. Totals are cumulative since the test started; `histogram` covers only the interval since the previous acknowledged push. */
export interface MetricsSnapshot {
  seq: number;
  timestamp: string;
  totalRps: number;
  totalRequests: number;
  totalFailures: number;
  currentUsers: number;
  errorRate: number;
  avgResponseMs: number;
  p50ResponseMs: number;
  p95ResponseMs: number;
  p99ResponseMs: number;
  /** Keyed "METHOD name". */
  requestStats: Record<string, EndpointStats>;
  errors: ErrorEntry[];
  histogram: Histogram;
  /** Fastest and slowest request of the test so far (exact, unlike the rounded histogram); absent in older pushes. */
  minResponseMs?: number;
  maxResponseMs?: number;
  /** Task exceptions of the test so far; absent in pushes from plugins that do not report them. */
  totalExceptions?: number;
  exceptions?: ExceptionEntry[];
  /**
   * The interval the push covers, (intervalStart, intervalEnd]: consecutive pushes tile, the
   * first starting at the test start. Absent in pushes stored before loadctl sent them; read
   * those as (previous push's timestamp, timestamp]. See docs/METRICS.md.
   */
  intervalStart?: string;
  intervalEnd?: string;
  /** The most users the plugin saw running so far in the test (absent in older pushes: use currentUsers). */
  peakUsers?: number;
  /** What was cut to make the push storable (over-long texts, rows past a budget); absent when nothing was. */
  truncated?: string[];
  /** The users planned at this push (a shape's last tick, else the run's target); absent in older pushes. */
  targetUsers?: number;
  /** The shape's stage at this push, when the shape has stages. */
  shapeStage?: ShapeStage;
}

/**
 * Which Locust plugin reports a run: loadctl's own (per-run token, seq-numbered pushes with
 * histograms), or the replaced system's `locust_harness_plugin.py` (static token, pushes
 * without seq, histograms or exceptions), whose callbacks the control plane normalises.
 */
export type LocustPlugin = 'loadctl' | 'harness';

export interface StatusChange {
  from: RunStatus | null;
  to: RunStatus;
  at: string;
  reason?: string;
}

/** What a load test's list entry keeps of each of its last runs. */
export interface RunSummary {
  runId: string;
  status: RunStatus;
  createdAt: string;
  finishedAt?: string;
  targetUsers: number;
  durationSeconds: number;
  totalRequests: number;
  totalFailures: number;
  errorRate: number;
  p95ResponseMs: number;
}

/**
 * Where a test and its runs belong, as the replaced system scoped them: account → org →
 * project → env (tenantId: what its plugin calls the account). Plain, indexed fields.
 */
export const SCOPE_FIELDS = ['accountId', 'orgId', 'projectId', 'envId', 'tenantId'] as const;
export type ScopeField = (typeof SCOPE_FIELDS)[number];
export type Scope = { [K in ScopeField]?: string };

export interface LoadTest extends Scope {
  id: string;
  name: string;
  description: string;
  tags: string[];
  targetUrl: string;
  defaultUsers: number;
  defaultSpawnRate: number;
  defaultDurationSec: number;
  maxDurationSec?: number;
  /**
   * createdBy, updatedBy, scenarioId, locustClusterId, metadata: accepted and kept as given.
   * (Versions before scope fields were fields kept accountId … envId here too; stores lift them on read.)
   */
  extra: Record<string, unknown>;
  latestRevisionId: string;
  latestRevision: number;
  recentRuns: RunSummary[];
  createdAt: string;
  updatedAt: string;
}

export interface ScriptRevision {
  id: string;
  loadTestId: string;
  revision: number;
  cleanScript: string;
  injectedScript: string;
  sha256: string;
  sizeBytes: number;
  createdAt: string;
  /** What changed, as the uploader said (the replaced system's `description` of a script update). */
  description?: string;
  /** Who uploaded it (createdBy of the test, updatedBy of a script update). */
  createdBy?: string;
  /**
   * Set when the revision is a bundle (the locustfile with the files beside it): the
   * locustfile's path inside it. Then `sha256` hashes every file (bundle.ts) and `sizeBytes`
   * counts them all; cleanScript/injectedScript stay the locustfile's. Absent: a single file.
   */
  locustfile?: string;
  /** A bundle's files, sorted by path, the locustfile among them. */
  files?: BundleFile[];
  /** A bundle's archive: base64 of a gzip'd tar. Left out of listScriptRevisions (it can be megabytes). */
  bundle?: string;
}

/** The process that launched a run: it alone settles the run while it lives (recover-runs.ts). */
export interface RunOwner {
  host: string;
  pid: number;
  /** When that process started (ISO): a pid reused later has another start time. */
  startedAt: string;
  /** Rewritten periodically while the run is active: the only sign of life seen from another host. */
  heartbeatAt: string;
}

/** One Locust worker of a distributed run, as its master last saw it. */
export interface RunWorker {
  /** Locust's client id ("<hostname>_<uuid>"). */
  id: string;
  host: string;
  /** The most users it ran in this run (as reported to the master): how the users were split. */
  users: number;
  /** Locust's worker state: ready, spawning, running, stopped, missing; 'lost' once gone mid-run. */
  state: string;
  joinedAt: string;
  lostAt?: string;
}

/** Something that happened to a run besides its status changes (a worker lost mid-run). */
export interface RunEvent {
  at: string;
  type: 'worker-lost';
  message: string;
  workerId?: string;
}

/** A run carries its test's scope (copied when it starts), so runs filter by scope without the test. */
export interface Run extends Scope {
  id: string;
  loadTestId: string;
  scriptRevisionId: string;
  name?: string;
  status: RunStatus;
  statusHistory: StatusChange[];
  targetUsers: number;
  spawnRate: number;
  durationSeconds: number;
  targetUrl: string;
  /** Base URL of the Locust web endpoint driving this run, once known. */
  locustEndpoint?: string;
  /** Set when the run uses an already running Locust from the config's `locustClusters` instead of spawning one. */
  locustClusterId?: string;
  /** Set to 'harness' when the run's cluster runs the replaced system's plugin; absent: loadctl's. */
  plugin?: LocustPlugin;
  /** Hash of the secret the plugin presents on every callback (run-secrets.ts). Never returned by the public API. */
  callbackTokenHash?: string;
  /** The callback secret in clear: only in runs stored by loadctl before tokens were hashed (still accepted). */
  callbackToken?: string;
  /**
   * The secret a spawned Locust was started with (LOADCTL_LAUNCH_TOKEN), in clear: only in runs stored
   * by loadctl before launch tokens were derived from the run id (still used for such a run). Never returned.
   */
  launchToken?: string;
  /** The control plane that launched the run and receives its callbacks (e.g. http://127.0.0.1:8080). */
  controlPlaneUrl?: string;
  /** The process that owns the run; absent on runs written before owners were recorded. */
  owner?: RunOwner;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  autoStopped: boolean;
  /** What drove the users when a load shape did (stages, or the script's LoadTestShape); absent: targetUsers did. */
  shape?: RunShape;
  lastMetrics?: MetricsSnapshot;
  finalMetrics?: MetricsSnapshot;
  error?: string;
  /** What the run is judged by, as given when it was started; absent: none. */
  thresholds?: Threshold[];
  /** Each threshold judged on the run's result, stored when the run ended with metrics. */
  thresholdVerdicts?: ThresholdVerdict[];
  /** 'failed' when any verdict failed; kept apart from `status` (a Finished run can fail its thresholds). */
  verdict?: RunVerdict;
  /** Who asked for the run, as the start body said (the replaced system's createdBy / triggeredBy). */
  createdBy?: string;
  triggeredBy?: string;
  /** Free-form, as given in the start body. */
  metadata?: Record<string, unknown>;
  /**
   * Python packages the script needs besides Locust, installed before Locust starts (on the
   * control plane's machine and each worker's); absent: none, and in runs stored before they existed.
   */
  requirements?: RunRequirements;
  /** Extra command-line arguments the run's Locust was started with (`loadctl run … -- --tags read`); absent: none. */
  locustArgs?: string[];
  /** Local Locust worker processes started with a master (Locust's distributed mode); absent: one process. */
  workers?: number;
  /** Workers from other machines (`loadctl worker`) the master waits for before the load starts. */
  expectRemoteWorkers?: number;
  /** Where the master listens for workers ("HOST:PORT"); absent: a free loopback port. */
  masterBind?: string;
  /** The workers of a distributed run, as its master saw them; absent on single-process runs and older runs. */
  workerNodes?: RunWorker[];
  /** Worker losses and the like, in order; absent: none (or a run stored before events existed). */
  events?: RunEvent[];
}
