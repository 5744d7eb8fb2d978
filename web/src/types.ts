// What the API answers, as far as the console reads it (src/controlplane/response-schemas.ts).
export type RunStatus = 'Pending' | 'Starting' | 'Running' | 'Stopping' | 'Finished' | 'Stopped' | 'Failed';
export const RUN_STATUSES: RunStatus[] = ['Pending', 'Starting', 'Running', 'Stopping', 'Finished', 'Stopped', 'Failed'];
export const SCOPE_FIELDS = ['accountId', 'orgId', 'projectId', 'envId', 'tenantId'] as const;

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

export interface ErrorEntry {
  method: string;
  name: string;
  error: string;
  occurrences: number;
}

export interface ExceptionEntry {
  message: string;
  traceback: string;
  count: number;
  where: string;
}

export interface Verdict {
  threshold: string;
  metric: string;
  endpoint?: string;
  limit: number;
  observed: number | null;
  passed: boolean;
  reason?: string;
  isDefault?: boolean;
}

export interface Run {
  id: string;
  loadTestId: string;
  name?: string;
  status: RunStatus;
  statusHistory: Array<{ from: RunStatus | null; to: RunStatus; at: string; reason?: string }>;
  targetUsers: number;
  spawnRate: number;
  durationSeconds: number;
  targetUrl: string;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  autoStopped: boolean;
  lastMetrics?: { seq: number; currentUsers: number; timestamp: string };
  error?: string;
  thresholds?: Array<{ text: string; isDefault?: boolean; abortOnFail?: boolean }>;
  thresholdVerdicts?: Verdict[];
  verdict?: 'passed' | 'failed';
  [scope: string]: unknown;
}

export interface EndpointResult {
  method: string;
  name: string;
  requests: number;
  failures: number;
  errorRate: number;
  rps: number;
  avgResponseMs: number;
  minResponseMs: number;
  maxResponseMs: number;
  p50ResponseMs: number;
  p95ResponseMs: number;
  p99ResponseMs: number;
}

export interface RunResults {
  durationSeconds: number | null;
  source: 'final' | 'last' | 'none';
  totals: Omit<EndpointResult, 'method' | 'name' | 'minResponseMs' | 'maxResponseMs'> & { exceptions: number };
  endpoints: EndpointResult[];
  errors: ErrorEntry[];
  exceptions: ExceptionEntry[];
}

export interface TimePoint {
  timestamp: string;
  requests: number;
  failures: number;
  rps: number;
  users: number;
  p50ResponseMs: number;
  p95ResponseMs: number;
  p99ResponseMs: number;
}

export interface LoadTest {
  id: string;
  name: string;
  description?: string;
  targetUrl: string;
  tags?: string[];
  defaultUsers: number;
  defaultSpawnRate: number;
  defaultDurationSec: number;
  latestRevisionId: string;
  recentRuns?: Array<{ runId: string; status: RunStatus; createdAt: string }>;
  createdAt: string;
  [scope: string]: unknown;
}

export interface Revision {
  id: string;
  revision: number;
  sha256?: string;
  sizeBytes?: number;
  createdAt: string;
  scriptContent?: string;
}

export interface HistoryPoint {
  runId: string;
  name?: string;
  status: RunStatus;
  verdict?: 'passed' | 'failed';
  createdAt: string;
  requests: number;
  rps: number;
  p95ResponseMs: number;
}

export interface MetricDelta {
  baseline: number;
  current: number;
  absolute: number;
  percent: number | null;
  worse: boolean;
}

export interface EndpointComparison {
  endpoint?: string;
  presence: 'both' | 'baseline-only' | 'current-only' | 'neither';
  deltas?: Record<string, MetricDelta>;
}

export interface RunComparison {
  baselineRunId: string;
  currentRunId: string;
  tolerancePercent: number;
  total: EndpointComparison;
  endpoints: EndpointComparison[];
  regressed: boolean;
}
