// Request schemas of the public API and the plugin callbacks. Fastify validates every body,
// param and query string against these before a handler runs. Response schemas are in
// response-schemas.ts.
import { MAX_STAGES } from '../domain/load-shape.js';

import { BUNDLE_LIMITS } from '../domain/bundle.js';

const id = { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' } as const;
const httpUrl = { type: 'string', minLength: 8, maxLength: 2048, pattern: '^https?://[^\\s]+$' } as const;
const shortText = { type: 'string', minLength: 1, maxLength: 200 } as const;
const nonNegative = { type: 'number', minimum: 0 } as const;
const dateTime = { type: 'string', format: 'date-time' } as const;
const thresholdText = { type: 'string', minLength: 1, maxLength: 2200 } as const;
const statusList = {
  type: 'string',
  pattern: '^(Pending|Starting|Running|Stopping|Finished|Stopped|Failed)(,(Pending|Starting|Running|Stopping|Finished|Stopped|Failed))*$',
} as const;

export const MAX_USERS = 100_000;
export const MAX_THRESHOLDS = 100;
export const MAX_DURATION_SECONDS = 7 * 24 * 3600;
/** The plugin caps its exception rows to this (loadctl_plugin.py MAX_EXCEPTIONS); longer texts are cut on arrival (domain/callback-texts.ts). */
export const MAX_EXCEPTION_ROWS = 1000;

export { errorResponse } from './response-schemas.js';

export const idParams = { type: 'object', properties: { id }, required: ['id'] } as const;

export const MAX_REVISION = 1_000_000;

/** A revision by its number (1, 2, …) or, as the replaced system's API addressed it, by its id (rev_…). */
export const revisionParams = {
  type: 'object',
  properties: {
    id,
    revision: { type: 'string', maxLength: 64, pattern: '^([0-9]{1,7}|rev_[A-Za-z0-9_-]+)$', description: `A revision number (1 to ${MAX_REVISION}) or a revision id (rev_…).` },
  },
  required: ['id', 'revision'],
} as const;

/** A script may come with the files beside it: base64 of a .tar.gz, and the script's path inside it. */
const bundleFields = {
  bundle: {
    type: 'string',
    // No maxLength: the route's body limit bounds it, and the service refuses a big archive with 413 LOADCTL_BUNDLE_TOO_LARGE.
    minLength: 1,
    description: `Base64 of a .tar.gz (or .tar) of the files the script needs beside it (helpers, data files); at most ${BUNDLE_LIMITS.maxFiles} regular files, ${BUNDLE_LIMITS.maxBytes / 1024 / 1024} MiB unpacked, ${BUNDLE_LIMITS.maxArchiveBytes / 1024 / 1024} MiB compressed. Runs start in its unpacked folder, which is also on PYTHONPATH.`,
  },
  locustfile: {
    type: 'string',
    minLength: 1,
    maxLength: BUNDLE_LIMITS.maxPathBytes,
    description: 'Where scriptContent goes in the bundle (default locustfile.py); added when the bundle lacks it, refused when the bundle’s file differs. Only with bundle.',
  },
} as const;

export const createLoadTestBody = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'targetUrl', 'scriptContent'],
  properties: {
    name: shortText,
    description: { type: 'string', maxLength: 2000 },
    tags: { type: 'array', maxItems: 50, items: { type: 'string', minLength: 1, maxLength: 100 } },
    targetUrl: httpUrl,
    scriptContent: { type: 'string', minLength: 1, maxLength: 1_500_000 },
    ...bundleFields,
    defaultUsers: { type: 'integer', minimum: 1, maximum: MAX_USERS },
    defaultSpawnRate: { type: 'number', exclusiveMinimum: 0, maximum: MAX_USERS },
    defaultDurationSec: { type: 'integer', minimum: 1, maximum: MAX_DURATION_SECONDS },
    maxDurationSec: { type: 'integer', minimum: 1, maximum: MAX_DURATION_SECONDS },
    // Scope (indexed fields; a run goes to the configured cluster of the same scope).
    accountId: shortText,
    orgId: shortText,
    projectId: shortText,
    envId: shortText,
    tenantId: shortText,
    // Kept and returned as given (the replaced system's fields).
    createdBy: shortText,
    updatedBy: shortText,
    scenarioId: shortText,
    locustClusterId: { ...shortText, description: 'The configured Locust cluster this test’s runs use unless a run names another.' },
    metadata: { type: 'object', maxProperties: 100 },
  },
} as const;

const { scriptContent: _script, bundle: _bundle, locustfile: _locustfile, ...editableFields } = createLoadTestBody.properties;
const removable = <T extends { type: string }>(schema: T) => ({ ...schema, type: [schema.type, 'null'] }) as const;

/** PUT /v1/load-tests/{id}: any field of the create body but the script; null removes an optional one. */
export const updateLoadTestBody = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    ...editableFields,
    maxDurationSec: removable(editableFields.maxDurationSec),
    accountId: removable(shortText),
    orgId: removable(shortText),
    projectId: removable(shortText),
    envId: removable(shortText),
    tenantId: removable(shortText),
    createdBy: removable(shortText),
    updatedBy: removable(shortText),
    scenarioId: removable(shortText),
    locustClusterId: removable(shortText),
    metadata: removable(editableFields.metadata),
  },
} as const;

