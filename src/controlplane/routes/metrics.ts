import type { FastifyInstance } from 'fastify';
import { LoadctlError } from '../../domain/errors.js';
import type { PushSummary } from '../../domain/push-summary.js';
import { MAX_TIMESERIES_POINTS, aggregateWindow, countBuckets, gridSpanMs, runStartOf, type TimeWindow } from '../../domain/timeseries.js';
import type { MetricsSnapshot, Run } from '../../domain/types.js';
import type { ControlPlaneDeps } from '../context.js';
import { readTimeseries } from '../timeseries-reader.js';
import { runNotFound } from '../load-test-service.js';
import { aggregateResponse, errorResponse, metricsSnapshot, timeseriesResponse } from '../response-schemas.js';
import { idParams, metricsWindowQuery, timeseriesQuery } from '../schemas.js';

type IdParams = { id: string };
type WindowQuery = { from?: string; to?: string };
const errors = { 400: errorResponse, 401: errorResponse, 404: errorResponse, 503: errorResponse };

/** A run's metrics: the raw pushes, and windows of them with percentiles recomputed from the histograms. */
export async function metricsRoutes(app: FastifyInstance, { deps }: { deps: ControlPlaneDeps }): Promise<void> {
  const runWithPushes = async (id: string): Promise<{ run: Run; pushes: MetricsSnapshot[] }> => {
    const run = await deps.store.getRun(id);
    if (!run) throw runNotFound(id);
    return { run, pushes: await deps.store.listMetrics(id) };
  };

  app.get<{ Params: IdParams }>(
    '/v1/runs/:id/metrics',
    {
      schema: {
        summary: 'Every push of a run, as received, ordered by sequence number',
        params: idParams,
        response: { 200: { type: 'object', properties: { items: { type: 'array', items: metricsSnapshot }, total: { type: 'integer' } }, required: ['items', 'total'] }, ...errors },
      },
    },
    async (request) => {
      const { pushes } = await runWithPushes(request.params.id);
      return { items: pushes, total: pushes.length };
    },
  );

  app.get<{ Params: IdParams; Querystring: WindowQuery & { step?: number } }>(
    '/v1/runs/:id/metrics/timeseries',
    {
      schema: {
        summary: 'A run’s metrics over time, one point per push or per step',
        description:
          'A push counts in the window when the middle of the interval it covers lies in it: from < middle ≤ to (defaults: the whole run). ' +
          `step: seconds per point, at most ${MAX_TIMESERIES_POINTS} points; without it every push is a point (the final push's stop sliver joins the one before). ` +
          "Each point's rps is its requests over its intervals' length, its percentiles come from the merged histograms of its pushes; steps without a push are left out; no point lies after the last push. See docs/METRICS.md.",
        params: idParams,
        querystring: timeseriesQuery,
        response: { 200: timeseriesResponse, ...errors },
      },
    },
    async (request) => {
      const window = parseWindow(request.query);
      const run = await deps.store.getRun(request.params.id);
      if (!run) throw runNotFound(request.params.id);
      // Summaries, not whole pushes: a 1-hour run's 3,600 pushes are 21 MB of JSON (docs/PERFORMANCE.md, 3b).
      const summaries = await deps.store.listPushSummaries(run.id);
      const step = request.query.step;
      if (step !== undefined) checkGridSize(window, run, summaries, step);
      return {
        runId: run.id,
        ...echoWindow(request.query),
        stepSeconds: step ?? null,
        points: await readTimeseries(deps.store, run, summaries, { ...window, ...(step === undefined ? {} : { stepSeconds: step }) }),
      };
    },
  );

  app.get<{ Params: IdParams; Querystring: WindowQuery }>(
    '/v1/runs/:id/metrics/aggregate',
    {
      schema: {
        summary: 'One window of a run’s metrics, percentiles recomputed from the histograms',
        description: 'A push counts in the window when the middle of the interval it covers lies in it: from < middle ≤ to (defaults: the whole run). rps is the requests over the length of those intervals. See docs/METRICS.md.',
        params: idParams,
        querystring: metricsWindowQuery,
        response: { 200: aggregateResponse, ...errors },
      },
    },
    async (request) => {
      const window = parseWindow(request.query);
      const { run, pushes } = await runWithPushes(request.params.id);
      return { runId: run.id, ...echoWindow(request.query), ...aggregateWindow(pushes, runStartOf(run), window) };
    },
  );
}

export function parseWindow(query: WindowQuery): TimeWindow {
  const fromMs = timeOf(query.from, 'from');
  const toMs = timeOf(query.to, 'to');
  if (fromMs !== undefined && toMs !== undefined && fromMs >= toMs) {
    throw badQuery('to', `to (${query.to}) must be after from (${query.from}).`);
  }
  return { ...(fromMs === undefined ? {} : { fromMs }), ...(toMs === undefined ? {} : { toMs }) };
}

/** The bounds as asked, in one form; null where the window is open. */
function echoWindow(query: WindowQuery): { from: string | null; to: string | null } {
  const iso = (value: string | undefined): string | null => (value === undefined ? null : new Date(value).toISOString());
  return { from: iso(query.from), to: iso(query.to) };
}

/** Refuses a step so small that the window would need more than MAX_TIMESERIES_POINTS buckets. */
function checkGridSize(window: TimeWindow, run: Run, pushes: readonly PushSummary[], stepSeconds: number): void {
  const spanMs = gridSpanMs(pushes, runStartOf(run), window);
  if (countBuckets(spanMs, stepSeconds) > MAX_TIMESERIES_POINTS) {
    const smallest = Math.ceil(spanMs / 1000 / MAX_TIMESERIES_POINTS);
    throw badQuery('step', `step ${stepSeconds} s would cut this window into more than ${MAX_TIMESERIES_POINTS} points; use a step of at least ${smallest} s or a shorter window.`);
  }
}

function timeOf(value: string | undefined, field: string): number | undefined {
  if (value === undefined) return undefined;
  const time = Date.parse(value);
  // The schema checked the format; this catches what it lets through but Date cannot read (a leap second).
  if (Number.isNaN(time)) throw badQuery(field, `${field} (${value}) is not a date-time this server can read; use e.g. 2025-01-31T12:00:00Z.`);
  return time;
}

function badQuery(field: string, message: string): LoadctlError {
  return new LoadctlError('LOADCTL_BAD_REQUEST', message, { details: { field, location: 'querystring' } });
}
