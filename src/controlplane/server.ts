import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { readFileSync } from 'node:fs';
import { LoadctlError } from '../domain/errors.js';
import { presentedToken, tokensMatch } from './auth.js';
import type { ControlPlaneDeps } from './context.js';
import { installErrorHandling, errorBody } from './error-handler.js';
import { installRequestOriginChecks } from './request-origin.js';
import { installValidators } from './validators.js';
import { lazySerializers } from './serializers.js';
import { consoleRoutes, installConsoleHooks, isConsolePublicPath, withoutCallbackRoutes } from '../console/install-console.js';
import { callbackRoutes } from './routes/callbacks.js';
import { harnessMonitoringRoutes } from './routes/harness-monitoring.js';
import { healthRoutes } from './routes/health.js';
import { loadTestRoutes } from './routes/load-tests.js';
import { runEventRoutes } from './routes/run-events.js';
import { runRoutes } from './routes/runs.js';

const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

// Documentation and health are public; callbacks carry their run's own token instead.
const PUBLIC_PATHS = /^\/(health|openapi\.json|swagger(\/.*)?)$/;

/** Base64 of a 1 MiB script plus the other fields. */
export const BODY_LIMIT_BYTES = 2 * 1024 * 1024;

/** The control plane's HTTP app, not yet listening (tests use `app.inject()`). */
export async function buildControlPlane(deps: ControlPlaneDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: false,
    bodyLimit: BODY_LIMIT_BYTES,
    schemaController: { compilersFactory: { buildSerializer: lazySerializers() } },
    // Errors Fastify raises before routing (bad percent-encoding, over-long path parameters) get our error shape too.
    frameworkErrors: (error, _request, reply) => {
      void (reply as unknown as FastifyReply).status(400).send(errorBody('LOADCTL_BAD_REQUEST', `The request URL is not valid: ${error.message}`));
    },
  });
  installValidators(app);
  installErrorHandling(app, deps.log);
  // Before authentication: a browser page must not learn even whether a token is needed.
  installRequestOriginChecks(app, { requireLoopbackHost: !deps.apiToken, allowedHosts: deps.allowedHosts ?? [] });

  installConsoleHooks(app, deps);
  if (deps.apiToken) {
    const apiToken = deps.apiToken;
    app.addHook('onRequest', async (request, reply) => {
      const path = request.url.split('?')[0] ?? '';
      if (PUBLIC_PATHS.test(path) || path.startsWith('/v1/internal/') || isConsolePublicPath(path) || request.consoleSession) return;
      const token = presentedToken(request.headers);
      if (token === undefined) return reply.status(401).send(errorBody('LOADCTL_UNAUTHORIZED', 'This control plane needs an API token: send Authorization: Bearer <token> (loadctl --token / LOADCTL_TOKEN).'));
      if (!tokensMatch(token, apiToken)) return reply.status(401).send(errorBody('LOADCTL_UNAUTHORIZED', 'The API token is wrong.'));
    });
  }

  if (deps.apiDocs ?? true) await registerApiDocs(app, deps);

  await app.register(healthRoutes, { deps });
  await app.register(loadTestRoutes, { deps });
  await app.register(runRoutes, { deps });
  await app.register(runEventRoutes, { deps });
  await app.register(harnessMonitoringRoutes, { deps });
  await app.register(callbackRoutes, { deps });
  await app.register(consoleRoutes, { deps });
  return app;
}

export interface RunningControlPlane {
  app: FastifyInstance;
  url: string;
  close(): Promise<void>;
}

export async function listen(app: FastifyInstance, host: string, port: number): Promise<RunningControlPlane> {
  try {
    await app.listen({ host, port });
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    const hint = code === 'EADDRINUSE' ? `port ${port} is in use; pick another with --port` : (cause as Error).message;
    throw new LoadctlError('LOADCTL_CONFIG_INVALID', `The control plane cannot listen on ${host}:${port}: ${hint}.`, { cause });
  }
  const address = app.server.address();
  const boundPort = typeof address === 'object' && address ? address.port : port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return { app, url: `http://${shownHost === '0.0.0.0' ? '127.0.0.1' : shownHost}:${boundPort}`, close: () => app.close() };
}

/** The OpenAPI document, generated from the route schemas (so registered before them), and Swagger UI. */
async function registerApiDocs(app: FastifyInstance, deps: ControlPlaneDeps): Promise<void> {
  const [{ default: swagger }, { default: swaggerUi }] = await Promise.all([import('@fastify/swagger'), import('@fastify/swagger-ui')]);
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'loadctl control plane', version: VERSION, description: 'Load tests, script revisions, runs and their metrics; the callbacks of the Locust plugin.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'The API token (security.apiToken) on /v1; the run token on /v1/internal/locust callbacks (or, from clusters running the replaced system’s plugin, X-Locust-Token: security.locustCallbackToken; docs/HARNESS-PLUGIN.md).' } } },
      ...(deps.apiToken ? { security: [{ bearer: [] }] } : {}),
    },
  });
  // Group the document by what a route is about, from its path.
  app.addHook('onRoute', (route) => {
    if (route.schema?.hide) return;
    route.schema = { ...route.schema, tags: route.schema?.tags ?? [tagOf(route.url)] };
  });
  // Served from the npm package: works with no internet access.
  await app.register(swaggerUi, { routePrefix: '/swagger', transformSpecification: withoutCallbackRoutes });
  // The replaced system served its Swagger UI here, and its scripts print this address.
  app.get('/swagger/index.html', { schema: { hide: true } }, async (_request, reply) => reply.redirect('/swagger/'));
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}

function tagOf(path: string): string {
  if (path.startsWith('/v1/internal/')) return 'plugin callbacks';
  if (path.includes('/script')) return 'scripts';
  if (path.startsWith('/v1/visualization/') || /\/(graph|requests|metrics\/scatter)$/.test(path)) return 'monitoring';
  if (path.includes('/metrics')) return 'metrics';
  if (path.startsWith('/v1/runs') || path.endsWith('/runs')) return 'runs';
  if (path.startsWith('/v1/load-tests')) return 'load tests';
  return 'service';
}
