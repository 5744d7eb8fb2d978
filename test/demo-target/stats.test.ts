import { describe, expect, it } from 'vitest';
import { request } from 'undici';
import { getJson, postJson, useDemoTarget } from './_helpers.js';

describe('demo target stats', () => {
  const start = useDemoTarget();

  it('counts N concurrent requests exactly, by route template', async () => {
    const target = await start({ latencyMs: [0, 5], errorRate: 0.3 });
    const perRoute = 40;
    const answers = await Promise.all([
      ...Array.from({ length: perRoute }, () => getJson(`${target.url}/api/products`)),
      ...Array.from({ length: perRoute }, (_, index) => getJson(`${target.url}/api/products/${(index % 25) + 1}`)),
      ...Array.from({ length: perRoute }, () => getJson(`${target.url}/api/search?q=desk`)),
      ...Array.from({ length: perRoute }, () => postJson(`${target.url}/api/cart/items`, { productId: 1, quantity: 2 })),
    ]);
    const failed = answers.filter((answer) => answer.status === 500).length;

    const { body } = await getJson(`${target.url}/__stats`);
    expect(body).toEqual({
      served: {
        total: 4 * perRoute,
        byRoute: {
          'GET /api/products': perRoute,
          'GET /api/products/:id': perRoute,
          'GET /api/search': perRoute,
          'POST /api/cart/items': perRoute,
        },
      },
      errorsInjected: failed,
    });
    expect(target.stats()).toEqual(body);
  });

  it('counts error answers (404, 400) under their route and leaves /__stats out', async () => {
    const target = await start();
    await getJson(`${target.url}/api/products/999`);
    await getJson(`${target.url}/api/search`);
    await getJson(`${target.url}/__stats`);
    expect(target.stats()).toEqual({
      served: { total: 2, byRoute: { 'GET /api/products/:id': 1, 'GET /api/search': 1 } },
      errorsInjected: 0,
    });
  });

  it('resets the counters on POST /__stats/reset', async () => {
    const target = await start({ errorRate: 1 });
    await getJson(`${target.url}/api/products`);
    const reset = await request(`${target.url}/__stats/reset`, { method: 'POST' });
    await reset.body.dump();
    expect(reset.statusCode).toBe(204);
    expect(target.stats()).toEqual({ served: { total: 0, byRoute: {} }, errorsInjected: 0 });
  });

  it('gives a snapshot that later requests do not change', async () => {
    const target = await start();
    const before = target.stats();
    await getJson(`${target.url}/api/products`);
    expect(before.served.total).toBe(0);
  });
});
