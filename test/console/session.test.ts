import { describe, expect, it } from 'vitest';
import { cookieValue, csrfTokenMatches, csrfTokenOf, issueSession, sessionIsValid, sessionKeysFor, SESSION_SECONDS } from '../../src/console/session.js';

describe('console session cookie', () => {
  const keys = sessionKeysFor('token-a');
  const now = new Date('2026-01-01T00:00:00Z');

  it('accepts what it signed until it expires, and nothing another token signed', () => {
    const session = issueSession(keys, now);
    expect(sessionIsValid(keys, session, now)).toBe(true);
    expect(sessionIsValid(keys, session, new Date(now.getTime() + SESSION_SECONDS * 1000 - 1))).toBe(true);
    expect(sessionIsValid(keys, session, new Date(now.getTime() + SESSION_SECONDS * 1000))).toBe(false);
    expect(sessionIsValid(sessionKeysFor('token-b'), session, now)).toBe(false);
    expect(sessionIsValid(keys, `${session}x`, now)).toBe(false);
    expect(sessionIsValid(keys, undefined, now)).toBe(false);
    expect(sessionIsValid(keys, 'a.b', now)).toBe(false);
  });

  it('each session has its own CSRF token', () => {
    const one = issueSession(keys, now);
    const two = issueSession(keys, now);
    expect(one).not.toBe(two);
    expect(csrfTokenMatches(keys, one, csrfTokenOf(keys, one))).toBe(true);
    expect(csrfTokenMatches(keys, one, csrfTokenOf(keys, two))).toBe(false);
    expect(csrfTokenMatches(keys, one, undefined)).toBe(false);
  });

  it('reads one cookie from a Cookie header', () => {
    expect(cookieValue('a=1; loadctl_session=x.y.z; b=2', 'loadctl_session')).toBe('x.y.z');
    expect(cookieValue('loadctl_sessionx=1', 'loadctl_session')).toBeUndefined();
    expect(cookieValue(undefined, 'loadctl_session')).toBeUndefined();
  });
});
