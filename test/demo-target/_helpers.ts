// Small helpers shared by the demo-target tests: a real listener per test, closed after it.
import { afterEach } from 'vitest';
import { request } from 'undici';
import { startDemoTarget, type DemoTarget, type DemoTargetOptions } from '../../src/demo-target/index.js';

export function useDemoTarget(): (options?: DemoTargetOptions) => Promise<DemoTarget> {
  const started: DemoTarget[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((target) => target.close()));
  });
  return async (options = {}) => {
    const target = await startDemoTarget({ latencyMs: [0, 0], ...options });
    started.push(target);
    return target;
  };
}

export async function getJson(url: string): Promise<{ status: number; body: unknown; headers: Record<string, unknown> }> {
  const response = await request(url);
  return { status: response.statusCode, body: await response.body.json(), headers: response.headers };
}

export async function postJson(url: string, payload: unknown): Promise<{ status: number; body: unknown }> {
  const response = await request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof payload === 'string' ? payload : JSON.stringify(payload),
  });
  return { status: response.statusCode, body: await response.body.json() };
}
