// loadctl's HTTP requests (to a control plane, to Locust's web UI) with Node's own http module:
// built in, so `loadctl run` and every --server command talk without first loading ~1 MB of
// undici (issue 14). Not fetch: fetch refuses the Fetch standard's "bad ports" (6000,
// 6665–6669, 10080…), where a server may listen. Here, not in controlplane/: locust/ and
// orchestrator/ use it too, and nothing below them may import controlplane/.
import type { IncomingMessage } from 'node:http';

export interface HttpRequest {
  method: string;
  headers: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
  /** Fails the request when the connection stays silent this long (waiting for headers or body). */
  timeoutMs?: number;
}

/** Sends the request; resolves with the answer once its headers arrived (its body still to read). */
export async function sendHttp(url: string, request: HttpRequest = { method: 'GET', headers: {} }): Promise<IncomingMessage> {
  const target = new URL(url);
  const { request: send } = target.protocol === 'https:' ? await import('node:https') : await import('node:http');
  return new Promise((resolve, reject) => {
    const outgoing = send(target, { method: request.method, headers: request.headers, ...(request.signal ? { signal: request.signal } : {}) }, resolve);
    outgoing.once('error', reject);
    if (request.timeoutMs !== undefined) {
      const timeoutMs = request.timeoutMs;
      outgoing.setTimeout(timeoutMs, () => outgoing.destroy(new Error(`no answer within ${timeoutMs / 1000}s`)));
    }
    outgoing.end(request.body);
  });
}

/** The whole body as UTF-8 text. */
export async function textOf(answer: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of answer) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
