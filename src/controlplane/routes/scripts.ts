import type { FastifyInstance } from 'fastify';
import { LoadctlError } from '../../domain/errors.js';
import type { ControlPlaneDeps } from '../context.js';
import { addScriptRevision, testNotFound, type ScriptUploadInput } from '../load-test-service.js';
import { errorResponse, revisionSummary, revisionView } from '../response-schemas.js';
import { MAX_REVISION, idParams, revisionParams, updateScriptBody } from '../schemas.js';
import { toRevisionSummary, toRevisionView } from '../views.js';

type IdParams = { id: string };
/** A script upload may carry a bundle (up to 8 MiB compressed, 4/3 of it as base64) beside a 1 MiB script. */
export const BUNDLE_BODY_LIMIT_BYTES = 14 * 1024 * 1024;
const errors = { 400: errorResponse, 401: errorResponse, 404: errorResponse, 503: errorResponse };

/** A load test's script: numbered revisions, never rewritten. */
export async function scriptRoutes(app: FastifyInstance, { deps }: { deps: ControlPlaneDeps }): Promise<void> {
  // A revision id of another test is not found here, as a number the test lacks is not.
  const revisionOfTest = async (loadTestId: string, revisionId: string) => {
    const revision = await deps.store.getScriptRevision(revisionId);
    return revision?.loadTestId === loadTestId ? revision : null;
  };

  app.get<{ Params: IdParams }>(
    '/v1/load-tests/:id/script',
    { schema: { summary: 'Read the latest script revision with both scripts', params: idParams, response: { 200: revisionView, ...errors } } },
    async (request) => {
      const test = await deps.store.getLoadTest(request.params.id);
      if (!test) throw testNotFound(request.params.id);
      const revision = await deps.store.getScriptRevision(test.latestRevisionId);
      if (!revision) throw new LoadctlError('LOADCTL_REVISION_NOT_FOUND', `Revision ${test.latestRevisionId} of load test ${test.id} is missing.`);
      return toRevisionView(revision);
    },
  );

  app.put<{ Params: IdParams; Body: ScriptUploadInput }>(
    '/v1/load-tests/:id/script',
    {
      schema: { summary: 'Upload a new script (with its bundle, if any): it becomes the next, latest revision', params: idParams, body: updateScriptBody, response: { 201: revisionSummary, ...errors, 413: errorResponse } },
      bodyLimit: BUNDLE_BODY_LIMIT_BYTES,
    },
    async (request, reply) => {
      const revision = await addScriptRevision(deps, request.params.id, request.body);
      return reply.status(201).send(toRevisionSummary(revision));
    },
  );

  app.get<{ Params: IdParams }>(
    '/v1/load-tests/:id/script/revisions',
    {
      schema: {
        summary: 'List a test’s script revisions, oldest first, without the scripts',
        params: idParams,
        response: { 200: { type: 'object', properties: { items: { type: 'array', items: revisionSummary }, total: { type: 'integer' } }, required: ['items', 'total'] }, ...errors },
      },
    },
    async (request) => {
      if (!(await deps.store.getLoadTest(request.params.id))) throw testNotFound(request.params.id);
      const revisions = await deps.store.listScriptRevisions(request.params.id);
      return { items: revisions.map(toRevisionSummary), total: revisions.length };
    },
  );

  app.get<{ Params: { id: string; revision: string } }>(
    '/v1/load-tests/:id/script/revisions/:revision',
    { schema: { summary: 'Read one revision, by its number (1, 2, …) or its id, with both scripts', params: revisionParams, response: { 200: revisionView, ...errors } } },
    async (request) => {
      const { id, revision: wanted } = request.params;
      const byNumber = /^[0-9]+$/.test(wanted);
      if (byNumber && (Number(wanted) < 1 || Number(wanted) > MAX_REVISION)) {
        throw new LoadctlError('LOADCTL_BAD_REQUEST', `revision must be a number from 1 to ${MAX_REVISION} or a revision id, not ${wanted}.`, { details: { field: 'revision', location: 'params' } });
      }
      if (!(await deps.store.getLoadTest(id))) throw testNotFound(id);
      const revision = byNumber ? await deps.store.getScriptRevisionByNumber(id, Number(wanted)) : await revisionOfTest(id, wanted);
      if (!revision) {
        throw new LoadctlError('LOADCTL_REVISION_NOT_FOUND', `Load test ${id} has no revision ${wanted}. List them with GET /v1/load-tests/${id}/script/revisions.`, {
          details: { field: 'revision' },
        });
      }
      return toRevisionView(revision);
    },
  );
}
