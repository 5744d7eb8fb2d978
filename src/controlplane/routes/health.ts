import type { FastifyInstance } from 'fastify';
import type { ControlPlaneDeps } from '../context.js';

export async function healthRoutes(app: FastifyInstance, { deps }: { deps: ControlPlaneDeps }): Promise<void> {
  app.get('/health', async (_request, reply) => {
    const store = await deps.store.health();
    if (store.ok) return { status: 'ok' };
    return reply.status(503).send({ status: 'degraded', store: { kind: store.kind, detail: store.detail ?? 'unavailable' } });
  });
}
