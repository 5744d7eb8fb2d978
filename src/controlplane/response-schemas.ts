// Response schemas. They document the API and drive Fastify's serializer, which DROPS every
// property a schema does not name. So each entity names all of its fields, and objects
// whose keys are data (requestStats, histogram, metadata) say what their values are with
// additionalProperties. test/controlplane/response-fields.test.ts reads fully populated
// entities back through the API to catch a field missing here.
import { THRESHOLD_METRICS, THRESHOLD_OPERATORS } from '../domain/thresholds.js';
import { RUN_STATUSES } from '../domain/types.js';

const text = { type: 'string' } as const;
const integer = { type: 'integer' } as const;
const number = { type: 'number' } as const;
const boolean = { type: 'boolean' } as const;
const timestamp = { type: 'string', format: 'date-time' } as const;
const status = { type: 'string', enum: [...RUN_STATUSES] } as const;
const listOf = <T extends object>(items: T) => ({ type: 'array', items }) as const;

export const errorResponse = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: { code: text, message: text, details: { type: 'object', additionalProperties: true } },
      required: ['code', 'message'],
    },
  },
  required: ['error'],
} as const;

/** Nothing in the body (204). */
export const noContent = { type: 'null', description: 'No content.' } as const;

const endpointStats = {
  type: 'object',
  properties: {
    method: text,
    name: text,
    numRequests: integer,
    numFailures: integer,
    avgResponseTime: number,
    minResponseTime: number,
    maxResponseTime: number,
    medianResponseTime: { type: 'number', description: 'Locust’s Median column (kept for older clients); p50ResponseTime is the percentile loadctl shows.' },
    p50ResponseTime: number,
    p95ResponseTime: number,
    p99ResponseTime: number,
    requestsPerSec: number,
  },
  required: ['method', 'name', 'numRequests', 'numFailures'],
} as const;

const exceptionEntry = {
  type: 'object',
  properties: {
    message: text,
    traceback: text,
    count: integer,
    where: { type: 'string', description: 'The script’s innermost frame, e.g. "locustfile.py:14 in checkout".' },
  },
  required: ['message', 'traceback', 'count', 'where'],
} as const;

const errorEntry = {
  type: 'object',
  properties: { method: text, name: text, error: text, occurrences: integer },
  required: ['error', 'occurrences'],
} as const;

export const metricsSnapshot = {
  type: 'object',
  properties: {
    seq: integer,
    timestamp,
    totalRps: number,
    totalRequests: integer,
    totalFailures: integer,
    currentUsers: integer,
    errorRate: number,
    avgResponseMs: number,
    p50ResponseMs: number,
    p95ResponseMs: number,
    p99ResponseMs: number,
    requestStats: { type: 'object', description: 'Keyed "METHOD name".', additionalProperties: endpointStats },
    errors: listOf(errorEntry),
    histogram: { type: 'object', description: 'Response time bucket (ms) → requests in this push’s interval.', additionalProperties: integer },
    minResponseMs: number,
    maxResponseMs: number,
    totalExceptions: { type: 'integer', description: 'Exceptions raised in tasks so far (not failed requests).' },
    exceptions: listOf(exceptionEntry),
    intervalStart: { ...timestamp, description: 'Start of the interval this push covers (absent in pushes stored by older versions).' },
    intervalEnd: { ...timestamp, description: 'End of the interval this push covers; totals are as of this moment.' },
    peakUsers: { ...integer, description: 'Most users running so far in the test.' },
    truncated: { type: 'array', items: { type: 'string' }, description: 'What was cut to make the push storable (over-long texts); absent when nothing was.' },
    targetUsers: { ...integer, description: 'The users planned at this push: a load shape’s current target, else the run’s (absent in pushes of older versions).' },
    shapeStage: {
      type: 'object',
      description: 'The load shape’s stage at this push (1-based), when the shape has stages.',
      properties: { index: integer, count: integer },
      required: ['index', 'count'],
    },
  },
  required: ['seq', 'timestamp', 'totalRequests', 'totalFailures'],
} as const;

const statusChange = {
  type: 'object',
  properties: { from: { type: ['string', 'null'], enum: [...RUN_STATUSES, null] }, to: status, at: timestamp, reason: text },
  required: ['from', 'to', 'at'],
} as const;

