// A system under test whose answers a test decides and whose every request it counts with
// its arrival time: what the target saw, to hold loadctl's numbers against.
import { createServer, type Server } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AddressInfo } from 'node:net';

export interface CountedRequest {
  method: string;
  path: string;
  /** Epoch ms when the request arrived. */
  at: number;
}

export interface CountingTarget {
  url: string;
  requests: CountedRequest[];
  close(): Promise<void>;
}

/**
 * GET /delay/MS answers 200 after MS milliseconds; /status/CODE answers CODE; anything else
 * 200 at once.
 */
export async function startCountingTarget(): Promise<CountingTarget> {
  const requests: CountedRequest[] = [];
  const server: Server = createServer((request, response) => {
    const path = request.url ?? '/';
    requests.push({ method: request.method ?? 'GET', path, at: Date.now() });
    request.resume();
    const delay = /^\/delay\/(\d+)/.exec(path);
    const status = /^\/status\/(\d{3})/.exec(path);
    void (async () => {
      if (delay) await sleep(Number(delay[1]));
      response.writeHead(status ? Number(status[1]) : 200, { 'content-type': 'text/plain', connection: 'keep-alive' });
      response.end('ok');
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A loopback port nothing listens on: connections to it are refused. */
export async function refusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
