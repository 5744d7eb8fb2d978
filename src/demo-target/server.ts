// Starts the demo "Products API" on loopback for `loadctl demo` and the end-to-end tests.
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { normaliseDemoTargetOptions, type DemoTargetOptions } from './options.js';
import { productsApi } from './products-api.js';
import { createSimulatedConditions } from './simulated-conditions.js';
import { createStatsCounter, type DemoTargetStats, type StatsCounter } from './stats-counter.js';
import { statsRoutes } from './stats-routes.js';

export interface DemoTarget {
  url: string;
  port: number;
  stats(): DemoTargetStats;
  close(): Promise<void>;
}

/** The app without a listener, for `app.inject()` tests. */
export async function buildDemoTargetApp(
  options: DemoTargetOptions = {},
): Promise<{ app: FastifyInstance; counter: StatsCounter }> {
  const normalised = normaliseDemoTargetOptions(options);
  const counter = createStatsCounter();
  const app = Fastify({ logger: false });
  await app.register(statsRoutes, { counter });
  await app.register(productsApi, { counter, conditions: createSimulatedConditions(normalised) });
  return { app, counter };
}

export async function startDemoTarget(options: DemoTargetOptions = {}): Promise<DemoTarget> {
  const { host, port } = normaliseDemoTargetOptions(options);
  const { app, counter } = await buildDemoTargetApp(options);
  await app.listen({ host, port });
  const actualPort = (app.server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${actualPort}`,
    port: actualPort,
    stats: () => counter.snapshot(),
    close: () => app.close(),
  };
}