export const updateScriptBody = {
  type: 'object',
  additionalProperties: false,
  required: ['scriptContent'],
  properties: {
    scriptContent: createLoadTestBody.properties.scriptContent,
    ...bundleFields,
    description: { type: 'string', maxLength: 2000, description: 'What changed; kept with the revision.' },
    updatedBy: { ...shortText, description: 'Who uploaded it; kept as the revision’s createdBy.' },
  },
} as const;

const scopeQuery = {
  accountId: shortText,
  orgId: shortText,
  projectId: shortText,
  envId: shortText,
  tenantId: shortText,
} as const;
const sortOrder = { type: 'string', enum: ['asc', 'desc'], default: 'desc' } as const;

export const listLoadTestsQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    name: { type: 'string', maxLength: 200 },
    tag: { type: 'string', maxLength: 100 },
    tags: { type: 'array', maxItems: 50, items: { type: 'string', minLength: 1, maxLength: 100 }, description: 'Tests with any of these tags (repeat the parameter).' },
    ...scopeQuery,
    sortBy: { type: 'string', enum: ['createdAt', 'updatedAt'], default: 'createdAt' },
    sortOrder,
    limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
    offset: { type: 'integer', minimum: 0, maximum: 1_000_000, default: 0 },
  },
} as const;

export const startRunBody = {
  type: 'object',
  additionalProperties: false,
  properties: {
    name: shortText,
    targetUsers: { type: 'integer', minimum: 1, maximum: MAX_USERS },
    spawnRate: { type: 'number', exclusiveMinimum: 0, maximum: MAX_USERS },
    durationSeconds: { type: 'integer', minimum: 1, maximum: MAX_DURATION_SECONDS },
    stages: {
      type: 'array',
      minItems: 1,
      maxItems: MAX_STAGES,
      description: 'k6-like stages run as a load shape loadctl provides: each ramps linearly to its users over its duration. durationSeconds is then an upper bound (default: their sum).',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['durationSeconds', 'users'],
        properties: {
          durationSeconds: { type: 'number', exclusiveMinimum: 0, maximum: MAX_DURATION_SECONDS },
          users: { type: 'integer', minimum: 0, maximum: MAX_USERS },
        },
      },
    },
    targetUrl: httpUrl,
    revisionId: id,
    workers: { type: 'integer', minimum: 0, maximum: 256, description: 'Start a Locust master and this many local worker processes (Locust’s distributed mode); 0 or absent: one Locust process (unless expectRemoteWorkers).' },
    expectRemoteWorkers: { type: 'integer', minimum: 0, maximum: 1000, description: 'Wait for this many workers from other machines (loadctl worker --master) before the load starts.' },
    masterBind: { type: 'string', minLength: 1, maxLength: 300, description: 'Where the master listens for workers, HOST:PORT (default: a free port on 127.0.0.1, or on 0.0.0.0 when remote workers are expected).' },
    locustClusterId: { ...shortText, description: 'Use this configured Locust cluster. Absent: the test’s locustClusterId, else the cluster whose scope matches the test’s, else a spawned Locust.' },
    loadTestId: { ...id, description: 'The test of the path, as the replaced system’s clients send it; refused when it differs.' },
    createdBy: shortText,
    triggeredBy: { ...shortText, description: 'Who or what started the run (a script, a pipeline); kept with it.' },
    metadata: { type: 'object', maxProperties: 100 },
    requirements: {
      type: 'string',
      maxLength: 64 * 1024,
      description: 'Python packages the script needs besides Locust, as the text of a requirements file (pip syntax; no -r/-c/-e lines). Installed on the control plane’s machine (and each worker’s) before Locust starts, cached per requirements; a requirement that would change Locust fails the run.',
    },
    defaultThresholds: {
      type: 'boolean',
      description: 'Judge the run by loadctl’s default thresholds too (at least one request, error rate below 1%, no task exception; with thresholds of its own: not every request failed). Default: the server’s `defaultThresholds` setting (true).',
    },
    thresholds: {
      type: 'array',
      maxItems: MAX_THRESHOLDS,
      description: 'Pass/fail rules judged when the run ends and stored with it ("p95<500ms", "error_rate<1%", "GET /api/products: p95<300ms"); an object adds abortOnFail.',
      items: {
        anyOf: [
          thresholdText,
          {
            type: 'object',
            additionalProperties: false,
            required: ['threshold'],
            properties: {
              threshold: thresholdText,
              abortOnFail: { type: 'boolean', description: 'Stop the run as soon as this fails mid-run (after graceSeconds).' },
              graceSeconds: { type: 'number', minimum: 0, maximum: MAX_DURATION_SECONDS, description: 'Seconds from the start during which a failure does not stop the run (default 0).' },
            },
          },
        ],
      },
    },
  },
} as const;

