import type { FastifyInstance, FastifyRequest } from 'fastify';
import { LoadctlError } from '../../domain/errors.js';
import type { Run } from '../../domain/types.js';
import type { CallbackPayload } from '../../orchestrator/callbacks.js';
import { callbackTokenMatches } from '../../domain/run-secrets.js';
import { presentedToken } from '../auth.js';
import type { ControlPlaneDeps } from '../context.js';
import { callbackAnswer } from '../response-schemas.js';
import { callbackBody, errorResponse } from '../schemas.js';
import { truncateCallbackTexts } from '../../domain/callback-texts.js';

/**
 * A push may carry 500 error rows of 10,000 characters and 100 exceptions with tracebacks:
 * well over the API's 2 MiB. The plugin keeps its pushes under 8 MiB (loadctl_plugin.py PAYLOAD_BUDGET_BYTES).
 */
export const CALLBACK_BODY_LIMIT_BYTES = 16 * 1024 * 1024;

const schema = {
  summary: 'A callback of the Locust plugin, authenticated with its run’s token',
  body: callbackBody,
  response: { 200: callbackAnswer, 400: errorResponse, 401: errorResponse, 404: errorResponse, 503: errorResponse },
};

/** An interval that ends before it starts would give negative rates: refused before anything is stored. */
function refuseBackwardInterval(body: CallbackPayload): void {
  const { intervalStart, intervalEnd } = body;
  if (intervalStart !== undefined && intervalEnd !== undefined && Date.parse(intervalEnd) < Date.parse(intervalStart)) {
    throw new LoadctlError('LOADCTL_BAD_REQUEST', `intervalEnd (${intervalEnd}) is before intervalStart (${intervalStart}).`, { details: { field: 'intervalEnd', location: 'body' } });
  }
}

/** The plugin's callbacks. Each is authenticated with the run's own token, never the API token. */
export async function callbackRoutes(app: FastifyInstance, { deps }: { deps: ControlPlaneDeps }): Promise<void> {
  const authorizedRuns = new WeakMap<FastifyRequest, Run>();

  // Authenticate before validating, so a caller without the token learns nothing about the schema.
  app.addHook('preValidation', async (request) => {
    const token = presentedToken(request.headers, true);
    if (token === undefined) throw new LoadctlError('LOADCTL_UNAUTHORIZED', 'Callbacks need the run token: Authorization: Bearer <token>.');
    const runId = (request.body as { runId?: unknown } | undefined)?.runId;
    const run = typeof runId === 'string' && runId.length <= 64 ? await deps.store.getRun(runId) : null;
    // Same answer for an unknown run and a wrong token, so a token cannot probe for run ids.
    if (!run || !callbackTokenMatches(run, token)) throw new LoadctlError('LOADCTL_UNAUTHORIZED', 'The callback token does not match this run.');
    authorizedRuns.set(request, run);
  });
  const runOf = (request: FastifyRequest): Run => authorizedRuns.get(request)!;
  app.addHook('preHandler', async (request) => {
    refuseBackwardInterval(request.body as CallbackPayload);
    truncateCallbackTexts(request.body as CallbackPayload);
  });
  const options = { schema, bodyLimit: CALLBACK_BODY_LIMIT_BYTES };

  app.post<{ Body: CallbackPayload }>('/v1/internal/locust/test-start', options, async (request) => {
    const run = await deps.orchestrator.onTestStart(runOf(request), request.body);
    return { success: true, status: run.status };
  });

  app.post<{ Body: CallbackPayload }>('/v1/internal/locust/metrics', options, async (request) => {
    const { run, stored } = await deps.orchestrator.onMetrics(runOf(request), request.body);
    return { success: true, status: run.status, duplicate: !stored };
  });

  app.post<{ Body: CallbackPayload }>('/v1/internal/locust/test-stop', options, async (request) => {
    const run = await deps.orchestrator.onTestStop(runOf(request), request.body);
    return { success: true, status: run.status };
  });
}
