import type { FastifyInstance } from 'fastify';
import type { ControlPlaneDeps } from '../context.js';
import { addScriptRevision, createLoadTest, startRun, testNotFound, type CreateLoadTestInput, type StartRunInput } from '../load-test-service.js';
import { createLoadTestBody, errorResponse, idParams, listLoadTestsQuery, listRunsQuery, startRunBody, updateScriptBody } from '../schemas.js';
import { toLoadTestView, toRevisionSummary, toRunView } from '../views.js';
import { LoadctlError } from '../../domain/errors.js';
import { parseRunFilter } from './runs.js';

type IdParams = { id: string };
const errors = { 400: errorResponse, 401: errorResponse, 404: errorResponse };

export async function loadTestRoutes(app: FastifyInstance, { deps }: { deps: ControlPlaneDeps }): Promise<void> {
  app.post<{ Body: CreateLoadTestInput }>('/v1/load-tests', { schema: { body: createLoadTestBody, response: errors } }, async (request, reply) => {
    const { test, revision } = await createLoadTest(deps, request.body);
    return reply.status(201).send({ ...toLoadTestView(test), latestRevision: revision.revision });
  });

  app.get<{ Querystring: { name?: string; tag?: string; limit: number; offset: number } }>('/v1/load-tests', { schema: { querystring: listLoadTestsQuery, response: errors } }, async (request) => {
    const page = await deps.store.listLoadTests(request.query);
    return { items: page.items.map(toLoadTestView), total: page.total, limit: request.query.limit, offset: request.query.offset };
  });

  app.get<{ Params: IdParams }>('/v1/load-tests/:id', { schema: { params: idParams, response: errors } }, async (request) => {
    const test = await deps.store.getLoadTest(request.params.id);
    if (!test) throw testNotFound(request.params.id);
    return toLoadTestView(test);
  });

  app.get<{ Params: IdParams }>('/v1/load-tests/:id/script', { schema: { params: idParams, response: errors } }, async (request) => {
    const test = await deps.store.getLoadTest(request.params.id);
    if (!test) throw testNotFound(request.params.id);
    const revision = await deps.store.getScriptRevision(test.latestRevisionId);
    if (!revision) throw new LoadctlError('LOADCTL_REVISION_NOT_FOUND', `Revision ${test.latestRevisionId} of load test ${test.id} is missing.`);
    return { ...toRevisionSummary(revision), scriptContent: Buffer.from(revision.cleanScript, 'utf8').toString('base64') };
  });

  app.put<{ Params: IdParams; Body: { scriptContent: string } }>('/v1/load-tests/:id/script', { schema: { params: idParams, body: updateScriptBody, response: errors } }, async (request, reply) => {
    const revision = await addScriptRevision(deps, request.params.id, request.body.scriptContent);
    return reply.status(201).send(toRevisionSummary(revision));
  });

  app.get<{ Params: IdParams }>('/v1/load-tests/:id/script/revisions', { schema: { params: idParams, response: errors } }, async (request) => {
    if (!(await deps.store.getLoadTest(request.params.id))) throw testNotFound(request.params.id);
    const revisions = await deps.store.listScriptRevisions(request.params.id);
    return { items: revisions.map(toRevisionSummary), total: revisions.length };
  });

  app.post<{ Params: IdParams; Body: StartRunInput }>('/v1/load-tests/:id/runs', { schema: { params: idParams, body: startRunBody, response: { ...errors, 409: errorResponse } } }, async (request, reply) => {
    const run = await startRun(deps, request.params.id, request.body ?? {});
    return reply.status(201).send(toRunView(run));
  });

  app.get<{ Params: IdParams; Querystring: Record<string, string | number> }>('/v1/load-tests/:id/runs', { schema: { params: idParams, querystring: listRunsQuery, response: errors } }, async (request) => {
    if (!(await deps.store.getLoadTest(request.params.id))) throw testNotFound(request.params.id);
    const filter = parseRunFilter({ ...request.query, loadTestId: request.params.id });
    const page = await deps.store.listRuns(filter);
    return { items: page.items.map(toRunView), total: page.total, limit: filter.limit, offset: filter.offset };
  });
}
