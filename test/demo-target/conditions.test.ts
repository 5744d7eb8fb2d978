import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { request } from 'undici';
import { startDemoTarget } from '../../src/demo-target/index.js';
import { getJson, postJson, useDemoTarget } from './_helpers.js';

async function timedGet(url: string): Promise<{ elapsedMs: number; latencyHeader: unknown }> {
  const startedAt = performance.now();
  const response = await request(url);
  await response.body.dump();
  return { elapsedMs: performance.now() - startedAt, latencyHeader: response.headers['x-demo-latency-ms'] };
}

describe('demo target latency and failures', () => {
  const start = useDemoTarget();

  it('waits the minimum latency when random draws 0', async () => {
    const target = await start({ latencyMs: [60, 1000], random: () => 0 });
    // Warm the connection up so the measured request times the server, not the handshake.
    await timedGet(`${target.url}/api/products`);
    const { elapsedMs, latencyHeader } = await timedGet(`${target.url}/api/products`);
    expect(latencyHeader).toBe('60');
    expect(elapsedMs).toBeGreaterThanOrEqual(59);
    // Far below the 1000 ms maximum, with room for a busy machine.
    expect(elapsedMs).toBeLessThan(600);
  });

  it('waits close to the maximum latency when random draws almost 1', async () => {
    const target = await start({ latencyMs: [0, 120], random: () => 0.999 });
    const { elapsedMs, latencyHeader } = await timedGet(`${target.url}/api/products/1`);
    expect(latencyHeader).toBe('120');
    expect(elapsedMs).toBeGreaterThanOrEqual(119);
  });

  it('keeps every drawn latency inside [min, max]', async () => {
    const target = await start({ latencyMs: [5, 25] });
    const latencies = await Promise.all(
      Array.from({ length: 30 }, async () => Number((await timedGet(`${target.url}/api/products`)).latencyHeader)),
    );
    for (const latency of latencies) {
      expect(latency).toBeGreaterThanOrEqual(5);
      expect(latency).toBeLessThanOrEqual(25);
    }
  });

  it('answers 500 "injected failure" on every API route when errorRate is 1', async () => {
    const target = await start({ errorRate: 1 });
    const answers = await Promise.all([
      getJson(`${target.url}/api/products`),
      getJson(`${target.url}/api/products/1`),
      getJson(`${target.url}/api/search?q=lamp`),
      postJson(`${target.url}/api/cart/items`, { productId: 1, quantity: 1 }),
    ]);
    for (const answer of answers) expect(answer).toMatchObject({ status: 500, body: { error: 'injected failure' } });
    expect(target.stats().errorsInjected).toBe(4);
  });

  it('fails a request when the second random draw is below errorRate', async () => {
    const draws = [0.5, 0.29, 0.5, 0.31];
    const target = await start({ errorRate: 0.3, random: () => draws.shift() ?? 0.9 });
    expect((await getJson(`${target.url}/api/products`)).status).toBe(500);
    expect((await getJson(`${target.url}/api/products`)).status).toBe(200);
  });

  it('never fails /__stats, whatever the error rate', async () => {
    const target = await start({ errorRate: 1 });
    const { status } = await getJson(`${target.url}/__stats`);
    expect(status).toBe(200);
  });

  it('refuses an error rate outside 0..1 and an inverted latency range', async () => {
    await expect(startDemoTarget({ errorRate: 1.5 })).rejects.toMatchObject({ code: 'LOADCTL_CONFIG_INVALID' });
    await expect(startDemoTarget({ latencyMs: [20, 10] })).rejects.toMatchObject({ code: 'LOADCTL_CONFIG_INVALID' });
  });
});
