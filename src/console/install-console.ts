import type { FastifyInstance } from 'fastify';
import type { ControlPlaneDeps } from '../controlplane/context.js';
import { consolePageRoutes } from './page-routes.js';
import { consoleReportRoutes } from './report-routes.js';
import { installConsoleSessions, consoleSessionRoutes } from './console-session-routes.js';
import { runListStreamRoutes } from './run-stream.js';

export { isConsolePublicPath } from './console-session-routes.js';

/**
 * The console's hooks: its session cookie is read before the API-token check (so that check
 * knows a request with a session), and the plugin's callbacks leave the API's document.
 * Called before the token check and before any route is added.
 */
export function installConsoleHooks(app: FastifyInstance, deps: ControlPlaneDeps): void {
  installConsoleSessions(app, deps);
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/v1/internal/')) route.schema = { ...route.schema, hide: true };
  });
}

/**
 * The web console's routes: its page and files at /, its session, and the few API routes it
 * needs beyond the others (report downloads, a test's history, run comparison, a stream of
 * every run's status). Registered after the OpenAPI plugin, like every route group.
 */
export async function consoleRoutes(app: FastifyInstance, { deps }: { deps: ControlPlaneDeps }): Promise<void> {
  await app.register(consolePageRoutes, { deps });
  await app.register(consoleSessionRoutes, { deps });
  await app.register(consoleReportRoutes, { deps });
  await app.register(runListStreamRoutes, { deps });
}
