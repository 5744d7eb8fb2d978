// Contract: changing and deleting a load test after it was created.
import { describe, expect, it } from 'vitest';
import type { Run } from '../../src/domain/types.js';
import type { Store } from '../../src/store/store.js';
import { at, createTest, newRevision, newRun, newSnapshot } from './_fixtures.js';
import type { CurrentStore } from './store-contract.js';

/** A test with two revisions and a finished run with two pushes (so a recent-run entry). */
async function createTestWithHistory(store: Store) {
  const { test, revision } = await createTest(store);
  const second = await store.addScriptRevision(test.id, newRevision({ createdAt: at(5) }));
  if (!second) throw new Error('the second revision was not added');
  const run = await store.createRun(newRun(test.id, revision.id, { status: 'Finished' }));
  await store.appendMetrics(run.id, newSnapshot(1));
  await store.appendMetrics(run.id, newSnapshot(2));
  return { test: (await store.getLoadTest(test.id))!, revisions: [revision, second], run: (await store.getRun(run.id))! };
}

export function describeLoadTestChangesContract(subject: CurrentStore): void {
  describe('updateLoadTest', () => {
    it('changes the given fields, keeps every other one and reads back the same', async () => {
      const { store } = subject();
      const { test, run } = await createTestWithHistory(store);
      expect(test.recentRuns.map((entry) => entry.runId)).toEqual([run.id]);
      const updated = await store.updateLoadTest(test.id, {
        name: 'Checkout v2',
        description: '',
        tags: [],
        targetUrl: 'https://shop.test',
        defaultUsers: 50,
        defaultSpawnRate: 0.5,
        defaultDurationSec: 120,
        updatedAt: at(60),
      });

      expect(updated).toEqual({
        ...test,
        name: 'Checkout v2',
        description: '',
        tags: [],
        targetUrl: 'https://shop.test',
        defaultUsers: 50,
        defaultSpawnRate: 0.5,
        defaultDurationSec: 120,
        updatedAt: at(60),
      });
      expect(await store.getLoadTest(test.id)).toEqual(updated);
      // The name filter sees the new name, not the old one.
      expect((await store.listLoadTests({ name: 'v2', limit: 10, offset: 0 })).items.map((item) => item.id)).toEqual([test.id]);
      expect((await store.listLoadTests({ name: 'flow', limit: 10, offset: 0 })).total).toBe(0);
    });

    it('merges extra fields key by key, removing those given as null, awkward metadata keys intact', async () => {
      const { store } = subject();
      const { test } = await createTest(store);
      const metadata = { 'release.train': 'r42', $team: 'shop' };
      const updated = await store.updateLoadTest(test.id, { extra: { scenarioId: 'p-9', createdBy: null, metadata }, updatedAt: at(61) });
      expect(updated?.extra).toEqual({ scenarioId: 'p-9', metadata });
      expect((await store.getLoadTest(test.id))?.extra).toEqual({ scenarioId: 'p-9', metadata });
    });

    it('removes the duration cap when given null', async () => {
      const { store } = subject();
      const { test } = await createTest(store);
      expect(test.maxDurationSec).toBe(600);
      const updated = await store.updateLoadTest(test.id, { maxDurationSec: null, defaultDurationSec: 3600, updatedAt: at(62) });
      expect(updated).not.toHaveProperty('maxDurationSec');
      expect(await store.getLoadTest(test.id)).toEqual(updated);
    });

    it.each([
      { patch: { maxDurationSec: 10 }, field: 'maxDurationSec' },
      { patch: { defaultDurationSec: 601 }, field: 'defaultDurationSec' },
      { patch: { defaultDurationSec: 90, maxDurationSec: 60 }, field: 'defaultDurationSec' },
    ])('refuses $patch (default above the cap) naming $field, and writes nothing', async ({ patch, field }) => {
      const { store } = subject();
      const { test } = await createTest(store);
      await expect(store.updateLoadTest(test.id, { ...patch, name: 'changed', updatedAt: at(63) })).rejects.toMatchObject({
        code: 'LOADCTL_BAD_REQUEST',
        details: { field },
      });
      expect(await store.getLoadTest(test.id)).toEqual(test);
    });

    it('lets the default and the cap move together', async () => {
      const { store } = subject();
      const { test } = await createTest(store);
      const updated = await store.updateLoadTest(test.id, { defaultDurationSec: 900, maxDurationSec: 900, updatedAt: at(64) });
      expect(updated).toMatchObject({ defaultDurationSec: 900, maxDurationSec: 900 });
    });

    it('returns null for a missing test and creates nothing', async () => {
      const { store } = subject();
      expect(await store.updateLoadTest('lt_missing', { name: 'ghost', updatedAt: at(65) })).toBeNull();
      expect(await store.getLoadTest('lt_missing')).toBeNull();
      expect((await store.listLoadTests({ limit: 10, offset: 0 })).total).toBe(0);
    });

    it('loses no concurrent change: other extra keys, a new revision and a run that ends all survive', async () => {
      const { store } = subject();
      const { test, revision } = await createTest(store);
      const run = await store.createRun(newRun(test.id, revision.id, { status: 'Running' }));
      const [, , added] = await Promise.all([
        store.updateLoadTest(test.id, { extra: { updatedBy: 'acc-1' }, updatedAt: at(70) }),
        store.updateLoadTest(test.id, { extra: { scenarioId: 'env-2' }, defaultUsers: 9, updatedAt: at(71) }),
        store.addScriptRevision(test.id, newRevision({ createdAt: at(72) })),
        store.transitionRun(run.id, { from: ['Running'], to: 'Finished', at: at(72), patch: { finishedAt: at(72) } }),
        store.updateLoadTest(test.id, { tags: ['nightly'], updatedAt: at(73) }),
      ]);

      const stored = await store.getLoadTest(test.id);
      expect(stored?.extra).toEqual({ ...test.extra, updatedBy: 'acc-1', scenarioId: 'env-2' });
      expect(stored).toMatchObject({ defaultUsers: 9, tags: ['nightly'], latestRevision: 2, latestRevisionId: added?.id });
      expect(stored?.recentRuns.map((entry) => entry.runId)).toEqual([run.id]);
    });
  });

  describe('deleteLoadTest', () => {
    it('deletes the test with its revisions, runs and metrics, and nothing of another test', async () => {
      const { store } = subject();
      const doomed = await createTestWithHistory(store);
      const kept = await createTestWithHistory(store);

      expect(await store.deleteLoadTest(doomed.test.id)).toBe(true);

      expect(await store.getLoadTest(doomed.test.id)).toBeNull();
      expect(await store.listScriptRevisions(doomed.test.id)).toEqual([]);
      for (const revision of doomed.revisions) expect(await store.getScriptRevision(revision.id)).toBeNull();
      expect(await store.getScriptRevisionByNumber(doomed.test.id, 1)).toBeNull();
      expect(await store.getRun(doomed.run.id)).toBeNull();
      expect(await store.listMetrics(doomed.run.id)).toEqual([]);
      expect(await store.listRuns({ loadTestId: doomed.test.id, limit: 10, offset: 0 })).toEqual({ total: 0, items: [] });

      expect(await store.listLoadTests({ limit: 10, offset: 0 })).toEqual({ total: 1, items: [kept.test] });
      expect(await store.listScriptRevisions(kept.test.id)).toEqual(kept.revisions);
      expect(await store.getRun(kept.run.id)).toEqual(kept.run);
      expect((await store.listMetrics(kept.run.id)).map((push) => push.seq)).toEqual([1, 2]);
    });

    it('returns false for a test that does not exist, also when asked twice', async () => {
      const { store } = subject();
      const { test } = await createTest(store);
      expect(await store.deleteLoadTest('lt_missing')).toBe(false);
      expect(await store.deleteLoadTest(test.id)).toBe(true);
      expect(await store.deleteLoadTest(test.id)).toBe(false);
    });

    it.each(['Pending', 'Starting', 'Running', 'Stopping'] as const)('refuses while a run is %s, deleting nothing', async (status) => {
      const { store } = subject();
      const { test, revisions } = await createTestWithHistory(store);
      const active = await store.createRun(newRun(test.id, revisions[1]!.id, { status, createdAt: at(30) }));
      await store.appendMetrics(active.id, newSnapshot(1));

      await expect(store.deleteLoadTest(test.id)).rejects.toMatchObject({
        code: 'LOADCTL_RUN_CONFLICT',
        details: { runId: active.id, status },
      });
      expect(await store.getLoadTest(test.id)).toEqual(test);
      expect(await store.listScriptRevisions(test.id)).toEqual(revisions);
      expect((await store.listRuns({ loadTestId: test.id, limit: 10, offset: 0 })).total).toBe(2);
      expect(await store.listMetrics(active.id)).toHaveLength(1);
    });

    it('leaves no way to add to a deleted test', async () => {
      const { store } = subject();
      const { test, revision } = await createTest(store);
      await store.deleteLoadTest(test.id);

      const run: Run = newRun(test.id, revision.id);
      await expect(store.createRun(run)).rejects.toMatchObject({ code: 'LOADCTL_TEST_NOT_FOUND' });
      expect(await store.getRun(run.id)).toBeNull();
      expect(await store.addScriptRevision(test.id, newRevision())).toBeNull();
      expect(await store.listScriptRevisions(test.id)).toEqual([]);
      expect(await store.updateLoadTest(test.id, { name: 'back', updatedAt: at(80) })).toBeNull();
    });
  });
}
