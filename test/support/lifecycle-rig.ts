// A real control plane (embedded store, real Orchestrator, real Locust) whose plugin callbacks
// go through a relay the test scripts: forward, store-then-refuse, refuse, or swallow. For the
// run-lifecycle faults of issue 10 (a lost answer, a refused final report, a lost test-start).
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { buildControlPlane, listen, type RunningControlPlane } from '../../src/controlplane/server.js';
import { newId, newToken } from '../../src/controlplane/ids.js';
import { deriveLaunchToken } from '../../src/domain/run-secrets.js';
import { createLocustClient } from '../../src/locust/locust-client.js';
import { findFreePort } from '../../src/locust/free-port.js';
import { spawnLocust } from '../../src/locust/locust-process.js';
import { findLocustRuntime } from '../../src/locust/runtime.js';
import { createPythonSyntaxChecker } from '../../src/locust/syntax-check.js';
import { Orchestrator, type OrchestratorTimeouts } from '../../src/orchestrator/orchestrator.js';
import { RunEventBus } from '../../src/orchestrator/run-events.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { locustBinForTests } from './locust-runtime.js';

/** One callback as the relay saw it: which route, its parsed body, and what the relay answered. */
export interface RelayedCallback {
  kind: string;
  body: Record<string, any>;
  answered: number;
}

/**
 * What the relay does with one callback: forward it and pass the answer back, forward it and
 * answer `status` instead (stored, but the plugin sees a refusal), or answer `status` without
 * forwarding (lost).
 */
export type RelayAction = { forward: true; answer?: number } | { forward: false; answer: number };

export interface LifecycleRig {
  url: string;
  store: SqliteStore;
  orchestrator: Orchestrator;
  relayed: RelayedCallback[];
  logs: string[];
  close(): Promise<void>;
}

const FORWARD: RelayAction = { forward: true };

async function readBody(message: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of message) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startLifecycleRig(options: { decide?: (kind: string, body: Record<string, any>) => RelayAction; timeouts?: Partial<OrchestratorTimeouts>; metricsIntervalSeconds?: number } = {}): Promise<LifecycleRig> {
  const dir = await mkdtemp(join(tmpdir(), 'loadctl-lifecycle-'));
  const store = new SqliteStore({ file: join(dir, 'loadctl.db') });
  await store.init();
  const runtime = findLocustRuntime({ dataDir: dir, locustBin: locustBinForTests() })!;
  const relayed: RelayedCallback[] = [];
  const logs: string[] = [];
  const log = (message: string): void => void logs.push(message);
  let controlPlane: RunningControlPlane | undefined;

  const relay: Server = createServer((incoming, outgoing) => {
    void (async () => {
      const text = await readBody(incoming);
      const kind = (incoming.url ?? '').split('/').pop() ?? '';
      let body: Record<string, any> = {};
      try {
        body = JSON.parse(text) as Record<string, any>;
      } catch {
        // forwarded as it came: the control plane answers a bad body itself
      }
      const action = options.decide?.(kind, body) ?? FORWARD;
      let status = action.answer ?? 502;
      let answer = JSON.stringify({ success: false, message: 'refused by the test relay' });
      if (action.forward) {
        const upstream = await request(`${controlPlane!.url}${incoming.url}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: String(incoming.headers.authorization ?? '') },
          body: text,
        });
        const upstreamText = await upstream.body.text();
        if (action.answer === undefined) [status, answer] = [upstream.statusCode, upstreamText];
      }
      relayed.push({ kind, body, answered: status });
      outgoing.writeHead(status, { 'content-type': 'application/json' }).end(answer);
    })().catch((error: unknown) => outgoing.writeHead(502).end(String(error)));
  });
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
  const relayUrl = `http://127.0.0.1:${(relay.address() as { port: number }).port}`;

  const events = new RunEventBus();
  const now = (): Date => new Date();
  const orchestrator = new Orchestrator({
    store,
    events,
    now,
    launchTokenFor: (runId) => deriveLaunchToken('lifecycle-rig-launch-secret-0123456789', runId),
    findPort: () => findFreePort('127.0.0.1'),
    spawn: spawnLocust,
    clientFor: createLocustClient,
    runtime: async () => runtime,
    callbackUrl: () => `${relayUrl}/v1/internal/locust`,
    metricsIntervalSeconds: options.metricsIntervalSeconds ?? 1,
    log,
    ...(options.timeouts ? { timeouts: options.timeouts } : {}),
  });
  const app = await buildControlPlane({ store, orchestrator, events, checkScript: createPythonSyntaxChecker(runtime.python), now, newId, newToken, defaultThresholds: true, log });
  controlPlane = await listen(app, '127.0.0.1', 0);
  return {
    url: controlPlane.url,
    store,
    orchestrator,
    relayed,
    logs,
    async close() {
      await orchestrator.shutdown();
      await controlPlane?.close();
      await new Promise<void>((resolve) => relay.close(() => resolve()));
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
