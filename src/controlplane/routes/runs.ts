import type { FastifyInstance } from 'fastify';
import { LoadctlError } from '../../domain/errors.js';
import { isTerminal } from '../../domain/run-state.js';
import { summarizeResults } from '../../domain/summary.js';
import type { ControlPlaneDeps } from '../context.js';
import { runNotFound, startRun, testNotFound, type StartRunInput } from '../load-test-service.js';
import { errorResponse, pageOf, runResults, runView } from '../response-schemas.js';
import { idParams, listRunsQuery, startRunBody } from '../schemas.js';
import { toRunView } from '../views.js';
import { refuseNonFiniteNumbers } from './_finite-numbers.js';
import { parseRunFilter, type RunsQuery } from '../run-filter.js';
import { metricsRoutes } from './metrics.js';

type IdParams = { id: string };
const errors = { 400: errorResponse, 401: errorResponse, 503: errorResponse };

/** Runs: started from a test, listed, read, summarised, stopped; their metrics in metrics.ts. */
export async function runRoutes(app: FastifyInstance, { deps }: { deps: ControlPlaneDeps }): Promise<void> {
  // Also covers the plugins registered inside (scripts, metrics).
  refuseNonFiniteNumbers(app);
  app.post<{ Params: IdParams; Body: StartRunInput }>(
    '/v1/load-tests/:id/runs',
    { schema: { summary: 'Start a run of a load test', params: idParams, body: startRunBody, response: { 201: runView, ...errors, 404: errorResponse, 409: errorResponse, 413: errorResponse } } },
    async (request, reply) => {
      const run = await startRun(deps, request.params.id, request.body ?? {});
      return reply.status(201).send(toRunView(run));
    },
  );

  app.get<{ Params: IdParams; Querystring: RunsQuery }>(
    '/v1/load-tests/:id/runs',
    { schema: { summary: 'List a load test’s runs, newest first', params: idParams, querystring: listRunsQuery, response: { 200: pageOf(runView), ...errors, 404: errorResponse } } },
    async (request) => {
      if (!(await deps.store.getLoadTest(request.params.id))) throw testNotFound(request.params.id);
      const filter = parseRunFilter({ ...request.query, loadTestId: request.params.id });
      const page = await deps.store.listRuns(filter);
      return { items: page.items.map(toRunView), total: page.total, limit: filter.limit, offset: filter.offset };
    },
  );

  app.get<{ Querystring: RunsQuery }>(
    '/v1/runs',
    {
      schema: {
        summary: 'List runs, newest first',
        description: 'status: comma-separated statuses; since (inclusive) and until (exclusive): creation time; accountId, orgId, projectId, envId, tenantId: each given one equals (a run carries its test’s scope).',
        querystring: listRunsQuery,
        response: { 200: pageOf(runView), ...errors },
      },
    },
    async (request) => {
      const filter = parseRunFilter(request.query);
      const page = await deps.store.listRuns(filter);
      return { items: page.items.map(toRunView), total: page.total, limit: filter.limit, offset: filter.offset };
    },
  );

  app.get<{ Params: IdParams }>(
    '/v1/runs/:id',
    { schema: { summary: 'Read a run', params: idParams, response: { 200: runView, ...errors, 404: errorResponse } } },
    async (request) => {
      const run = await deps.store.getRun(request.params.id);
      if (!run) throw runNotFound(request.params.id);
      return toRunView(run);
    },
  );

  app.get<{ Params: IdParams }>(
    '/v1/runs/:id/summary',
    {
      schema: {
        summary: 'A run’s results: totals and one row per endpoint, from its final push (else its last)',
        params: idParams,
        response: { 200: runResults, ...errors, 404: errorResponse },
      },
    },
    async (request) => {
      const run = await deps.store.getRun(request.params.id);
      if (!run) throw runNotFound(request.params.id);
      return summarizeResults(run, deps.now());
    },
  );

  app.post<{ Params: IdParams }>(
    '/v1/runs/:id/stop',
    { schema: { summary: 'Stop a run', params: idParams, response: { 202: runView, ...errors, 404: errorResponse, 409: errorResponse } } },
    async (request, reply) => {
      const run = await deps.store.getRun(request.params.id);
      if (!run) throw runNotFound(request.params.id);
      if (isTerminal(run.status)) {
        throw new LoadctlError('LOADCTL_RUN_CONFLICT', `Run ${run.id} is already ${run.status}; a finished run cannot be stopped.`, { details: { status: run.status } });
      }
      const stopping = await deps.orchestrator.stop(run);
      return reply.status(202).send(toRunView(stopping));
    },
  );

  await app.register(metricsRoutes, { deps });
}

export { parseRunFilter } from '../run-filter.js';
