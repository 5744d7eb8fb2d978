// The console's session when the control plane has an API token: the browser presents the
// token once and gets a cookie instead, so the token never sits in a URL or in localStorage.
// The cookie is signed, not stored: every `serve` that shares the token (and a MongoDB)
// accepts it, and changing the token ends every session.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const SESSION_COOKIE = 'loadctl_session';
export const CSRF_HEADER = 'x-csrf-token';
/** A working day: long enough for a session of load tests, short enough to expire overnight. */
export const SESSION_SECONDS = 12 * 60 * 60;

export interface SessionKeys {
  /** Signs session cookies and derives each session's CSRF token. */
  key: Buffer;
}

export function sessionKeysFor(apiToken: string): SessionKeys {
  return { key: createHmac('sha256', 'loadctl console session').update(apiToken).digest() };
}

/** A new cookie value: random id, expiry (epoch seconds), signature. */
export function issueSession(keys: SessionKeys, now: Date): string {
  const id = randomBytes(18).toString('base64url');
  const expires = Math.floor(now.getTime() / 1000) + SESSION_SECONDS;
  const body = `${id}.${expires}`;
  return `${body}.${sign(keys, body)}`;
}

/** True when the value is one we signed and it has not expired. */
export function sessionIsValid(keys: SessionKeys, value: string | undefined, now: Date): value is string {
  if (!value) return false;
  const parts = value.split('.');
  if (parts.length !== 3) return false;
  const [id, expires, signature] = parts as [string, string, string];
  if (!equalText(sign(keys, `${id}.${expires}`), signature)) return false;
  return Number(expires) * 1000 > now.getTime();
}

/** The CSRF token of a session: a page of ours reads it from GET /console/session and echoes it in a header. */
export function csrfTokenOf(keys: SessionKeys, session: string): string {
  return sign(keys, `csrf:${session}`);
}

export function csrfTokenMatches(keys: SessionKeys, session: string, presented: string | undefined): boolean {
  return presented !== undefined && equalText(csrfTokenOf(keys, session), presented);
}

/** The value of one cookie from a Cookie header. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export function sessionCookie(value: string, secure: boolean): string {
  return `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${SESSION_SECONDS}${secure ? '; Secure' : ''}`;
}

export function clearedSessionCookie(): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`;
}

function sign(keys: SessionKeys, text: string): string {
  return createHmac('sha256', keys.key).update(text).digest('base64url');
}

function equalText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
