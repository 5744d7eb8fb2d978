import { timingSafeEqual, createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** Constant-time comparison; hashing first makes both sides the same length. */
export function tokensMatch(presented: string | undefined, expected: string): boolean {
  if (presented === undefined) return false;
  const digest = (value: string): Buffer => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}

/** The token from `Authorization: Bearer …`, or from `X-Locust-Token` (plugins written for the system we replace). */
export function presentedToken(headers: IncomingHttpHeaders, allowLocustHeader = false): string | undefined {
  const authorization = headers.authorization;
  if (typeof authorization === 'string') {
    const match = /^Bearer\s+(.+)$/i.exec(authorization.trim());
    if (match) return match[1];
  }
  const legacy = headers['x-locust-token'];
  if (allowLocustHeader && typeof legacy === 'string' && legacy !== '') return legacy;
  return undefined;
}
