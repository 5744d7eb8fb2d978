import type { FastifyInstance, FastifyRequest } from 'fastify';
import { LoadctlError } from '../../domain/errors.js';
import type { Run } from '../../domain/types.js';
import type { CallbackPayload } from '../../orchestrator/callbacks.js';
import { callbackTokenMatches } from '../../domain/run-secrets.js';
import { presentedToken, tokensMatch } from '../auth.js';
import type { ControlPlaneDeps } from '../context.js';
import { normaliseHarnessCallback, type CallbackKind } from '../harness-protocol.js';
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
  description:
    'loadctl’s plugin: the body below, `Authorization: Bearer <run token>`. A cluster running the replaced system’s ' +
    'locust_harness_plugin.py posts its own bodies (test-start {runId, tenantId, envId}; metrics {runId, metrics}; ' +
    'test-stop {runId, tenantId, envId, finalMetrics, autoStopped}) with `X-Locust-Token: <security.locustCallbackToken>`, ' +
    'accepted only for runs on such a cluster and turned into this body on arrival (errorRate percent → fraction, ' +
    '"METHOD:name" keys → "METHOD name", seq and timestamp given on arrival).',
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

function callbackKindOf(url: string): CallbackKind {
  return (url.split('?')[0] ?? '').split('/').pop() as CallbackKind;
}

/**
 * Sequence numbers for a plugin that sends none: milliseconds since the run was created, on
 * arrival, kept strictly increasing per run, so pushes sort by arrival.
 */
function harnessSequence(): (run: Run, arrival: Date) => number {
  const last = new Map<string, number>();
  return (run, arrival) => {
    const candidate = Math.max(0, arrival.getTime() - Date.parse(run.createdAt));
    const seq = Math.max(candidate, (last.get(run.id) ?? -1) + 1);
    last.set(run.id, seq);
    // Only the latest few runs matter; an old entry is harmless but should not pile up.
    if (last.size > 10_000) last.delete(last.keys().next().value!);
    return seq;
  };
}

/** The plugin's callbacks. Each is authenticated with the run's own token, never the API token. */
export async function callbackRoutes(app: FastifyInstance, { deps }: { deps: ControlPlaneDeps }): Promise<void> {
  const authorizedRuns = new WeakMap<FastifyRequest, Run>();

  const nextSeq = harnessSequence();

  // Authenticate before validating, so a caller without the token learns nothing about the schema.
  app.addHook('preValidation', async (request) => {
    const token = presentedToken(request.headers, true);
    if (token === undefined) throw new LoadctlError('LOADCTL_UNAUTHORIZED', 'Callbacks need the run token: Authorization: Bearer <token>.');
    const runId = (request.body as { runId?: unknown } | undefined)?.runId;
    // Without its snapshots: deciding about a callback needs neither, and a push is most of a run's bytes.
    const run = typeof runId === 'string' && runId.length <= 64 ? await deps.store.getRun(runId, { snapshots: false }) : null;
    // Both comparisons always run, each in constant time, so timing tells nothing about which failed.
    const isRunToken = run !== null && callbackTokenMatches(run, token);
    const isStaticToken = run !== null && deps.locustCallbackToken !== undefined && tokensMatch(token, deps.locustCallbackToken);
    // Same answer for an unknown run and a wrong token, so a token cannot probe for run ids.
    if (!run || !(isRunToken || (isStaticToken && run.plugin === 'harness'))) throw new LoadctlError('LOADCTL_UNAUTHORIZED', 'The callback token does not match this run.');
    authorizedRuns.set(request, run);
    // The static token belongs to the replaced system's plugin: its body is turned into ours here, then validated.
    if (!isRunToken) {
      const arrival = deps.now();
      request.body = normaliseHarnessCallback(callbackKindOf(request.url), request.body, run, arrival, nextSeq(run, arrival));
    }
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
