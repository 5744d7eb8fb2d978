import { sendHttp, textOf } from './http.js';
import type { LocustPlugin } from '../domain/types.js';
import type { WorkerView } from '../domain/workers.js';

/** The context the plugin needs to report a run (POST /controlplane/set-context). */
export interface PluginContext {
  runId: string;
  callbackUrl: string;
  callbackToken: string;
  durationSeconds: number;
  metricsIntervalSeconds: number;
  /** loadctl's stages shape: the plugin runs them instead of /swarm's user count (durationSeconds stays an upper bound). */
  stages?: { durationSeconds: number; users: number }[];
  /** Scope the replaced system's plugin echoes in its callbacks (its set-context takes only runId, tenantId, envId, durationSeconds). */
  tenantId?: string;
  envId?: string;
}

export interface SwarmRequest {
  users: number;
  spawnRate: number;
  host: string;
}

/** Talks to one Locust web endpoint (the UI's HTTP routes and the plugin's). */
export interface LocustClient {
  /** True once Locust answers and the plugin's routes are there. */
  isReady(): Promise<boolean>;
  setContext(context: PluginContext): Promise<void>;
  swarm(swarm: SwarmRequest): Promise<void>;
  /** The run the plugin is reporting now and its state, or null when Locust does not answer. */
  currentRun(): Promise<{ runId: string; state: string } | null>;
  stop(): Promise<void>;
  /** A master's workers as its runner sees them (the plugin's /controlplane/workers); [] for a single process. */
  workers(): Promise<WorkerView[]>;
  /**
   * The run's test-stop payload, from the plugin's answer (POST /controlplane/final-report):
   * for a run whose test-stop never came. The plugin stops the test first if it still runs.
   */
  finalReport(runId: string, timeoutMs?: number): Promise<Record<string, unknown>>;
}

const TIMEOUT_MS = 5_000;
/** The plugin may stop the test and wait for its workers before it answers (FINAL_REPORT_WAIT_SECONDS). */
const FINAL_REPORT_TIMEOUT_MS = 25_000;

type Call = (method: 'GET' | 'POST', path: string, options?: { body?: string; headers?: Record<string, string>; timeoutMs?: number }) => Promise<{ status: number; text: string }>;

function callerFor(baseUrl: string): Call {
  const url = (path: string): string => new URL(path, `${baseUrl.replace(/\/+$/, '')}/`).toString();
  return async (method, path, options = {}) => {
    const timeout = options.timeoutMs ?? TIMEOUT_MS;
    const response = await sendHttp(url(path), { method, headers: options.headers ?? {}, ...(options.body === undefined ? {} : { body: options.body }), timeoutMs: timeout });
    return { status: response.statusCode ?? 0, text: await textOf(response) };
  };
}

function expectOk(action: string, result: { status: number; text: string }): void {
  if (result.status < 200 || result.status >= 300) {
    throw new Error(`Locust refused ${action} (HTTP ${result.status}): ${result.text.slice(0, 300)}`);
  }
}

/**
 * `launchToken` is the secret Locust was started with; loadctl's plugin routes require it.
 * `plugin` 'harness': the Locust runs the replaced system's plugin, driven in its protocol
 * (`token` is then the cluster's authToken, sent on set-context as that system did).
 */
export function createLocustClient(baseUrl: string, launchToken?: string, plugin: LocustPlugin = 'loadctl'): LocustClient {
  if (plugin === 'harness') return createHarnessLocustClient(baseUrl, launchToken);
  const pluginHeaders: Record<string, string> = launchToken ? { authorization: `Bearer ${launchToken}` } : {};
  const call = callerFor(baseUrl);

  return {
    async isReady() {
      try {
        return (await call('GET', 'controlplane/context', { headers: pluginHeaders })).status === 200;
      } catch {
        return false;
      }
    },
    async setContext(context) {
      const headers = { ...pluginHeaders, 'content-type': 'application/json' };
      expectOk('set-context', await call('POST', 'controlplane/set-context', { body: JSON.stringify(context), headers }));
    },
    swarm: (swarmRequest) => swarmOn(call, swarmRequest),
    async currentRun() {
      try {
        const result = await call('GET', 'controlplane/context', { headers: pluginHeaders });
        const context = result.status === 200 ? (safeJson(result.text)?.context as { runId?: string; state?: string } | null | undefined) : null;
        return context?.runId ? { runId: context.runId, state: context.state ?? 'unknown' } : null;
      } catch {
        return null;
      }
    },
    async stop() {
      expectOk('stop', await call('GET', 'stop'));
    },
    async workers() {
      const result = await call('GET', 'controlplane/workers', { headers: pluginHeaders });
      expectOk('workers', result);
      const rows = safeJson(result.text)?.workers;
      if (!Array.isArray(rows)) throw new Error(`Locust answered /controlplane/workers without a list: ${result.text.slice(0, 300)}`);
      return rows.map((row: Record<string, unknown>) => ({
        id: String(row.id),
        host: String(row.host ?? ''),
        state: String(row.state ?? ''),
        users: Number.isFinite(Number(row.users)) ? Number(row.users) : 0,
      }));
    },
    async finalReport(runId, timeoutMs = FINAL_REPORT_TIMEOUT_MS) {
      const headers = { ...pluginHeaders, 'content-type': 'application/json' };
      const result = await call('POST', 'controlplane/final-report', { body: JSON.stringify({ runId }), headers, timeoutMs });
      expectOk('final-report', result);
      const report = safeJson(result.text)?.report;
      if (!report || typeof report !== 'object') throw new Error(`Locust answered final-report without a report: ${result.text.slice(0, 300)}`);
      return report as Record<string, unknown>;
    },
  };
}

