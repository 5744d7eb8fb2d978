import type { FastifyInstance } from 'fastify';
import { pickScope } from '../../domain/scope.js';
import type { Scope } from '../../domain/types.js';
import type { SortOrder } from '../../store/store.js';
import type { ControlPlaneDeps } from '../context.js';
import { createLoadTest, deleteLoadTest, testNotFound, updateLoadTest, type CreateLoadTestInput, type UpdateLoadTestInput } from '../load-test-service.js';
import { errorResponse, loadTestView, noContent, pageOf } from '../response-schemas.js';
import { createLoadTestBody, idParams, listLoadTestsQuery, updateLoadTestBody } from '../schemas.js';
import { toLoadTestView } from '../views.js';
import { refuseNonFiniteNumbers } from './_finite-numbers.js';
import { BUNDLE_BODY_LIMIT_BYTES, scriptRoutes } from './scripts.js';

type IdParams = { id: string };
type TestsQuery = Scope & { name?: string; tag?: string; tags?: string[]; sortBy?: 'createdAt' | 'updatedAt'; sortOrder?: SortOrder; limit: number; offset: number };
// 401 comes from the server's token check, 503 from a store that cannot be reached.
const errors = { 400: errorResponse, 401: errorResponse, 503: errorResponse };

/** /v1/load-tests: the tests themselves, and (in scripts.ts) their script revisions. */
export async function loadTestRoutes(app: FastifyInstance, { deps }: { deps: ControlPlaneDeps }): Promise<void> {
  // Also covers the plugins registered inside (scripts, metrics).
  refuseNonFiniteNumbers(app);
  app.post<{ Body: CreateLoadTestInput }>(
    '/v1/load-tests',
    {
      schema: {
        summary: 'Create a load test with its first script revision',
        description: 'Names are unique: a taken name is refused with 409 LOADCTL_TEST_NAME_TAKEN, details.loadTestId naming the test that has it.',
        body: createLoadTestBody,
        response: { 201: loadTestView, ...errors, 409: errorResponse, 413: errorResponse },
      },
      bodyLimit: BUNDLE_BODY_LIMIT_BYTES,
    },
    async (request, reply) => {
      const { test } = await createLoadTest(deps, request.body);
      return reply.status(201).send(toLoadTestView(test));
    },
  );

  app.get<{ Querystring: TestsQuery }>(
    '/v1/load-tests',
    {
      schema: {
        summary: 'List load tests, newest first',
        description: 'accountId, orgId, projectId, envId, tenantId: each given one equals; tags: any of them; sortBy createdAt or updatedAt.',
        querystring: listLoadTestsQuery,
        response: { 200: pageOf(loadTestView), ...errors },
      },
    },
    async (request) => {
      const { name, tag, tags, sortBy, sortOrder, limit, offset } = request.query;
      const page = await deps.store.listLoadTests({ ...withoutUndefined({ name, tag, tags, sortBy, sortOrder }), scope: pickScope(request.query), limit, offset });
      return { items: page.items.map(toLoadTestView), total: page.total, limit: request.query.limit, offset: request.query.offset };
    },
  );

  app.get<{ Params: IdParams }>(
    '/v1/load-tests/:id',
    { schema: { summary: 'Read a load test', params: idParams, response: { 200: loadTestView, ...errors, 404: errorResponse } } },
    async (request) => {
      const test = await deps.store.getLoadTest(request.params.id);
      if (!test) throw testNotFound(request.params.id);
      return toLoadTestView(test);
    },
  );

  app.put<{ Params: IdParams; Body: UpdateLoadTestInput }>(
    '/v1/load-tests/:id',
    {
      schema: {
        summary: 'Change a load test’s settings (a new script is PUT /v1/load-tests/{id}/script)',
        description: 'Absent fields are kept; null removes maxDurationSec, a scope field (accountId, orgId, projectId, envId, tenantId) or a kept one (createdBy, updatedBy, scenarioId, locustClusterId, metadata). A rename to a taken name is refused with 409 LOADCTL_TEST_NAME_TAKEN.',
        params: idParams,
        body: updateLoadTestBody,
        response: { 200: loadTestView, ...errors, 404: errorResponse, 409: errorResponse, 413: errorResponse },
      },
    },
    async (request) => toLoadTestView(await updateLoadTest(deps, request.params.id, request.body)),
  );

  app.delete<{ Params: IdParams }>(
    '/v1/load-tests/:id',
    {
      schema: {
        summary: 'Delete a load test with its revisions, runs and metrics',
        description: 'Refused with 409 LOADCTL_RUN_CONFLICT while one of its runs is Pending, Starting, Running or Stopping.',
        params: idParams,
        response: { 204: noContent, ...errors, 404: errorResponse, 409: errorResponse },
      },
    },
    async (request, reply) => {
      await deleteLoadTest(deps, request.params.id);
      return reply.status(204).send();
    },
  );

  await app.register(scriptRoutes, { deps });
}

function withoutUndefined<T extends object>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Partial<T>;
}
