// loadctl's own HTTP requests (locust/http.ts, Node's http module): answers, bodies, a silent
// server's timeout. Real servers on port 0.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { sendHttp, textOf } from '../../src/locust/http.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve).closeAllConnections())));
});

async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('sendHttp', () => {
  it('sends the method, headers and body (with its length) and gives the status and text', async () => {
    const url = await serve(async (request, response) => {
      const body = await textOf(request);
      response.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ method: request.method, length: request.headers['content-length'], type: request.headers['content-type'], body }));
    });
    const answer = await sendHttp(`${url}/x`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"é":1}' });
    expect(answer.statusCode).toBe(201);
    expect(JSON.parse(await textOf(answer))).toEqual({ method: 'POST', length: String(Buffer.byteLength('{"é":1}')), type: 'application/json', body: '{"é":1}' });
  });

  it('fails when the server stays silent longer than timeoutMs', async () => {
    const url = await serve(() => undefined);
    await expect(sendHttp(url, { method: 'GET', headers: {}, timeoutMs: 200 })).rejects.toThrow(/no answer within 0.2s/);
  });

  it('is cancelled by its signal', async () => {
    const url = await serve(() => undefined);
    const controller = new AbortController();
    const sent = sendHttp(url, { method: 'GET', headers: {}, signal: controller.signal });
    controller.abort();
    await expect(sent).rejects.toMatchObject({ name: 'AbortError' });
  });
});
