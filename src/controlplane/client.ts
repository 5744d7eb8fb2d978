import { LoadctlError, type ErrorCode, ERROR_CATALOGUE } from '../domain/errors.js';
import type { LoadTest, MetricsSnapshot, Scope } from '../domain/types.js';
import type { RunResults } from '../domain/summary.js';
import type { TimeseriesPoint, WindowAggregate } from '../domain/timeseries.js';
import type { RevisionSummary, RevisionView, RunView } from './views.js';
import { sseData } from './_sse-events.js';
import { sendHttp, textOf } from '../locust/http.js';
import type { IncomingMessage } from 'node:http';

export interface ApiClientOptions {
  baseUrl: string;
  token?: string;
}

type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export type LoadTestView = LoadTest & Record<string, unknown>;
export type { RevisionSummary } from './views.js';
type Query = Record<string, string | number | undefined>;
/** A metrics window as asked: ISO timestamps, either open (from exclusive, to inclusive). */
export type MetricsWindow = { from?: string; to?: string };
type EchoedWindow = { runId: string; from: string | null; to: string | null };
export type MetricsTimeseries = EchoedWindow & { stepSeconds: number | null; points: TimeseriesPoint[] };
export type MetricsAggregate = EchoedWindow & WindowAggregate;

/** What the CLI asks the control plane: ApiClient over HTTP, or LocalReadApi for a read in this process. */
export type ControlPlaneApi = Omit<ApiClient, 'baseUrl'>;

/** The CLI's only way to the control plane, in-process or remote: plain HTTP (Node's own, locust/http.ts). */
export class ApiClient {
  readonly baseUrl: string;
  readonly #token?: string;

  constructor(options: ApiClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    if (options.token) this.#token = options.token;
  }

  health(): Promise<{ status: string }> {
    return this.#call('GET', '/health');
  }

  createLoadTest(body: Record<string, unknown>): Promise<LoadTestView> {
    return this.#call('POST', '/v1/load-tests', body);
  }

  listLoadTests(query: Scope & { name?: string; tag?: string; limit?: number; offset?: number } = {}): Promise<{ items: LoadTestView[]; total: number }> {
    return this.#call('GET', `/v1/load-tests${queryString(query)}`);
  }

  getLoadTest(id: string): Promise<LoadTestView> {
    return this.#call('GET', `/v1/load-tests/${encodeURIComponent(id)}`);
  }

  updateLoadTest(id: string, body: Record<string, unknown>): Promise<LoadTestView> {
    return this.#call('PUT', `/v1/load-tests/${encodeURIComponent(id)}`, body);
  }

  /** Deletes the test with its revisions, runs and metrics; 409 while one of its runs is active. */
  deleteLoadTest(id: string): Promise<void> {
    return this.#call('DELETE', `/v1/load-tests/${encodeURIComponent(id)}`);
  }

  /** A new revision: the script as base64, or (an object) with its bundle: `{ scriptContent, bundle, locustfile }`. */
  updateScript(id: string, script: string | { scriptContent: string; bundle?: string; locustfile?: string }): Promise<RevisionSummary> {
    return this.#call('PUT', `/v1/load-tests/${encodeURIComponent(id)}/script`, typeof script === 'string' ? { scriptContent: script } : script);
  }

  listRevisions(id: string): Promise<{ items: RevisionSummary[]; total: number }> {
    return this.#call('GET', `/v1/load-tests/${encodeURIComponent(id)}/script/revisions`);
  }

  /** Revision `revision` (1, 2, …) with both scripts as base64. */
  getRevision(id: string, revision: number): Promise<RevisionView> {
    return this.#call('GET', `/v1/load-tests/${encodeURIComponent(id)}/script/revisions/${revision}`);
  }

  startRun(loadTestId: string, body: Record<string, unknown>): Promise<RunView> {
    return this.#call('POST', `/v1/load-tests/${encodeURIComponent(loadTestId)}/runs`, body);
  }

