import type { FastifyInstance } from 'fastify';
import { LoadctlError } from '../../domain/errors.js';
import { isTerminal } from '../../domain/run-state.js';
import type { RunStatus } from '../../domain/types.js';
import type { RunFilter } from '../../store/store.js';
import type { ControlPlaneDeps } from '../context.js';
import { runNotFound } from '../load-test-service.js';
import { errorResponse, idParams, listRunsQuery } from '../schemas.js';
import { toRunView } from '../views.js';

type IdParams = { id: string };
const errors = { 400: errorResponse, 401: errorResponse, 404: errorResponse };

export function parseRunFilter(query: Record<string, string | number | undefined>): RunFilter {
  return {
    ...(query.loadTestId ? { loadTestId: String(query.loadTestId) } : {}),
    ...(query.status ? { status: String(query.status).split(',') as RunStatus[] } : {}),
    ...(query.since ? { since: new Date(String(query.since)).toISOString() } : {}),
    limit: Number(query.limit ?? 50),
    offset: Number(query.offset ?? 0),
  };
}

export async function runRoutes(app: FastifyInstance, { deps }: { deps: ControlPlaneDeps }): Promise<void> {
  app.get<{ Querystring: Record<string, string | number> }>('/v1/runs', { schema: { querystring: listRunsQuery, response: errors } }, async (request) => {
    const filter = parseRunFilter(request.query);
    const page = await deps.store.listRuns(filter);
    return { items: page.items.map(toRunView), total: page.total, limit: filter.limit, offset: filter.offset };
  });

  app.get<{ Params: IdParams }>('/v1/runs/:id', { schema: { params: idParams, response: errors } }, async (request) => {
    const run = await deps.store.getRun(request.params.id);
    if (!run) throw runNotFound(request.params.id);
    return toRunView(run);
  });

  app.get<{ Params: IdParams }>('/v1/runs/:id/metrics', { schema: { params: idParams, response: errors } }, async (request) => {
    if (!(await deps.store.getRun(request.params.id))) throw runNotFound(request.params.id);
    const items = await deps.store.listMetrics(request.params.id);
    return { items, total: items.length };
  });

  app.post<{ Params: IdParams }>('/v1/runs/:id/stop', { schema: { params: idParams, response: { ...errors, 409: errorResponse } } }, async (request, reply) => {
    const run = await deps.store.getRun(request.params.id);
    if (!run) throw runNotFound(request.params.id);
    if (isTerminal(run.status)) {
      throw new LoadctlError('LOADCTL_RUN_CONFLICT', `Run ${run.id} is already ${run.status}; a finished run cannot be stopped.`, { details: { status: run.status } });
    }
    const stopping = await deps.orchestrator.stop(run);
    return reply.status(202).send(toRunView(stopping));
  });
}
