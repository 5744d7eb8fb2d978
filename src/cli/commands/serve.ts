import type { LoadctlConfig } from '../../config/config.js';
import { startControlPlane } from '../../controlplane/start-control-plane.js';
import { LoadctlError } from '../../domain/errors.js';
import { lazyLocustRuntime } from '../ensure-runtime.js';
import { loadLaunchSecret } from '../launch-secret.js';
import { openConfiguredStore } from '../open-configured-store.js';
import type { CliIo } from '../io.js';
import { logRunTransitions } from './_run-transition-log.js';

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|::1)$/;

/** `loadctl serve`: the control plane in the foreground until SIGINT/SIGTERM. */
export async function serve({ config, io, signals = process }: { config: LoadctlConfig; io: CliIo; signals?: Pick<NodeJS.Process, 'once'> }): Promise<number> {
  if (!LOOPBACK.test(config.server.host) && !config.security.apiToken) {
    throw new LoadctlError('LOADCTL_CONFIG_INVALID', `Refusing to listen on ${config.server.host} without an API token: anyone who reaches it could upload code that Locust runs. Set security.apiToken in the config (or --token / LOADCTL_TOKEN), or listen on 127.0.0.1.`);
  }
  const log = (message: string): void => void io.stderr.write(`${new Date().toISOString()} ${message}\n`);
  for (const notice of config.notices ?? []) log(notice);
  const store = await openConfiguredStore(config);
  const lazyRuntime = lazyLocustRuntime(config, io);
  const controlPlane = await startControlPlane({
    store,
    host: config.server.host,
    port: config.server.port,
    runtime: lazyRuntime,
    dataDir: config.dataDir,
    python: async () => (await lazyRuntime()).python,
    ...(config.security.apiToken ? { apiToken: config.security.apiToken } : {}),
    allowedHosts: config.server.allowedHosts,
    launchSecret: loadLaunchSecret(config),
    ...(config.security.locustCallbackToken ? { locustCallbackToken: config.security.locustCallbackToken } : {}),
    locustClusters: config.locustClusters,
    defaultThresholds: config.run.defaultThresholds,
    metricsIntervalSeconds: config.run.metricsIntervalSeconds,
    log,
  }).catch(async (error: unknown) => {
    await store.close();
    throw error;
  });
  const storeName = config.mongodb ? `MongoDB database ${config.mongodb.database}` : `embedded store in ${config.dataDir}`;
  log(`loadctl control plane listening on ${controlPlane.url} (${storeName})`);
  log(`console: ${controlPlane.url}/  API: ${controlPlane.url}/v1  Swagger UI: ${controlPlane.url}/swagger`);
  const stopLogging = logRunTransitions((listener) => controlPlane.events.subscribeAll(listener), log);

  await new Promise<void>((resolve) => {
    signals.once('SIGINT', resolve);
    signals.once('SIGTERM', resolve);
  });
  log('shutting down: stopping active runs');
  await controlPlane.close();
  stopLogging();
  await store.close();
  return 0;
}