  getRun(id: string): Promise<RunView> {
    return this.#call('GET', `/v1/runs/${encodeURIComponent(id)}`);
  }

  listRuns(query: Scope & { status?: string; verdict?: 'passed' | 'failed' | 'none'; loadTestId?: string; since?: string; until?: string; limit?: number; offset?: number } = {}): Promise<{ items: RunView[]; total: number }> {
    return this.#call('GET', `/v1/runs${queryString(query)}`);
  }

  listMetrics(id: string): Promise<{ items: MetricsSnapshot[]; total: number }> {
    return this.#call('GET', `/v1/runs/${encodeURIComponent(id)}/metrics`);
  }

  getRunSummary(id: string): Promise<RunResults> {
    return this.#call('GET', `/v1/runs/${encodeURIComponent(id)}/summary`);
  }

  /** One point per push, or per `step` seconds. */
  getMetricsTimeseries(id: string, query: MetricsWindow & { step?: number } = {}): Promise<MetricsTimeseries> {
    return this.#call('GET', `/v1/runs/${encodeURIComponent(id)}/metrics/timeseries${queryString(query)}`);
  }

  getMetricsAggregate(id: string, query: MetricsWindow = {}): Promise<MetricsAggregate> {
    return this.#call('GET', `/v1/runs/${encodeURIComponent(id)}/metrics/aggregate${queryString(query)}`);
  }

  stopRun(id: string): Promise<RunView> {
    return this.#call('POST', `/v1/runs/${encodeURIComponent(id)}/stop`);
  }

  /** Follows a run's event stream, yielding each update; ends after the terminal one. */
  async *watchRun(id: string, signal?: AbortSignal): AsyncGenerator<RunView> {
    const response = await this.#send('GET', `/v1/runs/${encodeURIComponent(id)}/events`, undefined, { accept: 'text/event-stream' }, signal);
    if (response.statusCode !== 200) await this.#raise(response);
    for await (const data of sseData(response)) yield JSON.parse(data) as RunView;
  }

  async #call<T>(method: HttpMethod, path: string, body?: unknown): Promise<T> {
    const response = await this.#send(method, path, body);
    if ((response.statusCode ?? 500) >= 400) await this.#raise(response);
    // 204 and other empty answers (DELETE) carry no JSON.
    const text = await textOf(response);
    return (text === '' ? undefined : JSON.parse(text)) as T;
  }

  async #send(method: HttpMethod, path: string, body?: unknown, extraHeaders: Record<string, string> = {}, signal?: AbortSignal): Promise<IncomingMessage> {
    const headers: Record<string, string> = { ...extraHeaders };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.#token) headers.authorization = `Bearer ${this.#token}`;
    try {
      return await sendHttp(`${this.baseUrl}${path}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        ...(signal ? { signal } : {}),
      });
    } catch (cause) {
      if ((cause as Error).name === 'AbortError') throw cause;
      throw new LoadctlError('LOADCTL_SERVER_UNREACHABLE', `Cannot reach the loadctl control plane at ${this.baseUrl}: ${(cause as Error).message}. Is \`loadctl serve\` running there?`, { cause });
    }
  }

  async #raise(response: IncomingMessage): Promise<never> {
    const text = await textOf(response);
    let parsed: { error?: { code?: string; message?: string; details?: Record<string, unknown> } } = {};
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: keep the raw text below
    }
    const code = parsed.error?.code && parsed.error.code in ERROR_CATALOGUE ? (parsed.error.code as ErrorCode) : 'LOADCTL_INTERNAL';
    throw new LoadctlError(code, parsed.error?.message ?? `HTTP ${response.statusCode}: ${text.slice(0, 300)}`, parsed.error?.details ? { details: parsed.error.details } : {});
  }
}

function queryString(query: Query): string {
  const entries = Object.entries(query).filter(([, value]) => value !== undefined && value !== '');
  return entries.length ? `?${new URLSearchParams(entries.map(([key, value]): [string, string] => [key, String(value)])).toString()}` : '';
}
