import { request, type Dispatcher } from 'undici';
import { LoadctlError, type ErrorCode, ERROR_CATALOGUE } from '../domain/errors.js';
import type { LoadTest, MetricsSnapshot, ScriptRevision } from '../domain/types.js';
import type { RunView } from './views.js';

export interface ApiClientOptions {
  baseUrl: string;
  token?: string;
  /** Injected for tests; defaults to undici's global dispatcher. */
  dispatcher?: Dispatcher;
}

export type LoadTestView = LoadTest & Record<string, unknown>;
export type RevisionSummary = Omit<ScriptRevision, 'cleanScript' | 'injectedScript'>;

/** The CLI's only way to the control plane, in-process or remote: plain HTTP. */
export class ApiClient {
  readonly baseUrl: string;
  readonly #token?: string;
  readonly #dispatcher?: Dispatcher;

  constructor(options: ApiClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    if (options.token) this.#token = options.token;
    if (options.dispatcher) this.#dispatcher = options.dispatcher;
  }

  health(): Promise<{ status: string }> {
    return this.#call('GET', '/health');
  }

  createLoadTest(body: Record<string, unknown>): Promise<LoadTestView> {
    return this.#call('POST', '/v1/load-tests', body);
  }

  listLoadTests(query: { name?: string; tag?: string; limit?: number; offset?: number } = {}): Promise<{ items: LoadTestView[]; total: number }> {
    return this.#call('GET', `/v1/load-tests${queryString(query)}`);
  }

  getLoadTest(id: string): Promise<LoadTestView> {
    return this.#call('GET', `/v1/load-tests/${encodeURIComponent(id)}`);
  }

  updateScript(id: string, scriptContent: string): Promise<RevisionSummary> {
    return this.#call('PUT', `/v1/load-tests/${encodeURIComponent(id)}/script`, { scriptContent });
  }

  listRevisions(id: string): Promise<{ items: RevisionSummary[]; total: number }> {
    return this.#call('GET', `/v1/load-tests/${encodeURIComponent(id)}/script/revisions`);
  }

  startRun(loadTestId: string, body: Record<string, unknown>): Promise<RunView> {
    return this.#call('POST', `/v1/load-tests/${encodeURIComponent(loadTestId)}/runs`, body);
  }

  getRun(id: string): Promise<RunView> {
    return this.#call('GET', `/v1/runs/${encodeURIComponent(id)}`);
  }

  listRuns(query: { status?: string; loadTestId?: string; since?: string; limit?: number; offset?: number } = {}): Promise<{ items: RunView[]; total: number }> {
    return this.#call('GET', `/v1/runs${queryString(query)}`);
  }

  listMetrics(id: string): Promise<{ items: MetricsSnapshot[]; total: number }> {
    return this.#call('GET', `/v1/runs/${encodeURIComponent(id)}/metrics`);
  }

  stopRun(id: string): Promise<RunView> {
    return this.#call('POST', `/v1/runs/${encodeURIComponent(id)}/stop`);
  }

  /** Follows a run's event stream, yielding each update; ends after the terminal one. */
  async *watchRun(id: string, signal?: AbortSignal): AsyncGenerator<RunView> {
    const response = await this.#send('GET', `/v1/runs/${encodeURIComponent(id)}/events`, undefined, { accept: 'text/event-stream' }, signal);
    if (response.statusCode !== 200) await this.#raise(response);
    let buffer = '';
    for await (const chunk of response.body) {
      buffer += chunk.toString();
      let boundary: number;
      while ((boundary = buffer.indexOf('\n\n')) >= 0) {
        const event = buffer.slice(0, boundary);
        buffer = buffer.slice(boundary + 2);
        const data = event
          .split('\n')
          .filter((line) => line.startsWith('data:'))
          .map((line) => line.slice(5).trimStart())
          .join('\n');
        if (data) yield JSON.parse(data) as RunView;
      }
    }
  }

  async #call<T>(method: Dispatcher.HttpMethod, path: string, body?: unknown): Promise<T> {
    const response = await this.#send(method, path, body);
    if (response.statusCode >= 400) await this.#raise(response);
    return (await response.body.json()) as T;
  }

  async #send(method: Dispatcher.HttpMethod, path: string, body?: unknown, extraHeaders: Record<string, string> = {}, signal?: AbortSignal): Promise<Dispatcher.ResponseData> {
    const headers: Record<string, string> = { ...extraHeaders };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.#token) headers.authorization = `Bearer ${this.#token}`;
    try {
      return await request(`${this.baseUrl}${path}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        ...(this.#dispatcher ? { dispatcher: this.#dispatcher } : {}),
        ...(signal ? { signal } : {}),
      });
    } catch (cause) {
      if ((cause as Error).name === 'AbortError') throw cause;
      throw new LoadctlError('LOADCTL_SERVER_UNREACHABLE', `Cannot reach the loadctl control plane at ${this.baseUrl}: ${(cause as Error).message}. Is \`loadctl serve\` running there?`, { cause });
    }
  }

  async #raise(response: Dispatcher.ResponseData): Promise<never> {
    const text = await response.body.text();
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

function queryString(query: Record<string, string | number | undefined>): string {
  const entries = Object.entries(query).filter(([, value]) => value !== undefined && value !== '');
  return entries.length ? `?${new URLSearchParams(entries.map(([key, value]): [string, string] => [key, String(value)])).toString()}` : '';
}