const thresholdOperator = { type: 'string', enum: [...THRESHOLD_OPERATORS] } as const;
const thresholdMetric = { type: 'string', enum: Object.keys(THRESHOLD_METRICS) } as const;

const threshold = {
  type: 'object',
  properties: {
    text: text,
    metric: thresholdMetric,
    endpoint: { type: 'string', description: '"METHOD name"; absent for the run’s totals.' },
    operator: thresholdOperator,
    limit: { type: 'number', description: 'In the metric’s base unit: ms, a 0..1 fraction for error_rate, a count, or requests per second.' },
    abortOnFail: boolean,
    graceSeconds: number,
    isDefault: { type: 'boolean', description: 'Added by loadctl’s default verdict, not by the caller.' },
  },
  required: ['text', 'metric', 'operator', 'limit', 'abortOnFail'],
} as const;

const thresholdVerdict = {
  type: 'object',
  properties: {
    threshold: text,
    metric: thresholdMetric,
    endpoint: text,
    operator: thresholdOperator,
    limit: number,
    observed: { type: ['number', 'null'], description: 'null when there was nothing to measure.' },
    passed: boolean,
    reason: text,
    isDefault: boolean,
  },
  required: ['threshold', 'metric', 'operator', 'limit', 'observed', 'passed'],
} as const;

const runOwner = {
  type: 'object',
  description: 'The process that launched the run; only it settles the run while it lives.',
  properties: { host: text, pid: integer, startedAt: timestamp, heartbeatAt: timestamp },
  required: ['host', 'pid', 'startedAt', 'heartbeatAt'],
} as const;

const runShape = {
  type: 'object',
  description: 'The load shape that drove the users: loadctl’s stages, or the script’s LoadTestShape; absent: targetUsers at spawnRate.',
  properties: {
    kind: { type: 'string', enum: ['stages', 'script'] },
    name: text,
    stages: listOf({ type: 'object', properties: { durationSeconds: number, users: integer }, required: ['durationSeconds', 'users'] }),
    plannedSeconds: { ...number, description: 'How long the shape plans to run (the stages’ sum); absent: the script’s shape decides, durationSeconds bounds it.' },
  },
  required: ['kind', 'name'],
} as const;

const runWorker = {
  type: 'object',
  description: 'A Locust worker of a distributed run, as its master saw it.',
  properties: {
    id: { ...text, description: 'Locust’s client id: <hostname>_<uuid>.' },
    host: text,
    users: { ...integer, description: 'The most users it ran in this run: how the users were split.' },
    state: { ...text, description: 'Locust’s worker state (ready, spawning, running, stopped, missing), or lost once gone mid-run.' },
    joinedAt: timestamp,
    lostAt: timestamp,
  },
  required: ['id', 'host', 'users', 'state', 'joinedAt'],
} as const;

const runEvent = {
  type: 'object',
  properties: { at: timestamp, type: { type: 'string', enum: ['worker-lost'] }, message: text, workerId: text },
  required: ['at', 'type', 'message'],
} as const;

