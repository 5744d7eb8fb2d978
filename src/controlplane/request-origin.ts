// Who may address the control plane from a browser. A web page can make the user's browser
// send requests to 127.0.0.1: a cross-origin POST needs no CORS preflight when it is a "simple"
// request, and a page whose name the attacker rebinds to 127.0.0.1 (DNS rebinding) is even
// same-origin. Without an API token, loopback names in Host are all that tells us apart.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { errorBody } from './error-handler.js';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const LOOPBACK_IPV4 = /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

export interface RequestOriginOptions {
  /** Without an API token only loopback names and these are accepted in Host. */
  requireLoopbackHost: boolean;
  /** Lower-case host names without port, from server.allowedHosts. */
  allowedHosts: readonly string[];
}

/** Refuses foreign Host names (no-token servers) and cross-origin state-changing requests (every server). */
export function installRequestOriginChecks(app: FastifyInstance, options: RequestOriginOptions): void {
  const allowed = new Set(options.allowedHosts.map((host) => host.toLowerCase()));
  app.addHook('onRequest', async (request, reply) => {
    const host = request.headers.host;
    if (options.requireLoopbackHost) {
      const name = host === undefined ? undefined : hostnameOf(host);
      if (name === undefined || !(isLoopbackName(name) || allowed.has(name))) {
        return reply.status(421).send(
          errorBody('LOADCTL_HOST_NOT_ALLOWED', `This control plane has no API token, so it answers only requests addressed to localhost, 127.0.0.1 or [::1] (or a name in server.allowedHosts), not to "${host ?? ''}".`),
        );
      }
    }
    if (STATE_CHANGING.has(request.method) && isCrossOrigin(request)) {
      return reply.status(403).send(
        errorBody('LOADCTL_ORIGIN_NOT_ALLOWED', `A ${request.method} from a web page of another site (Origin ${String(request.headers.origin)}) is refused; use the CLI, curl or this server's own pages.`),
      );
    }
  });
}

/** True when the request names an Origin that is not this server as the client addressed it. */
function isCrossOrigin(request: FastifyRequest): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return false; // not a browser page: the CLI, curl, the plugin
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return true; // "null" (sandboxed frames, file://) or garbage: never our own page
  }
  const ownHost = request.headers.host?.toLowerCase();
  return !(url.protocol === 'http:' || url.protocol === 'https:') || ownHost === undefined || url.host !== withDefaultPortRemoved(ownHost, url.protocol);
}

// The URL parser drops a default port from Origin (http://x:80 → x); Host may still carry it.
function withDefaultPortRemoved(host: string, protocol: string): string {
  const port = protocol === 'https:' ? ':443' : ':80';
  return host.endsWith(port) ? host.slice(0, -port.length) : host;
}

/** `[::1]:8080` → `[::1]`, `LocalHost:8080` → `localhost`; undefined when it cannot be a host. */
export function hostnameOf(host: string): string | undefined {
  const trimmed = host.trim().toLowerCase();
  const match = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::\d{1,5})?$/.exec(trimmed);
  return match?.[1]?.replace(/\.$/, '');
}

export function isLoopbackName(name: string): boolean {
  return name === 'localhost' || name === '[::1]' || LOOPBACK_IPV4.test(name);
}
