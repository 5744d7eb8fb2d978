import { request } from 'undici';

/** The context the plugin needs to report a run (POST /controlplane/set-context). */
export interface PluginContext {
  runId: string;
  callbackUrl: string;
  callbackToken: string;
  durationSeconds: number;
  metricsIntervalSeconds: number;
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
  /**
   * The run's test-stop payload, from the plugin's answer (POST /controlplane/final-report):
   * for a run whose test-stop never came. The plugin stops the test first if it still runs.
   */
  finalReport(runId: string, timeoutMs?: number): Promise<Record<string, unknown>>;
}

const TIMEOUT_MS = 5_000;
/** The plugin may stop the test and wait for its workers before it answers (FINAL_REPORT_WAIT_SECONDS). */
const FINAL_REPORT_TIMEOUT_MS = 25_000;

/** `launchToken` is the secret Locust was started with; the plugin's routes require it. */
export function createLocustClient(baseUrl: string, launchToken?: string): LocustClient {
  const pluginHeaders: Record<string, string> = launchToken ? { authorization: `Bearer ${launchToken}` } : {};
  const url = (path: string): string => new URL(path, `${baseUrl.replace(/\/+$/, '')}/`).toString();

  async function call(method: 'GET' | 'POST', path: string, options: { body?: string; headers?: Record<string, string>; timeoutMs?: number } = {}): Promise<{ status: number; text: string }> {
    const timeout = options.timeoutMs ?? TIMEOUT_MS;
    const response = await request(url(path), { method, headers: options.headers, body: options.body, headersTimeout: timeout, bodyTimeout: timeout });
    return { status: response.statusCode, text: await response.body.text() };
  }

  function expectOk(action: string, result: { status: number; text: string }): void {
    if (result.status < 200 || result.status >= 300) {
      throw new Error(`Locust refused ${action} (HTTP ${result.status}): ${result.text.slice(0, 300)}`);
    }
  }

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
    async swarm({ users, spawnRate, host }) {
      const form = new URLSearchParams({ user_count: String(users), spawn_rate: String(spawnRate), host });
      const result = await call('POST', 'swarm', { body: form.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      expectOk('swarm', result);
      const answer = safeJson(result.text);
      if (answer && answer.success === false) throw new Error(`Locust refused swarm: ${String(answer.message)}`);
    },
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

function safeJson(text: string): Record<string, unknown> | null {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return null;
  }
}