export const runView = {
  type: 'object',
  properties: {
    id: text,
    loadTestId: text,
    scriptRevisionId: text,
    name: text,
    status,
    statusHistory: listOf(statusChange),
    targetUsers: integer,
    spawnRate: number,
    durationSeconds: integer,
    targetUrl: text,
    locustEndpoint: text,
    locustClusterId: text,
    plugin: { type: 'string', enum: ['loadctl', 'harness'], description: 'harness: the run’s cluster runs the replaced system’s plugin (static callback token, normalised callbacks); absent: loadctl’s.' },
    controlPlaneUrl: text,
    owner: runOwner,
    createdAt: timestamp,
    startedAt: timestamp,
    finishedAt: timestamp,
    autoStopped: boolean,
    shape: runShape,
    lastMetrics: metricsSnapshot,
    finalMetrics: metricsSnapshot,
    error: text,
    accountId: text,
    orgId: text,
    projectId: text,
    envId: text,
    tenantId: text,
    createdBy: text,
    triggeredBy: text,
    metadata: { type: 'object', additionalProperties: true },
    thresholds: listOf(threshold),
    thresholdVerdicts: { ...listOf(thresholdVerdict), description: 'Each threshold judged on the run’s result; set when the run ended with metrics.' },
    verdict: { type: 'string', enum: ['passed', 'failed'], description: 'failed when any threshold failed; apart from status.' },
    requirements: {
      type: 'object',
      description: 'The Python packages installed for the run besides Locust (normalised requirements text and its sha256); a worker installs the same from it. Absent: none.',
      properties: { text, sha256: text },
      required: ['text', 'sha256'],
    },
    locustArgs: { ...listOf(text), description: 'Extra command-line arguments the run’s Locust was started with (`loadctl run … -- --tags read`).' },
    workers: { ...integer, description: 'Local Locust worker processes started with a master (distributed mode); absent: one Locust process.' },
    expectRemoteWorkers: { ...integer, description: 'Workers from other machines (loadctl worker) the master waited for.' },
    masterBind: { ...text, description: 'Where the master listened for workers (HOST:PORT).' },
    workerNodes: { ...listOf(runWorker), description: 'The workers of a distributed run, as its master saw them.' },
    events: { ...listOf(runEvent), description: 'What happened besides status changes, e.g. a worker lost mid-run.' },
  },
  required: ['id', 'loadTestId', 'scriptRevisionId', 'status', 'statusHistory', 'targetUsers', 'spawnRate', 'durationSeconds', 'targetUrl', 'createdAt', 'autoStopped'],
} as const;

const recentRun = {
  type: 'object',
  properties: {
    runId: text,
    status,
    createdAt: timestamp,
    finishedAt: timestamp,
    targetUsers: integer,
    durationSeconds: integer,
    totalRequests: integer,
    totalFailures: integer,
    errorRate: number,
    p95ResponseMs: number,
  },
  required: ['runId', 'status', 'createdAt'],
} as const;

export const loadTestView = {
  type: 'object',
  properties: {
    id: text,
    name: text,
    description: text,
    tags: listOf(text),
    targetUrl: text,
    defaultUsers: integer,
    defaultSpawnRate: number,
    defaultDurationSec: integer,
    maxDurationSec: integer,
    accountId: text,
    orgId: text,
    projectId: text,
    envId: text,
    tenantId: text,
    createdBy: text,
    updatedBy: text,
    scenarioId: text,
    locustClusterId: text,
    metadata: { type: 'object', additionalProperties: true },
    latestRevisionId: text,
    latestRevision: integer,
    recentRuns: { ...listOf(recentRun), description: 'The 10 runs of this test that ended last (Finished, Stopped or Failed), newest end first; read from the runs at every request.' },
    createdAt: timestamp,
    updatedAt: timestamp,
  },
  required: ['id', 'name', 'description', 'tags', 'targetUrl', 'defaultUsers', 'defaultSpawnRate', 'defaultDurationSec', 'latestRevisionId', 'latestRevision', 'recentRuns', 'createdAt', 'updatedAt'],
} as const;

const bundleFile = {
  type: 'object',
  properties: { path: text, sizeBytes: integer, sha256: text },
  required: ['path', 'sizeBytes', 'sha256'],
} as const;

export const revisionSummary = {
  type: 'object',
  properties: {
    id: text,
    loadTestId: text,
    revision: integer,
    sha256: { type: 'string', description: 'Of the script; of a bundle, over its sorted (path, sha256 of content) pairs.' },
    sizeBytes: { type: 'integer', description: 'Of the script; of a bundle, of all its files.' },
    createdAt: timestamp,
    description: text,
    createdBy: text,
    locustfile: { type: 'string', description: 'A bundle’s locustfile, as a path inside it; absent: a single-file revision.' },
    files: { ...listOf(bundleFile), description: 'A bundle’s files, sorted by path.' },
  },
  required: ['id', 'loadTestId', 'revision', 'sha256', 'sizeBytes', 'createdAt'],
} as const;

export const revisionView = {
  type: 'object',
  properties: {
    ...revisionSummary.properties,
    scriptContent: { type: 'string', description: 'Base64 of the script as uploaded (a bundle’s locustfile).' },
    injectedScriptContent: { type: 'string', description: 'Base64 of the script Locust runs: the upload with `import loadctl_plugin` added.' },
    bundle: { type: 'string', description: 'A bundle’s files as base64 of a gzip’d tar (the locustfile as uploaded, without the plugin import); absent: a single-file revision.' },
  },
  required: [...revisionSummary.required, 'scriptContent', 'injectedScriptContent'],
} as const;

