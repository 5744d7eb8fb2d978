// Response schemas of the monitoring routes kept from the replaced system's API
// (routes/harness-monitoring.ts). Its field names and units, documented per field; the
// serializer drops anything not named here.
const text = { type: 'string' } as const;
const integer = { type: 'integer' } as const;
const number = { type: 'number' } as const;
const boolean = { type: 'boolean' } as const;
const epochMs = { type: 'integer', description: 'Epoch milliseconds.' } as const;
const maybeTime = { type: 'string', description: 'RFC 3339, or empty when not yet known.' } as const;
const goDuration = { type: 'string', description: 'Go duration text ("1m5s"); "Running..." before the run started.' } as const;
const object = <P extends Record<string, object>>(properties: P) => ({ type: 'object', properties, required: Object.keys(properties) }) as const;
const listOf = <T extends object>(items: T) => ({ type: 'array', items }) as const;

export const runSummaryResponse = {
  ...object({
    runId: text,
    runName: text,
    status: text,
    startedAt: maybeTime,
    finishedAt: maybeTime,
    duration: goDuration,
    totalRequests: integer,
    requestsPerSec: { type: 'number', description: 'Run RPS (docs/METRICS.md).' },
    errorRate: { type: 'number', description: 'Percent.' },
    avgResponseTime: { type: 'number', description: 'Seconds.' },
    targetUsers: integer,
    spawnRate: number,
    durationSeconds: integer,
    summary: {
      ...object({
        totalRequests: integer,
        totalFailures: integer,
        requestsPerSecond: number,
        errorRate: { type: 'number', description: 'Percent.' },
        avgResponseTime: { type: 'number', description: 'Milliseconds.' },
        p50ResponseTime: { type: 'number', description: 'Milliseconds.' },
        p95ResponseTime: { type: 'number', description: 'Milliseconds.' },
        p99ResponseTime: { type: 'number', description: 'Milliseconds.' },
      }),
      description: 'What run-vm-test-plugin.sh prints.',
    },
  }),
} as const;

export const runGraphResponse = object({
  runId: text,
  runName: text,
  status: text,
  startedAt: maybeTime,
  dataPoints: listOf(
    object({
      timestamp: epochMs,
      users: integer,
      requestsPerSec: number,
      errorsPerSec: number,
      avgResponseTime: { type: 'number', description: 'Seconds: the interval’s p50, as the replaced system computed it.' },
    }),
  ),
});

const aggregatedSummary = object({
  avgRps: number,
  maxRps: number,
  minRps: number,
  avgP50Latency: number,
  avgP95Latency: number,
  avgP99Latency: number,
  maxP95Latency: number,
  totalRequests: integer,
  totalFailures: integer,
  overallErrorRate: { type: 'number', description: 'Percent.' },
  dataPoints: { type: 'integer', description: 'Pushes stored for the run.' },
  duration: goDuration,
});

export const timelineResponse = object({
  testRunId: text,
  dataPoints: listOf(
    object({
      timestamp: { type: 'string', format: 'date-time' },
      totalRps: number,
      currentUsers: integer,
      p50ResponseMs: number,
      p95ResponseMs: number,
      p99ResponseMs: number,
      errorRate: { type: 'number', description: 'Percent.' },
    }),
  ),
  summary: aggregatedSummary,
});

export const requestLogResponse = object({
  runId: text,
  requests: listOf(
    object({
      timestamp: epochMs,
      requestType: { type: 'string', description: 'HTTP method.' },
      responseTime: { type: 'number', description: 'Milliseconds: the endpoint’s mean over the interval.' },
      url: { type: 'string', description: 'The endpoint’s name.' },
      responseLength: { type: 'integer', description: 'Always 0: Locust keeps no sizes per interval.' },
      success: { type: 'boolean', description: 'No failure of the endpoint in the interval.' },
    }),
  ),
  total: integer,
  limit: integer,
});

export const scatterResponse = object({
  testRunId: text,
  dataPoints: listOf(
    object({
      timestamp: { type: 'string', format: 'date-time' },
      endpoint: text,
      method: text,
      responseTimeMs: { type: 'number', description: 'The endpoint’s mean over the interval.' },
      success: boolean,
    }),
  ),
  endpoints: listOf({ type: 'string', description: '"METHOD name".' }),
});
