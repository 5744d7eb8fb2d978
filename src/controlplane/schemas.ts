// Request schemas of the public API and the plugin callbacks. Fastify validates every body,
// param and query string against these before a handler runs. Response schemas are in
// response-schemas.ts.

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
/** The plugin caps what it sends to these (locust/loadctl_plugin.py MAX_EXCEPTIONS, MAX_EXCEPTION_TEXT). */
export const MAX_EXCEPTION_ROWS = 1000;
export const MAX_EXCEPTION_TEXT = 20_000;

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
    defaultUsers: { type: 'integer', minimum: 1, maximum: MAX_USERS },
    defaultSpawnRate: { type: 'number', exclusiveMinimum: 0, maximum: MAX_USERS },
    defaultDurationSec: { type: 'integer', minimum: 1, maximum: MAX_DURATION_SECONDS },
    maxDurationSec: { type: 'integer', minimum: 1, maximum: MAX_DURATION_SECONDS },
    accountId: shortText,
    orgId: shortText,
    projectId: shortText,
    envId: shortText,
    createdBy: shortText,
    metadata: { type: 'object', maxProperties: 100 },
  },
} as const;

const { scriptContent: _script, ...editableFields } = createLoadTestBody.properties;
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
    createdBy: removable(shortText),
    metadata: removable(editableFields.metadata),
  },
} as const;

export const updateScriptBody = {
  type: 'object',
  additionalProperties: false,
  required: ['scriptContent'],
  properties: { scriptContent: createLoadTestBody.properties.scriptContent },
} as const;

export const listLoadTestsQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    name: { type: 'string', maxLength: 200 },
    tag: { type: 'string', maxLength: 100 },
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
    targetUrl: httpUrl,
    revisionId: id,
    locustClusterId: shortText,
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
    loadTestId: id,
    since: dateTime,
    until: dateTime,
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
    method: { type: 'string', maxLength: 20 },
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
        properties: { method: { type: 'string', default: '' }, name: { type: 'string', default: '' }, error: { type: 'string', maxLength: 10_000 }, occurrences: { type: 'integer', minimum: 0 } },
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
          message: { type: 'string', maxLength: MAX_EXCEPTION_TEXT },
          traceback: { type: 'string', maxLength: MAX_EXCEPTION_TEXT, default: '' },
          count: { type: 'integer', minimum: 0 },
          where: { type: 'string', maxLength: 2000, default: '' },
        },
      },
    },
    // Optional: older plugins (and the replaced system's) do not send them.
    intervalStart: { type: 'string', format: 'date-time' },
    intervalEnd: { type: 'string', format: 'date-time' },
    peakUsers: { type: 'integer', minimum: 0 },
  },
} as const;
