import type { FastifyInstance } from 'fastify';
import type { MetricsSnapshot, Run } from '../../domain/types.js';
import type { ControlPlaneDeps } from '../context.js';
import { requestLogView, runGraphView, runSummaryView, runTimelineView, scatterView } from '../harness-monitoring.js';
import { requestLogResponse, runGraphResponse, runSummaryResponse, scatterResponse, timelineResponse } from '../harness-response-schemas.js';
import { runNotFound } from '../load-test-service.js';
import { errorResponse } from '../response-schemas.js';
import { idParams, metricsWindowQuery } from '../schemas.js';
import { parseWindow } from './metrics.js';

type IdParams = { id: string };
type WindowQuery = { from?: string; to?: string };
const errors = { 400: errorResponse, 401: errorResponse, 404: errorResponse, 503: errorResponse };
const KEPT = 'Kept from the API of the system loadctl replaces, in its shape and units; computed from the stored run and pushes.';
/** Its request log answered at most this many entries, whatever was asked. */
const MAX_LOG_ENTRIES = 500;

const requestLogQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { ...metricsWindowQuery.properties, limit: { type: 'integer', minimum: 1, maximum: 1_000_000, default: 100, description: `At most ${MAX_LOG_ENTRIES} are answered.` } },
} as const;

/** The monitoring routes of the replaced system (its dashboard and run-vm-test-plugin.sh read them). */
export async function harnessMonitoringRoutes(app: FastifyInstance, { deps }: { deps: ControlPlaneDeps }): Promise<void> {
  const runOf = async (id: string): Promise<Run> => {
    const run = await deps.store.getRun(id);
    if (!run) throw runNotFound(id);
    return run;
  };
  const runWithPushes = async (id: string): Promise<{ run: Run; pushes: MetricsSnapshot[] }> => {
    const run = await runOf(id);
    return { run, pushes: await deps.store.listMetrics(id) };
  };

  app.get<{ Params: IdParams }>(
    '/v1/visualization/runs/:id/summary',
    { schema: { summary: 'A run’s summary cards; `summary` holds what run-vm-test-plugin.sh prints', description: KEPT, params: idParams, response: { 200: runSummaryResponse, ...errors } } },
    async (request) => runSummaryView(await runOf(request.params.id), deps.now()),
  );

  for (const path of ['/v1/runs/:id/graph', '/v1/visualization/runs/:id/graph']) {
    app.get<{ Params: IdParams; Querystring: WindowQuery }>(
      path,
      { schema: { summary: 'A run’s graph: users, RPS, errors per second, response time, one point per push', description: KEPT, params: idParams, querystring: metricsWindowQuery, response: { 200: runGraphResponse, ...errors } } },
      async (request) => {
        const window = parseWindow(request.query);
        const { run, pushes } = await runWithPushes(request.params.id);
        return runGraphView(run, pushes, window);
      },
    );
  }

  app.get<{ Params: IdParams; Querystring: WindowQuery }>(
    '/v1/visualization/runs/:id/timeline',
    { schema: { summary: 'A run’s timeseries chart with its aggregate', description: KEPT, params: idParams, querystring: metricsWindowQuery, response: { 200: timelineResponse, ...errors } } },
    async (request) => {
      const window = parseWindow(request.query);
      const { run, pushes } = await runWithPushes(request.params.id);
      return runTimelineView(run, pushes, window, deps.now());
    },
  );

  app.get<{ Params: IdParams; Querystring: WindowQuery & { limit: number } }>(
    '/v1/runs/:id/requests',
    { schema: { summary: 'A run’s request log: each endpoint per push interval, newest first', description: KEPT, params: idParams, querystring: requestLogQuery, response: { 200: requestLogResponse, ...errors } } },
    async (request) => {
      const window = parseWindow(request.query);
      const { run, pushes } = await runWithPushes(request.params.id);
      return requestLogView(run, pushes, window, Math.min(request.query.limit, MAX_LOG_ENTRIES));
    },
  );

  app.get<{ Params: IdParams; Querystring: WindowQuery }>(
    '/v1/runs/:id/metrics/scatter',
    { schema: { summary: 'A run’s response times per endpoint and push interval, for a scatter plot', description: KEPT, params: idParams, querystring: metricsWindowQuery, response: { 200: scatterResponse, ...errors } } },
    async (request) => {
      const window = parseWindow(request.query);
      const { run, pushes } = await runWithPushes(request.params.id);
      return scatterView(run, pushes, window);
    },
  );
}