export const listRunsQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    status: statusList,
    verdict: { type: 'string', enum: ['passed', 'failed', 'none'], description: 'The run’s verdict; none: not judged (yet).' },
    loadTestId: id,
    since: dateTime,
    until: dateTime,
    ...scopeQuery,
    sortBy: { type: 'string', enum: ['createdAt'], default: 'createdAt', description: 'Runs sort by creation time only.' },
    sortOrder,
    limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
    offset: { type: 'integer', minimum: 0, maximum: 1_000_000, default: 0 },
  },
} as const;

/** A window of a run's metrics; both bounds optional (the run's start, its last push). */
export const metricsWindowQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { from: dateTime, to: dateTime },
} as const;

export const timeseriesQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { ...metricsWindowQuery.properties, step: { type: 'integer', minimum: 1, maximum: MAX_DURATION_SECONDS } },
} as const;

const endpointStats = {
  type: 'object',
  required: ['method', 'name', 'numRequests', 'numFailures'],
  properties: {
    // custom clients name their own methods (SUBSCRIBE, a gRPC call): stored up to 200 characters
    method: { type: 'string', maxLength: 200 },
    name: { type: 'string', maxLength: 2000 },
    numRequests: { type: 'integer', minimum: 0 },
    numFailures: { type: 'integer', minimum: 0 },
    avgResponseTime: { ...nonNegative, default: 0 },
    minResponseTime: { ...nonNegative, default: 0 },
    maxResponseTime: { ...nonNegative, default: 0 },
    medianResponseTime: { ...nonNegative, default: 0 },
    p50ResponseTime: nonNegative,
    p95ResponseTime: { ...nonNegative, default: 0 },
    p99ResponseTime: { ...nonNegative, default: 0 },
    requestsPerSec: { ...nonNegative, default: 0 },
  },
} as const;

export const callbackBody = {
  type: 'object',
  required: ['runId', 'seq', 'timestamp', 'totalRequests', 'totalFailures'],
  properties: {
    runId: id,
    seq: { type: 'integer', minimum: 0 },
    timestamp: { type: 'string', format: 'date-time' },
    autoStopped: { type: 'boolean' },
    totalRps: { ...nonNegative, default: 0 },
    totalRequests: { type: 'integer', minimum: 0 },
    totalFailures: { type: 'integer', minimum: 0 },
    currentUsers: { type: 'integer', minimum: 0, default: 0 },
    errorRate: { type: 'number', minimum: 0, maximum: 1, default: 0 },
    avgResponseMs: { ...nonNegative, default: 0 },
    p50ResponseMs: { ...nonNegative, default: 0 },
    p95ResponseMs: { ...nonNegative, default: 0 },
    p99ResponseMs: { ...nonNegative, default: 0 },
    requestStats: { type: 'object', maxProperties: 10_000, additionalProperties: endpointStats, default: {} },
    errors: {
      type: 'array',
      maxItems: 10_000,
      default: [],
      items: {
        type: 'object',
        required: ['error', 'occurrences'],
        // a long error text (a whole HTML page) is cut by the control plane, not refused (routes/_callback-texts.ts)
        properties: { method: { type: 'string', default: '' }, name: { type: 'string', default: '' }, error: { type: 'string' }, occurrences: { type: 'integer', minimum: 0 } },
      },
    },
    histogram: { type: 'object', maxProperties: 100_000, propertyNames: { pattern: '^[0-9]+$' }, additionalProperties: { type: 'integer', minimum: 0 }, default: {} },
    minResponseMs: nonNegative,
    maxResponseMs: nonNegative,
    totalExceptions: { type: 'integer', minimum: 0 },
    exceptions: {
      type: 'array',
      maxItems: MAX_EXCEPTION_ROWS,
      items: {
        type: 'object',
        required: ['message', 'count'],
        properties: {
          message: { type: 'string' },
          traceback: { type: 'string', default: '' },
          count: { type: 'integer', minimum: 0 },
          where: { type: 'string', default: '' },
        },
      },
    },
    // Optional: older plugins (and the replaced system's) do not send them.
    intervalStart: { type: 'string', format: 'date-time' },
    intervalEnd: { type: 'string', format: 'date-time' },
    peakUsers: { type: 'integer', minimum: 0 },
    // The last push the plugin saw acknowledged; its histogram counts from there (absent in older plugins).
    histogramBaseSeq: { type: 'integer', minimum: 0 },
    // What the plugin (or the control plane) cut to make the push storable.
    truncated: { type: 'array', maxItems: 100, items: { type: 'string' } },
    // Load shapes (absent in older plugins): the users planned now, the shape and its stage, why it stopped.
    targetUsers: { type: 'integer', minimum: 0 },
    shape: { type: 'object', required: ['kind', 'name'], properties: { kind: { type: 'string', enum: ['script', 'stages'] }, name: { type: 'string', maxLength: 200 } } },
    shapeStage: { type: 'object', required: ['index', 'count'], properties: { index: { type: 'integer', minimum: 1 }, count: { type: 'integer', minimum: 1 } } },
    stopReason: { type: 'string', enum: ['shape', 'duration'] },
  },
} as const;
