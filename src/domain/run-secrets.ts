// A run's two secrets and how they are kept at rest. The callback token is stored only as a
// hash (whoever reads the database must not be able to forge callbacks); the launch token is
// never stored: it is derived from the run id with a secret the control plane keeps.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Run } from './types.js';

const HASH_PREFIX = 'sha256:';

/** What is stored for a callback token. The token is 256 random bits, so a plain hash suffices. */
export function hashCallbackToken(token: string): string {
  return `${HASH_PREFIX}${createHash('sha256').update(token, 'utf8').digest('hex')}`;
}

/**
 * True when `presented` is the run's callback token, compared in constant time. Runs written
 * before tokens were hashed carry the token in clear (`callbackToken`): it still counts.
 */
export function callbackTokenMatches(run: Pick<Run, 'callbackTokenHash' | 'callbackToken'>, presented: string | undefined): boolean {
  if (presented === undefined) return false;
  const expected = run.callbackTokenHash ?? (run.callbackToken === undefined ? undefined : hashCallbackToken(run.callbackToken));
  if (expected === undefined) return false;
  const given = Buffer.from(hashCallbackToken(presented), 'utf8');
  const wanted = Buffer.from(expected, 'utf8');
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

/** The run as it may be written: a clear callback token becomes its hash, a launch token is dropped. */
export function sealRunSecrets(run: Run): Run {
  const { callbackToken, launchToken: _derivedNotStored, ...rest } = run;
  if (rest.callbackTokenHash !== undefined || callbackToken === undefined) return rest;
  return { ...rest, callbackTokenHash: hashCallbackToken(callbackToken) };
}

/** The LOADCTL_LAUNCH_TOKEN of the Locust that runs `runId`: the same on every control plane that holds `secret`. */
export function deriveLaunchToken(secret: string, runId: string): string {
  return createHmac('sha256', secret).update(`loadctl launch token\0${runId}`, 'utf8').digest('base64url');
}
