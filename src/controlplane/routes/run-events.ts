import type { FastifyInstance } from 'fastify';
import { isTerminal } from '../../domain/run-state.js';
import type { Run } from '../../domain/types.js';
import type { ControlPlaneDeps } from '../context.js';
import { runNotFound } from '../load-test-service.js';
import { errorResponse, idParams } from '../schemas.js';
import { toRunView } from '../views.js';

const HEARTBEAT_MS = 15_000;

/**
 * GET /v1/runs/{id}/events: server-sent events, one `run` event with the whole run view per
 * change, ending after the terminal one. In-process updates arrive at once; the store is also
 * re-read on a timer so a run driven by another `serve` on the same database is followed too.
 */
export async function runEventRoutes(app: FastifyInstance, { deps }: { deps: ControlPlaneDeps }): Promise<void> {
  app.get<{ Params: { id: string } }>('/v1/runs/:id/events', { schema: { params: idParams, response: { 404: errorResponse } } }, async (request, reply) => {
    const first = await deps.store.getRun(request.params.id);
    if (!first) throw runNotFound(request.params.id);

    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });

    let lastSent = '';
    let closed = false;
    const send = (run: Run): void => {
      if (closed) return;
      const data = JSON.stringify(toRunView(run));
      if (data === lastSent) return;
      lastSent = data;
      raw.write(`event: run\ndata: ${data}\n\n`);
      if (isTerminal(run.status)) finish();
    };
    const unsubscribe = deps.events.subscribe(first.id, send);
    const poll = setInterval(() => {
      deps.store.getRun(first.id).then((run) => run && send(run), () => {});
    }, deps.eventPollMs ?? 1_000);
    const heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), HEARTBEAT_MS);

    function finish(): void {
      if (closed) return;
      closed = true;
      unsubscribe();
      clearInterval(poll);
      clearInterval(heartbeat);
      raw.end();
    }
    request.raw.on('close', finish);
    send(first);
  });
}