/** Locust's own /swarm (form fields only), the same whichever plugin is loaded. */
async function swarmOn(call: Call, { users, spawnRate, host }: SwarmRequest): Promise<void> {
  const form = new URLSearchParams({ user_count: String(users), spawn_rate: String(spawnRate), host });
  const result = await call('POST', 'swarm', { body: form.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  expectOk('swarm', result);
  const answer = safeJson(result.text);
  if (answer && answer.success === false) throw new Error(`Locust refused swarm: ${String(answer.message)}`);
}

/**
 * A Locust running the replaced system's `locust_harness_plugin.py`: its routes are
 * /controlplane/get-context and /controlplane/set-context (body runId, tenantId, envId,
 * durationSeconds); it posts to the CONTROL_PLANE_URL it was started with, every
 * METRICS_PUSH_INTERVAL seconds, so callback URL, token and interval are not sent.
 */
function createHarnessLocustClient(baseUrl: string, authToken?: string): LocustClient {
  const call = callerFor(baseUrl);
  const readContext = async (): Promise<Record<string, unknown> | null> => {
    const result = await call('GET', 'controlplane/get-context');
    return result.status === 200 ? ((safeJson(result.text)?.context as Record<string, unknown> | undefined) ?? null) : null;
  };
  return {
    async isReady() {
      try {
        return (await readContext()) !== null;
      } catch {
        return false;
      }
    },
    async setContext({ runId, tenantId, envId, durationSeconds }) {
      const headers: Record<string, string> = { 'content-type': 'application/json', ...(authToken ? { authorization: `Bearer ${authToken}` } : {}) };
      const body = JSON.stringify({ runId, tenantId: tenantId ?? '', envId: envId ?? '', durationSeconds });
      expectOk('set-context', await call('POST', 'controlplane/set-context', { body, headers }));
    },
    swarm: (swarmRequest) => swarmOn(call, swarmRequest),
    async currentRun() {
      try {
        const context = await readContext();
        // Its context keeps the last run id after the test ends: it has no state to report.
        return typeof context?.run_id === 'string' && context.run_id !== '' ? { runId: context.run_id, state: 'unknown' } : null;
      } catch {
        return null;
      }
    },
    async stop() {
      expectOk('stop', await call('GET', 'stop'));
    },
    workers: () => Promise.reject(new Error("the replaced system's plugin has no workers route")),
    // Its plugin has no route that hands over a final report: a silent run is failed with this reason.
    finalReport: () => Promise.reject(new Error("the replaced system's plugin has no final-report route")),
  };
}

/**
 * Which plugin a running Locust has loaded, from the context route it answers: loadctl's
 * /controlplane/context (401 without the launch token still proves it), or the replaced
 * system's /controlplane/get-context. Null when neither answers.
 */
export async function detectLocustPlugin(baseUrl: string, launchToken?: string): Promise<LocustPlugin | null> {
  const call = callerFor(baseUrl);
  const statusOf = async (path: string, headers: Record<string, string> = {}): Promise<number> => {
    try {
      return (await call('GET', path, { headers })).status;
    } catch {
      return 0;
    }
  };
  const ours = await statusOf('controlplane/context', launchToken ? { authorization: `Bearer ${launchToken}` } : {});
  if (ours === 200 || ours === 401) return 'loadctl';
  return (await statusOf('controlplane/get-context')) === 200 ? 'harness' : null;
}

function safeJson(text: string): Record<string, unknown> | null {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return null;
  }
}
