import type { FastifyInstance } from 'fastify';
import type { ControlPlaneDeps } from '../controlplane/context.js';
import { consolePageRoutes } from './page-routes.js';
import { consoleReportRoutes } from './report-routes.js';
import { installConsoleSessions, consoleSessionRoutes } from './console-session-routes.js';
import { runListStreamRoutes } from './run-stream.js';

export { isConsolePublicPath } from './console-session-routes.js';

/**
 * The console's hook: its session cookie is read before the API-token check (so that check
 * knows a request with a session). Called before the token check is installed.
 */
export function installConsoleHooks(app: FastifyInstance, deps: ControlPlaneDeps): void {
  installConsoleSessions(app, deps);
}

/**
 * The Swagger UI's copy of the API document without the plugin's callbacks, which are for the
 * plugin only. /openapi.json keeps them: it is the whole contract (and what the fuzz tests read).
 */
export function withoutCallbackRoutes<T extends { paths?: Record<string, unknown>; tags?: Array<{ name: string }> }>(document: T): T {
  const paths = Object.fromEntries(Object.entries(document.paths ?? {}).filter(([path]) => !path.startsWith('/v1/internal/')));
  return { ...document, paths, ...(document.tags ? { tags: document.tags.filter((tag) => tag.name !== 'plugin callbacks') } : {}) };
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
