// Lets a test or `loadctl demo` read and reset what the demo target counted.
import type { FastifyPluginAsync } from 'fastify';
import { statsSchema } from './schemas.js';
import type { StatsCounter } from './stats-counter.js';

export const statsRoutes: FastifyPluginAsync<{ counter: StatsCounter }> = async (app, { counter }) => {
  app.get('/__stats', { schema: { response: { 200: statsSchema } } }, async () => counter.snapshot());

  app.post('/__stats/reset', { schema: { response: { 204: { type: 'null' } } } }, async (_request, reply) => {
    counter.reset();
    return reply.code(204).send();
  });
};
