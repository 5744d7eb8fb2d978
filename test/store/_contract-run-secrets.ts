// Contract: no secret of a run is written in clear, and runs stored in clear by loadctl 0.1
// (fixtures/run-with-clear-tokens.json) still authenticate their callbacks.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { callbackTokenMatches } from '../../src/domain/run-secrets.js';
import type { Run } from '../../src/domain/types.js';
import { at, createTest, newRun } from './_fixtures.js';
import type { CurrentStore } from './store-contract.js';

const CALLBACK_TOKEN = 'clear-callback-token-0f1e2d3c4b5a69788796a5b4c3d2e1f0';
const LAUNCH_TOKEN = 'clear-launch-token-a1b2c3d4e5f60718293a4b5c6d7e8f90';

/** A run document as loadctl 0.1 wrote it: both tokens in clear. */
export function legacyRunFixture(loadTestId: string, scriptRevisionId: string): Run & { callbackToken: string; launchToken: string } {
  const fixture = JSON.parse(readFileSync(new URL('./fixtures/run-with-clear-tokens.json', import.meta.url), 'utf8')) as Run & { callbackToken: string; launchToken: string };
  return { ...fixture, loadTestId, scriptRevisionId };
}

export function describeRunSecretsContract(subject: CurrentStore): void {
  describe('run secrets at rest', () => {
    it('writes neither the callback token nor the launch token in clear, yet the callback token still authenticates', async () => {
      const { store, rawRun } = subject();
      const { test, revision } = await createTest(store);
      const run = newRun(test.id, revision.id, { callbackToken: CALLBACK_TOKEN, launchToken: LAUNCH_TOKEN });
      delete run.callbackTokenHash;
      const created = await store.createRun(run);

      const raw = await rawRun(run.id);
      expect(raw).toContain(run.id); // the document read is this run's
      expect(raw).not.toContain(CALLBACK_TOKEN);
      expect(raw).not.toContain(LAUNCH_TOKEN);
      expect(raw).not.toMatch(/"(callbackToken|launchToken)"/);

      const stored = (await store.getRun(run.id))!;
      expect(stored).toEqual(created);
      expect(stored).not.toHaveProperty('callbackToken');
      expect(stored).not.toHaveProperty('launchToken');
      expect(callbackTokenMatches(stored, CALLBACK_TOKEN)).toBe(true);
      expect(callbackTokenMatches(stored, `${CALLBACK_TOKEN}x`)).toBe(false);
      expect(callbackTokenMatches(stored, undefined)).toBe(false);
    });

    it('still authenticates a run stored with a clear token by the previous version, before and after it changes', async () => {
      const { store, insertRawRun } = subject();
      const { test, revision } = await createTest(store);
      const legacy = legacyRunFixture(test.id, revision.id);
      await insertRawRun(legacy);

      const read = (await store.getRun(legacy.id))!;
      expect(read.status).toBe('Running');
      expect(callbackTokenMatches(read, legacy.callbackToken)).toBe(true);
      expect(callbackTokenMatches(read, 'a-wrong-token')).toBe(false);
      // recovery talks to that run's Locust with the launch token it was started with
      expect(read.launchToken).toBe(legacy.launchToken);

      const moved = (await store.transitionRun(legacy.id, { from: ['Running'], to: 'Stopping', at: at(30), reason: 'stop requested' }))!;
      expect(moved.status).toBe('Stopping');
      const after = (await store.getRun(legacy.id))!;
      expect(callbackTokenMatches(after, legacy.callbackToken)).toBe(true);
      expect(after.launchToken).toBe(legacy.launchToken);
    });
  });
}
