// A stand-in control plane for the run commands: one run whose state the test moves by hand,
// served over real HTTP (run, load test, stop, and the event stream), with every request logged.
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RunView } from '../../../src/controlplane/views.js';
import { isTerminal } from '../../../src/domain/run-state.js';
import { makeRun } from '../render/_fixtures.js';

export interface FakeApi {
  url: string;
  /** "METHOD path" of every request, in order. */
  requests: string[];
  run(): RunView;
  /** Changes the run and pushes it to every open event stream. */
  update(patch: Partial<RunView>): void;
  /** What POST /stop does to a run that is not over (default: nothing, it stays as it is). */
  onStop(action: () => void): void;
  close(): Promise<void>;
}

export async function startFakeApi(initial: Partial<RunView> = {}): Promise<FakeApi> {
  const { callbackToken: _secret, ...base } = makeRun({ status: 'Running', finishedAt: undefined, finalMetrics: undefined, autoStopped: false });
  let run: RunView = { ...base, ...initial };
  let stopAction = (): void => {};
  const requests: string[] = [];
  const streams = new Set<ServerResponse>();
  const push = (response: ServerResponse): void => {
    response.write(`event: run\ndata: ${JSON.stringify(run)}\n\n`);
    if (isTerminal(run.status)) {
      streams.delete(response);
      response.end();
    }
  };
  const send = (response: ServerResponse, status: number, body: unknown): void => {
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };

  const server = createServer((request, response) => {
    const path = request.url ?? '';
    requests.push(`${request.method} ${path}`);
    const runPath = `/v1/runs/${run.id}`;
    if (request.method === 'GET' && path === runPath) return send(response, 200, run);
    if (request.method === 'GET' && path === `${runPath}/events`) {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      streams.add(response);
      response.on('close', () => streams.delete(response));
      return push(response);
    }
    if (request.method === 'POST' && path === `${runPath}/stop`) {
      if (isTerminal(run.status)) return send(response, 409, { error: { code: 'LOADCTL_RUN_CONFLICT', message: `Run ${run.id} is already ${run.status}.` } });
      stopAction();
      return send(response, 202, run);
    }
    if (request.method === 'GET' && path === `/v1/load-tests/${run.loadTestId}`) return send(response, 200, { id: run.loadTestId, name: 'products-api' });
    if (path.startsWith('/v1/runs/')) return send(response, 404, { error: { code: 'LOADCTL_RUN_NOT_FOUND', message: `No run has id ${path.split('/')[3]}.` } });
    return send(response, 404, { error: { code: 'LOADCTL_NOT_FOUND', message: `No route ${request.method} ${path}` } });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    run: () => run,
    update(patch) {
      run = { ...run, ...patch };
      for (const response of [...streams]) push(response);
    },
    onStop(action) {
      stopAction = action;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const response of streams) response.end();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
