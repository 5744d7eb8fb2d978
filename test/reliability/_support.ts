// Shared pieces of the reliability tests: plain HTTP, finding a run's processes by the env
// marker they inherit, fixture scripts, and faulty peers (a closed port, a silent server).
import { mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import Database from 'better-sqlite3';
import { countOf } from '../../src/domain/histogram.js';
import { hashCallbackToken } from '../../src/domain/run-secrets.js';
import type { MetricsSnapshot } from '../../src/domain/types.js';
import { processesWithEnv } from '../support/processes.js';
import { waitFor } from '../support/serve.js';

/** The environment variable the reliability tests mark their CLI / serve processes with. */
export const MARKER_ENV = 'LOADCTL_RELIABILITY_MARKER';

let markerCount = 0;
export function newMarker(label: string): string {
  markerCount += 1;
  return `${label}-${process.pid}-${Date.now()}-${markerCount}`;
}

export interface HttpAnswer {
  status: number;
  json: any;
  text: string;
  contentType: string;
  ms: number;
}

/** One HTTP call with a JSON body (or a raw string), answered as text and, when it parses, JSON. */
export async function http(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpAnswer> {
  const started = performance.now();
  const response = await request(url, {
    method: method as 'GET',
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await response.body.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.statusCode, json, text, contentType: String(response.headers['content-type'] ?? ''), ms: performance.now() - started };
}

/**
 * Gives a run of an embedded store a callback token the test knows and returns it. The store
 * keeps only a hash of the real one, so the test writes its own, as anyone with write access could.
 */
export function plantCallbackToken(dbFile: string, runId: string): string {
  const token = `planted-${runId}-${process.pid}`;
  const db = new Database(dbFile);
  try {
    db.prepare(`UPDATE load_test_runs SET doc = json_set(doc, '$.callbackTokenHash', ?) WHERE id = ?`).run(hashCallbackToken(token), runId);
  } finally {
    db.close();
  }
  return token;
}

export function cmdlineOf(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return [];
  }
}

/** Live Locust processes started under this marker (the one with `-f <script>` in its command line). */
export function locustPids(marker: string): number[] {
  return processesWithEnv(MARKER_ENV, marker).filter((pid) => cmdlineOf(pid).includes('-f'));
}

/** The `loadctl <command>` process itself (node bin/loadctl …) under this marker. */
export function loadctlPid(marker: string, command: string): number {
  const pids = processesWithEnv(MARKER_ENV, marker).filter((pid) => {
    const args = cmdlineOf(pid);
    return args.some((arg) => arg.endsWith('bin/loadctl')) && args.includes(command);
  });
  if (pids.length !== 1) throw new Error(`expected one loadctl ${command} with marker ${marker}, found ${JSON.stringify(pids)}`);
  return pids[0]!;
}

/** The script Locust runs and its folder, from its command line (`-f <path>`); cwd for a relative path. */
export function locustScriptOf(pid: number): { path: string; dirMode: number } {
  const args = cmdlineOf(pid);
  const given = args[args.indexOf('-f') + 1]!;
  const path = given.startsWith('/') ? given : join(readlinkSync(`/proc/${pid}/cwd`), given);
  const dir = path.slice(0, path.lastIndexOf('/'));
  return { path, dirMode: statSync(dir).mode & 0o777 };
}

export async function waitForNoLocust(marker: string, timeoutMs = 15_000): Promise<void> {
  await waitFor(async () => locustPids(marker), (pids) => pids.length === 0, { timeoutMs, what: `no Locust left for marker ${marker}` });
}

/** Holds a fault for `ms` on the clock (its duration is the point, not a guess at readiness). */
export async function holdFor(ms: number): Promise<void> {
  const until = Date.now() + ms;
  await waitFor(async () => Date.now(), (now) => now >= until, { timeoutMs: ms + 5_000, what: `${ms} ms to pass` });
}

const TERMINAL = ['Finished', 'Stopped', 'Failed'];

/** Re-reads a run over HTTP until it is terminal. */
export async function waitForTerminalRun(baseUrl: string, runId: string, timeoutMs: number): Promise<any> {
  return waitFor(async () => (await http('GET', `${baseUrl}/v1/runs/${runId}`)).json, (run) => TERMINAL.includes(run?.status), { timeoutMs, what: `run ${runId} to end` });
}

export function histogramSum(metrics: readonly MetricsSnapshot[]): number {
  return metrics.reduce((sum, snapshot) => sum + countOf(snapshot.histogram), 0);
}

export function workDir(label: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), `loadctl-rel-${label}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function writeFixture(dir: string, name: string, lines: readonly string[]): string {
  const path = join(dir, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

/** A one-task Locust script; `body` is the task's code (indented by the caller's lines). */
export function scriptWith(options: { before?: readonly string[]; task: string; waitTime?: string; after?: readonly string[] }): string[] {
  return [
    ...(options.before ?? []),
    'from locust import HttpUser, constant, task',
    '',
    '',
    'class Visitor(HttpUser):',
    `    wait_time = ${options.waitTime ?? 'constant(0.2)'}`,
    '',
    '    @task',
    '    def visit(self):',
    `        ${options.task}`,
    ...(options.after ?? []),
  ];
}

/** A loopback port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface SilentServer {
  url: string;
  connections(): number;
  close(): Promise<void>;
}

/** Accepts TCP connections and never answers: every request to it times out. */
export async function startSilentServer(): Promise<SilentServer> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server: Server = createServer((socket) => {
    accepted += 1;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    connections: () => accepted,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
}
