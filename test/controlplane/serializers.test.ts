// Response serializers compile on a route's first answer (issue 14), with Fastify's own
// compiler, so an answer is the same bytes as with Fastify's default.
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { lazySerializers } from '../../src/controlplane/serializers.js';

const schema = {
  response: {
    200: {
      type: 'object',
      required: ['id'],
      properties: { name: { type: 'string' }, id: { type: 'string' }, count: { type: 'integer' }, at: { type: 'string', format: 'date-time' } },
    },
  },
};
const document = { count: 2.7, secret: 'dropped', at: new Date(Date.UTC(2026, 0, 1)), name: 'a"b', id: 'x' };

const apps: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

async function appWith(buildSerializer?: ReturnType<typeof SerializerSelector>): Promise<FastifyInstance> {
  const app = Fastify(buildSerializer ? { schemaController: { compilersFactory: { buildSerializer } } } : {});
  apps.push(app);
  app.get('/one', { schema }, async () => document);
  app.get('/two', { schema }, async () => document);
  await app.ready();
  return app;
}

describe('lazySerializers', () => {
  it('compiles no serializer at start-up, one on a route’s first answer, and reuses it', async () => {
    const compiled: string[] = [];
    const counting: ReturnType<typeof SerializerSelector> = (external, options) => {
      const compile = SerializerSelector()(external, options);
      return (route) => {
        compiled.push(`${route.method} ${route.url} ${route.httpStatus}`);
        return compile(route);
      };
    };
    const app = await appWith(lazySerializers(counting));
    expect(compiled).toEqual([]);
    await app.inject('/one');
    await app.inject('/one');
    expect(compiled).toEqual(['GET /one 200']);
  });

  it('answers the bytes Fastify’s default serializer gives', async () => {
    const lazy = await (await appWith(lazySerializers())).inject('/one');
    const eager = await (await appWith()).inject('/one');
    expect(lazy.body).toBe(eager.body);
    // fast-json-stringify's own ways: required fields first, unnamed ones dropped, integers truncated.
    expect(lazy.body).toBe('{"id":"x","name":"a\\"b","count":2,"at":"2026-01-01T00:00:00.000Z"}');
  });
});
