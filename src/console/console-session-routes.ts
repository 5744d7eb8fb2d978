import type { FastifyInstance, FastifyRequest } from 'fastify';
import { presentedToken, tokensMatch } from '../controlplane/auth.js';
import type { ControlPlaneDeps } from '../controlplane/context.js';
import { errorBody } from '../controlplane/error-handler.js';
import { errorResponse } from '../controlplane/response-schemas.js';
import {
  CSRF_HEADER,
  SESSION_COOKIE,
  clearedSessionCookie,
  cookieValue,
  csrfTokenMatches,
  csrfTokenOf,
  issueSession,
  sessionCookie,
  sessionIsValid,
  sessionKeysFor,
  type SessionKeys,
} from './session.js';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const SESSION_PATH = '/console/session';

declare module 'fastify' {
  interface FastifyRequest {
    /** The console session cookie this request was authenticated by, when the API token was not presented. */
    consoleSession?: string;
  }
}

/**
 * Reads the session cookie before the API-token check (server.ts accepts a request that has a
 * session), and refuses a state-changing request authenticated by the cookie alone unless it
 * carries the session's CSRF token: the cookie is sent by the browser, the header only by our pages.
 */
export function installConsoleSessions(app: FastifyInstance, deps: ControlPlaneDeps): void {
  if (!deps.apiToken) return;
  const keys = sessionKeysFor(deps.apiToken);
  app.addHook('onRequest', async (request, reply) => {
    if (presentedToken(request.headers) !== undefined) return; // the bearer check decides
    const session = cookieValue(request.headers.cookie, SESSION_COOKIE);
    if (!sessionIsValid(keys, session, deps.now())) return;
    const path = request.url.split('?')[0] ?? '';
    if (STATE_CHANGING.has(request.method) && path !== SESSION_PATH) {
      const presented = request.headers[CSRF_HEADER];
      if (!csrfTokenMatches(keys, session, typeof presented === 'string' ? presented : undefined)) {
        return reply.status(403).send(errorBody('LOADCTL_CSRF_TOKEN_INVALID', `This ${request.method} carries the console's session cookie but not its CSRF token (X-CSRF-Token); it is refused.`));
      }
    }
    request.consoleSession = session;
  });
}

const sessionState = {
  type: 'object',
  properties: {
    authRequired: { type: 'boolean' },
    authenticated: { type: 'boolean' },
    csrfToken: { type: 'string', description: 'Send it as X-CSRF-Token on every POST, PUT, PATCH and DELETE the session cookie authenticates.' },
    message: { type: 'string', description: 'Why a login did not open a session.' },
  },
  required: ['authRequired', 'authenticated'],
} as const;

/** GET/POST/DELETE /console/session: what the console needs to know, log in with the API token once, log out. */
export async function consoleSessionRoutes(app: FastifyInstance, { deps }: { deps: ControlPlaneDeps }): Promise<void> {
  const keys: SessionKeys | undefined = deps.apiToken ? sessionKeysFor(deps.apiToken) : undefined;
  const hide = true;

  app.get(SESSION_PATH, { schema: { hide, response: { 200: sessionState } } }, async (request: FastifyRequest) => {
    if (!keys) return { authRequired: false, authenticated: true };
    const session = request.consoleSession;
    return session ? { authRequired: true, authenticated: true, csrfToken: csrfTokenOf(keys, session) } : { authRequired: true, authenticated: false };
  });

  app.post<{ Body: { token: string } }>(
    SESSION_PATH,
    { schema: { hide, body: { type: 'object', properties: { token: { type: 'string', minLength: 1, maxLength: 4096 } }, required: ['token'], additionalProperties: false }, response: { 200: sessionState, 400: errorResponse } } },
    async (request, reply) => {
      if (!keys || !deps.apiToken) return { authRequired: false, authenticated: true };
      // A wrong token is an answer, not an error: the login page shows it (a 401 would also be logged as a console error).
      if (!tokensMatch(request.body.token, deps.apiToken)) return { authRequired: true, authenticated: false, message: 'That is not this control plane’s API token.' };
      const session = issueSession(keys, deps.now());
      void reply.header('set-cookie', sessionCookie(session, request.protocol === 'https'));
      return { authRequired: true, authenticated: true, csrfToken: csrfTokenOf(keys, session) };
    },
  );

  app.delete(SESSION_PATH, { schema: { hide, response: { 204: { type: 'null' } } } }, async (_request, reply) => {
    void reply.header('set-cookie', clearedSessionCookie());
    return reply.status(204).send();
  });
}

/** Paths anyone may load: the page, its files and the session route (they hold no data). */
export function isConsolePublicPath(path: string): boolean {
  return path === '/' || path === SESSION_PATH || /^\/console\/[a-z]+\.(js|css|svg)$/.test(path);
}
