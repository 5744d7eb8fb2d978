import { describe, expect, it } from 'vitest';
import { getJson, postJson, useDemoTarget } from './_helpers.js';

describe('demo target routes', () => {
  const start = useDemoTarget();

  it('lists about twenty products with id, name, price and category', async () => {
    const target = await start();
    const { status, body } = await getJson(`${target.url}/api/products`);
    expect(status).toBe(200);
    const products = body as Array<Record<string, unknown>>;
    expect(products).toHaveLength(20);
    expect(Object.keys(products[0] ?? {}).sort()).toEqual(['category', 'id', 'name', 'price']);
  });

  it('returns one product by id', async () => {
    const target = await start();
    const { status, body } = await getJson(`${target.url}/api/products/3`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ id: 3, name: 'Cast Iron Skillet' });
  });

  it('answers 404 JSON for an unknown product id', async () => {
    const target = await start();
    const { status, body } = await getJson(`${target.url}/api/products/999`);
    expect(status).toBe(404);
    expect(body).toEqual({ error: 'product not found', id: 999 });
  });

  it.each(['abc', '1.5'])('answers 400 when the id is not an integer (%s)', async (id) => {
    const target = await start();
    const { status } = await getJson(`${target.url}/api/products/${id}`);
    expect(status).toBe(400);
  });

  it('searches product names by case-insensitive substring', async () => {
    const target = await start();
    const { status, body } = await getJson(`${target.url}/api/search?q=coffee`);
    expect(status).toBe(200);
    const names = (body as Array<{ name: string }>).map((product) => product.name);
    expect(names).toEqual(['Burr Coffee Grinder', 'Coffee Table Book']);
  });

  it('answers 400 when the search has no q', async () => {
    const target = await start();
    const { status, body } = await getJson(`${target.url}/api/search`);
    expect(status).toBe(400);
    expect(body).toMatchObject({ statusCode: 400, message: expect.stringContaining('q') });
  });

  it('adds a cart line and answers 201', async () => {
    const target = await start();
    const { status, body } = await postJson(`${target.url}/api/cart/items`, { productId: 2, quantity: 3 });
    expect(status).toBe(201);
    expect(body).toEqual({ lineId: 1, productId: 2, name: 'Burr Coffee Grinder', unitPrice: 89.5, quantity: 3, lineTotal: 268.5 });
  });

  it.each([
    ['a missing quantity', { productId: 2 }],
    ['a zero quantity', { productId: 2, quantity: 0 }],
    ['a string product id', { productId: 'two', quantity: 1 }],
    ['a body that is not JSON', '{not json'],
  ])('answers 400 for %s', async (_label, payload) => {
    const target = await start();
    const { status } = await postJson(`${target.url}/api/cart/items`, payload);
    expect(status).toBe(400);
  });

  it('answers 404 when the cart line names an unknown product', async () => {
    const target = await start();
    const { status, body } = await postJson(`${target.url}/api/cart/items`, { productId: 404, quantity: 1 });
    expect(status).toBe(404);
    expect(body).toEqual({ error: 'product not found', id: 404 });
  });
});