/** A page of a list: the items, how many match in all, and the page asked for. */
export function pageOf<T extends object>(items: T) {
  return {
    type: 'object',
    properties: { items: listOf(items), total: integer, limit: integer, offset: integer },
    required: ['items', 'total'],
  } as const;
}

const responseTimes = { p50ResponseMs: number, p95ResponseMs: number, p99ResponseMs: number } as const;

const endpointResult = {
  type: 'object',
  properties: {
    method: text,
    name: text,
    requests: integer,
    failures: integer,
    errorRate: number,
    rps: number,
    avgResponseMs: number,
    minResponseMs: number,
    maxResponseMs: number,
    ...responseTimes,
  },
  required: ['method', 'name', 'requests', 'failures', 'errorRate', 'rps'],
} as const;

export const runResults = {
  type: 'object',
  properties: {
    runId: text,
    loadTestId: text,
    status,
    startedAt: timestamp,
    finishedAt: timestamp,
    durationSeconds: { type: ['number', 'null'], description: 'Seconds it actually ran (so far, while running); null when it never started.' },
    plannedDurationSeconds: integer,
    source: { type: 'string', enum: ['final', 'last', 'none'], description: 'The push the numbers come from.' },
    totals: {
      type: 'object',
      properties: { requests: integer, failures: integer, errorRate: number, rps: number, avgResponseMs: number, ...responseTimes, exceptions: integer },
      required: ['requests', 'failures', 'errorRate', 'rps', 'avgResponseMs', 'p50ResponseMs', 'p95ResponseMs', 'p99ResponseMs', 'exceptions'],
    },
    endpoints: listOf(endpointResult),
    errors: listOf(errorEntry),
    exceptions: { ...listOf(exceptionEntry), description: 'Exceptions raised in tasks, most frequent first.' },
  },
  required: ['runId', 'loadTestId', 'status', 'durationSeconds', 'plannedDurationSeconds', 'source', 'totals', 'endpoints', 'errors', 'exceptions'],
} as const;

const windowBounds = {
  from: { type: ['string', 'null'], format: 'date-time', description: 'Lower bound (exclusive) as asked; null: from the run’s start.' },
  to: { type: ['string', 'null'], format: 'date-time', description: 'Upper bound (inclusive) as asked; null: up to the last push.' },
} as const;

const windowStats = { requests: integer, failures: integer, errorRate: number, rps: number, ...responseTimes } as const;

export const timeseriesResponse = {
  type: 'object',
  properties: {
    runId: text,
    ...windowBounds,
    stepSeconds: { type: ['integer', 'null'], description: 'null: one point per push.' },
    points: listOf({
      type: 'object',
      properties: {
        timestamp: { ...timestamp, description: 'End of the bucket.' },
        ...windowStats,
        users: integer,
        plannedUsers: { ...integer, description: 'The users planned then: a load shape’s target, else the run’s (absent for pushes of older versions).' },
      },
      required: ['timestamp', 'requests', 'failures', 'errorRate', 'rps', 'users', 'p50ResponseMs', 'p95ResponseMs', 'p99ResponseMs'],
    }),
  },
  required: ['runId', 'from', 'to', 'stepSeconds', 'points'],
} as const;

export const aggregateResponse = {
  type: 'object',
  properties: {
    runId: text,
    ...windowBounds,
    pushes: integer,
    ...windowStats,
    histogramCount: { type: 'integer', description: 'Requests in the merged histograms; below `requests` when a push was lost.' },
  },
  required: ['runId', 'from', 'to', 'pushes', 'requests', 'failures', 'errorRate', 'rps', 'p50ResponseMs', 'p95ResponseMs', 'p99ResponseMs', 'histogramCount'],
} as const;

export const callbackAnswer = {
  type: 'object',
  properties: { success: boolean, status, duplicate: boolean },
  required: ['success', 'status'],
} as const;

export const healthAnswer = {
  type: 'object',
  properties: {
    status: { type: 'string', enum: ['ok', 'degraded'] },
    store: { type: 'object', properties: { kind: text, detail: text } },
  },
  required: ['status'],
} as const;
