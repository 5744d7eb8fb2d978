// Issue 10, scenario 10: the live view's event stream decodes UTF-8 split across network
// chunks. A unit test of the parser on every split point, and the real client reading a real
// control plane through a proxy that cuts each multi-byte character in two TCP writes.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../src/controlplane/client.js';
import { sseData } from '../../src/controlplane/_sse-events.js';
import { startControlPlane, type ControlPlane } from '../../src/controlplane/start-control-plane.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { base64, SHOP_SCRIPT } from './_harness.js';

const NAME = 'Lasttest Zürich 東京 🚀';

async function* chunked(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

describe('sseData', () => {
  const stream = `: keep-alive\n\nevent: run\ndata: {"name":"${NAME}"}\n\nevent: run\r\ndata: {"n":2}\r\n\r\n`;

  it('yields the same events however the bytes are cut', async () => {
    const bytes = new TextEncoder().encode(stream);
    for (const size of [1, 2, 3, 5, 7, bytes.length]) {
      const seen: string[] = [];
      for await (const data of sseData(chunked(bytes, size))) seen.push(data);
      expect(seen, `chunks of ${size} bytes`).toEqual([`{"name":"${NAME}"}`, '{"n":2}']);
    }
  });
});

/** Relays TCP both ways; from the server, each multi-byte character is split over two writes a moment apart. */
async function splittingProxy(port: number): Promise<{ url: string; server: Server }> {
  const server = createServer((downstream) => {
    downstream.setNoDelay(true);
    const upstream = connect(port, '127.0.0.1');
    downstream.pipe(upstream);
    let queue = Promise.resolve();
    upstream.on('data', (data: Buffer) => {
      upstream.pause();
      queue = queue.then(async () => {
        let from = 0;
        for (let at = 0; at < data.length; at += 1) {
          if (data[at]! >= 0xc0) {
            downstream.write(data.subarray(from, at + 1)); // the lead byte, without the rest of its character
            from = at + 1;
            await new Promise((resolve) => setTimeout(resolve, 15));
          }
        }
        downstream.write(data.subarray(from));
        upstream.resume();
      });
    });
    upstream.on('end', () => void queue.then(() => downstream.end()));
    upstream.on('error', () => downstream.destroy());
    downstream.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return { url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`, server };
}

describe('ApiClient.watchRun over split multi-byte characters', () => {
  let dir: string;
  let store: SqliteStore;
  let controlPlane: ControlPlane;
  let proxy: { url: string; server: Server };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'loadctl-sse-'));
    store = new SqliteStore({ file: join(dir, 'loadctl.db') });
    await store.init();
    // No Python here: the launch fails at once with an error text that is not ASCII either.
    controlPlane = await startControlPlane({ launchSecret: 'test-launch-secret-0123456789abcdef',
      store,
      host: '127.0.0.1',
      port: 0,
      runtime: async () => {
        throw new Error('kein Locust für Läufe – 東京');
      },
      python: async () => 'python3',
      metricsIntervalSeconds: 1,
      log: () => {},
    });
    proxy = await splittingProxy(Number(new URL(controlPlane.url).port));
  });

  afterAll(async () => {
    proxy?.server.close();
    await controlPlane?.close();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the run name and error text arrive whole, never as U+FFFD', async () => {
    const direct = new ApiClient({ baseUrl: controlPlane.url });
    const now = new Date().toISOString();
    // Written through the store: the script check would need Python, which this test does not start.
    await store.createLoadTest({ id: 'lt_sse', name: NAME, description: '', tags: [], targetUrl: 'http://127.0.0.1:9', defaultUsers: 1, defaultSpawnRate: 1, defaultDurationSec: 5, extra: {}, createdAt: now, updatedAt: now }, {
      id: 'rev_sse',
      cleanScript: SHOP_SCRIPT,
      injectedScript: SHOP_SCRIPT,
      sha256: 'x',
      sizeBytes: base64(SHOP_SCRIPT).length,
      createdAt: now,
    });
    const run = await direct.startRun('lt_sse', { name: NAME });
    const viaProxy = new ApiClient({ baseUrl: proxy.url });
    const seen = [];
    for await (const update of viaProxy.watchRun(run.id)) seen.push(update);
    const last = seen.at(-1)!;
    expect(last.status).toBe('Failed');
    expect(seen.map((update) => update.name)).toEqual(seen.map(() => NAME));
    expect(last.error).toContain('kein Locust für Läufe – 東京');
    expect(JSON.stringify(seen)).not.toContain('\uFFFD');
  });
});
