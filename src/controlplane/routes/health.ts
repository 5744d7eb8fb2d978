import type { FastifyInstance } from 'fastify';
import type { ControlPlaneDeps } from '../context.js';
import { healthAnswer } from '../response-schemas.js';

export async function healthRoutes(app: FastifyInstance, { deps }: { deps: ControlPlaneDeps }): Promise<void> {
  const schema = { summary: 'Whether the control plane and its store work (no token needed)', response: { 200: healthAnswer, 503: healthAnswer } };
  app.get('/health', { schema }, async (_request, reply) => {
    const store = await deps.store.health();
    if (store.ok) return { status: 'ok' };
    return reply.status(503).send({ status: 'degraded', store: { kind: store.kind, detail: store.detail ?? 'unavailable' } });
  });
}
