// Issue 10, scenario 10: Ctrl+C before `loadctl run` has a run id still cancels cleanly. The
// command talks to a real control plane (real store, real Locust runtime) through a proxy that
// holds one request, so the signal lands exactly while the upload or the start is on its way.
import { EventEmitter } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLoadTest } from '../../../src/cli/commands/run.js';
import { loadConfig } from '../../../src/config/load-config.js';
import { startControlPlane, type ControlPlane } from '../../../src/controlplane/start-control-plane.js';
import { startDemoTarget, type DemoTarget } from '../../../src/demo-target/index.js';
import { findLocustRuntime } from '../../../src/locust/runtime.js';
import { SqliteStore } from '../../../src/store/sqlite-store.js';
import { REPO_ROOT } from '../../support/cli.js';
import { locustBinForTests } from '../../support/locust-runtime.js';
import { waitFor } from '../../support/serve.js';
import { captureIo } from './_io.js';

const SCRIPT = join(REPO_ROOT, 'locust/examples/products.py');

interface HoldingProxy {
  url: string;
  /** Resolves when a request matching `pattern` arrived (and is being held). */
  held: Promise<void>;
  release(): void;
  server: Server;
}

/** Forwards every request to `target`, holding the first "METHOD path" that matches `pattern` until released. */
async function holdingProxy(target: string, pattern: RegExp): Promise<HoldingProxy> {
  let arrived!: () => void;
  let release!: () => void;
  const held = new Promise<void>((resolve) => (arrived = resolve));
  const released = new Promise<void>((resolve) => (release = resolve));
  let holding = true;
  const server = createServer((incoming, outgoing) => {
    const forward = (): void => {
      const upstream = httpRequest(`${target}${incoming.url}`, { method: incoming.method, headers: incoming.headers }, (answer: IncomingMessage) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      });
      upstream.on('error', () => outgoing.destroy());
      incoming.pipe(upstream);
    };
    if (holding && pattern.test(`${incoming.method} ${incoming.url}`)) {
      holding = false;
      arrived();
      void released.then(forward);
    } else {
      forward();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, held, release, server };
}

describe('Ctrl+C before the run has an id', () => {
  let dir: string;
  let target: DemoTarget;
  let store: SqliteStore;
  let controlPlane: ControlPlane;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'loadctl-run-cancel-'));
    target = await startDemoTarget({ port: 0 });
    const runtime = findLocustRuntime({ dataDir: dir, locustBin: locustBinForTests() })!;
    store = new SqliteStore({ file: join(dir, 'loadctl.db') });
    await store.init();
    controlPlane = await startControlPlane({ launchSecret: 'test-launch-secret-0123456789abcdef', store, host: '127.0.0.1', port: 0, runtime: async () => runtime, python: async () => runtime.python, metricsIntervalSeconds: 1, log: () => {} });
  });

  afterAll(async () => {
    await controlPlane?.close();
    await store?.close();
    await target?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const startCommand = (server: string, name: string) => {
    const signals = new EventEmitter();
    const captured = captureIo();
    const config = loadConfig({ flags: { server, script: SCRIPT, targetHost: target.url, duration: 120, users: 2, name }, env: {}, cwd: dir, homeDir: dir, readFile: (path) => (path.endsWith('.py') ? readFileSync(path, 'utf8') : null) });
    const done = runLoadTest({ config, io: captured.io, signals: signals as unknown as Pick<NodeJS.Process, 'on' | 'off'> });
    // Bounded: without the fix the command would load for the whole 120 s.
    const bounded = Promise.race([done, new Promise<string>((resolve) => setTimeout(() => resolve('still running after 30 s'), 30_000).unref())]);
    return { signals, captured, bounded };
  };

  it('during the start request: the run, once created, is stopped before any load, and the exit is 130', async () => {
    const proxy = await holdingProxy(controlPlane.url, /^POST \/v1\/load-tests\/[^/]+\/runs$/);
    try {
      const { signals, captured, bounded } = startCommand(proxy.url, 'cancel-while-starting');
      await proxy.held;
      signals.emit('SIGINT');
      proxy.release();
      expect(await bounded, captured.stderr()).toBe(130);
      const { items } = await store.listRuns({ limit: 10, offset: 0 });
      const run = items[0]!;
      expect(run.status).toBe('Stopped');
      expect(run.statusHistory.map((change) => change.to)).not.toContain('Running');
      expect(captured.stderr()).toContain('Cancelling');
      await waitFor(async () => controlPlane.orchestrator.activeRunIds(), (ids) => ids.length === 0, { timeoutMs: 15_000, what: 'the launch to let go of the run' });
    } finally {
      proxy.server.close();
    }
  }, 60_000);

  it('during the upload: no run is started at all, and the exit is 130', async () => {
    const before = (await store.listRuns({ limit: 100, offset: 0 })).total;
    const proxy = await holdingProxy(controlPlane.url, /^POST \/v1\/load-tests$/);
    try {
      const { signals, captured, bounded } = startCommand(proxy.url, 'cancel-while-uploading');
      await proxy.held;
      signals.emit('SIGINT');
      proxy.release();
      expect(await bounded, captured.stderr()).toBe(130);
      expect((await store.listRuns({ limit: 100, offset: 0 })).total).toBe(before);
    } finally {
      proxy.server.close();
    }
  }, 60_000);
});
