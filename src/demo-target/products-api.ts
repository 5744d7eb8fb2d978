// The "Products API" routes as one encapsulated Fastify plugin: its hooks (latency, failures,
// counting) apply to these routes only, never to /__stats.
import type { FastifyPluginAsync } from 'fastify';
import { PRODUCTS, findProduct, searchProducts } from './catalogue.js';
import type { SimulatedConditions } from './simulated-conditions.js';
import type { StatsCounter } from './stats-counter.js';
import {
  cartItemBodySchema,
  cartLineSchema,
  errorSchema,
  productSchema,
  validationErrorSchema,
} from './schemas.js';

export interface ProductsApiOptions {
  conditions: SimulatedConditions;
  counter: StatsCounter;
}

const failures = { 400: validationErrorSchema, 500: errorSchema } as const;

export const productsApi: FastifyPluginAsync<ProductsApiOptions> = async (app, { conditions, counter }) => {
  // preValidation runs after the body is read and before schema checks, so every routed
  // request (a bad body included) pays the latency and can be failed.
  app.addHook('preValidation', async (_request, reply) => {
    const outcome = conditions.draw();
    await conditions.wait(outcome.latencyMs);
    reply.header('x-demo-latency-ms', String(outcome.latencyMs));
    if (outcome.fail) {
      counter.recordInjectedError();
      return reply.code(500).send({ error: 'injected failure' });
    }
  });

  // Counted once the answer is sent, keyed by the route template, so counts match what
  // the clients received (aborted requests are not counted).
  app.addHook('onResponse', async (request) => {
    counter.recordServed(`${request.method} ${request.routeOptions.url ?? request.url}`);
  });

  app.get('/api/products', {
    schema: { response: { 200: { type: 'array', items: productSchema }, ...failures } },
  }, async () => PRODUCTS);

  app.get<{ Params: { id: number } }>('/api/products/:id', {
    schema: {
      params: { type: 'object', required: ['id'], properties: { id: { type: 'integer' } } },
      response: { 200: productSchema, 404: errorSchema, ...failures },
    },
  }, async (request, reply) => {
    const product = findProduct(request.params.id);
    if (!product) return reply.code(404).send({ error: 'product not found', id: request.params.id });
    return product;
  });

  app.get<{ Querystring: { q: string } }>('/api/search', {
    schema: {
      querystring: { type: 'object', required: ['q'], properties: { q: { type: 'string', minLength: 1 } } },
      response: { 200: { type: 'array', items: productSchema }, ...failures },
    },
  }, async (request) => searchProducts(request.query.q));

  let nextLineId = 1;
  app.post<{ Body: { productId: number; quantity: number } }>('/api/cart/items', {
    schema: {
      body: cartItemBodySchema,
      response: { 201: cartLineSchema, 404: errorSchema, ...failures },
    },
  }, async (request, reply) => {
    const { productId, quantity } = request.body;
    const product = findProduct(productId);
    if (!product) return reply.code(404).send({ error: 'product not found', id: productId });
    const lineTotal = Math.round(product.price * quantity * 100) / 100;
    return reply.code(201).send({
      lineId: nextLineId++,
      productId,
      name: product.name,
      unitPrice: product.price,
      quantity,
      lineTotal,
    });
  });
};
