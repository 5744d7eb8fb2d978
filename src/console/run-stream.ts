import type { FastifyInstance } from 'fastify';
import { isTerminal } from '../domain/run-state.js';
import type { Run, RunStatus } from '../domain/types.js';
import type { ControlPlaneDeps } from '../controlplane/context.js';
import { errorResponse } from '../controlplane/response-schemas.js';
import { toRunView } from '../controlplane/views.js';

const HEARTBEAT_MS = 15_000;
const ACTIVE: RunStatus[] = ['Pending', 'Starting', 'Running', 'Stopping'];

/** A run for a list: no metrics, which a list does not show and which make events large. */
export function listedRun(run: Run): Record<string, unknown> {
  const { lastMetrics: _last, finalMetrics: _final, ...rest } = toRunView(run);
  return rest;
}

/**
 * GET /v1/events/runs: one `run` event (the run without its metrics) whenever any run changes
 * status or verdict, for a list of runs that stays current. Runs driven by another `serve` on
 * the same database are seen by re-reading the active runs on a timer.
 */
export async function runListStreamRoutes(app: FastifyInstance, { deps }: { deps: ControlPlaneDeps }): Promise<void> {
  app.get('/v1/events/runs', { schema: { summary: 'Server-sent events: every run’s status changes', response: { 401: errorResponse } } }, async (request, reply) => {
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    raw.write(': runs\n\n');
    const seen = new Map<string, string>();
    let closed = false;
    const send = (run: Run): void => {
      const mark = `${run.status}/${run.verdict ?? ''}`;
      if (closed || seen.get(run.id) === mark) return;
      seen.set(run.id, mark);
      raw.write(`event: run\ndata: ${JSON.stringify(listedRun(run))}\n\n`);
    };
    const unsubscribe = deps.events.subscribeAll(send);
    let watched = new Set<string>();
    const poll = setInterval(() => {
      void (async () => {
        const active = await deps.store.listRuns({ status: ACTIVE, limit: 200, offset: 0 });
        for (const run of active.items) send(run);
        const now = new Set(active.items.map((run) => run.id));
        // A run that left the active list ended: read it once to show how.
        for (const id of watched) {
          if (now.has(id)) continue;
          const run = await deps.store.getRun(id);
          if (run && isTerminal(run.status)) send(run);
        }
        watched = now;
      })().catch(() => {});
    }, Math.max(deps.eventPollMs ?? 1_000, 1_000) * 2);
    const heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), HEARTBEAT_MS);
    request.raw.on('close', () => {
      closed = true;
      unsubscribe();
      clearInterval(poll);
      clearInterval(heartbeat);
    });
  });
}
