import type { LoadctlConfig } from '../config/config.js';
import { ApiClient } from '../controlplane/client.js';
import { startControlPlane, type ControlPlane } from '../controlplane/start-control-plane.js';
import { openConfiguredStore } from './open-configured-store.js';
import type { Store } from '../store/store.js';
import { lazyLocustRuntime } from './ensure-runtime.js';
import { loadLaunchSecret } from './launch-secret.js';
import type { CliIo } from './io.js';
import type { LocustHeadStart } from '../orchestrator/locust-head-start.js';
import type { LocustRuntime } from '../locust/runtime.js';
import type { ScriptChecker } from '../locust/syntax-check.js';

export interface Session {
  client: ApiClient;
  /** Present when the control plane runs in this process. */
  controlPlane?: ControlPlane;
  close(): Promise<void>;
}

/**
 * A client of the control plane: the remote one given by --server, or one started in this
 * process on a free loopback port over the configured store. Either way the CLI speaks HTTP.
 */
export interface SessionOptions {
  locustArgs?: readonly string[];
  log?: (message: string) => void;
  /** A command that only reads (runs list/show/watch, tests list/show/revisions, report, compare): no recovery, so it never settles another process's run. */
  readOnly?: boolean;
  /** `loadctl run`: its Locust, started early (orchestrator/locust-head-start.ts). */
  headStart?: LocustHeadStart;
  /** `loadctl run`: its script's syntax check, started early. */
  checkScript?: ScriptChecker;
  /** The Locust runtime, when the caller resolves it already. */
  runtime?: () => Promise<LocustRuntime>;
}

export async function openSession(config: LoadctlConfig, io: CliIo, options: SessionOptions = {}): Promise<Session> {
  if (config.remoteServer) {
    return { client: new ApiClient({ baseUrl: config.remoteServer, ...(config.security.apiToken ? { token: config.security.apiToken } : {}) }), close: async () => {} };
  }
  const store = await openConfiguredStore(config);
  const lazyRuntime = options.runtime ?? lazyLocustRuntime(config, io);
  let controlPlane: ControlPlane;
  try {
    controlPlane = await startControlPlane({
      store,
      host: '127.0.0.1',
      port: 0,
      runtime: lazyRuntime,
      dataDir: config.dataDir,
      python: async () => (await lazyRuntime()).python,
      metricsIntervalSeconds: config.run.metricsIntervalSeconds,
      launchSecret: loadLaunchSecret(config),
      ...(options.locustArgs ? { locustArgs: options.locustArgs } : {}),
      recoverRuns: !options.readOnly,
      // Nobody browses a CLI command's own control plane: no Swagger (`loadctl serve` has it).
      apiDocs: false,
      ...(options.headStart ? { headStart: options.headStart } : {}),
      ...(options.checkScript ? { checkScript: options.checkScript } : {}),
      log: options.log ?? ((message) => io.stderr.write(`${message}\n`)),
    });
  } catch (error) {
    await store.close();
    throw error;
  }
  return {
    client: new ApiClient({ baseUrl: controlPlane.url }),
    controlPlane,
    async close() {
      await controlPlane.close();
      await closeQuietly(store);
    },
  };
}

async function closeQuietly(store: Store): Promise<void> {
  try {
    await store.close();
  } catch {
    // closing is best effort; the data is already written
  }
}
