// Contract: one run in progress per Locust cluster, decided by the store when two start at once.
import { describe, expect, it } from 'vitest';
import type { Run } from '../../src/domain/types.js';
import { at, createTest, newRun } from './_fixtures.js';
import type { CurrentStore } from './store-contract.js';

export function describeClusterContract(subject: CurrentStore): void {
  describe('runs on a Locust cluster', () => {
    it('refuses a second run on a busy cluster and keeps nothing of it; an ended run frees the cluster', async () => {
      const { store } = subject();
      const { test, revision } = await createTest(store);
      const first = await store.createRun(newRun(test.id, revision.id, { locustClusterId: 'shared' }));
      const second = newRun(test.id, revision.id, { locustClusterId: 'shared' });
      await expect(store.createRun(second)).rejects.toMatchObject({ code: 'LOADCTL_RUN_CONFLICT', details: { runId: first.id } });
      expect(await store.getRun(second.id)).toBeNull();
      // Another cluster, or none, is not affected.
      await store.createRun(newRun(test.id, revision.id, { locustClusterId: 'other' }));
      await store.createRun(newRun(test.id, revision.id));

      await store.transitionRun(first.id, { from: ['Pending'], to: 'Failed', at: at(30), reason: 'locust died' });
      expect((await store.createRun(second)).id).toBe(second.id);
    });

    it('lets exactly one of two instances start a run on a free cluster at once', async () => {
      const { store, openSecondStore } = subject();
      if (!openSecondStore) throw new Error('the contract needs openSecondStore');
      const second = await openSecondStore();
      const { test, revision } = await createTest(store);
      for (let round = 0; round < 5; round += 1) {
        const clusterId = `cluster-${round}`;
        const runs = [newRun(test.id, revision.id, { locustClusterId: clusterId }), newRun(test.id, revision.id, { locustClusterId: clusterId })];
        const results = await Promise.allSettled([store.createRun(runs[0]!), second.createRun(runs[1]!)]);
        const created = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
        expect(created, clusterId).toHaveLength(1);
        expect(results.find((result) => result.status === 'rejected')?.reason, clusterId).toMatchObject({ code: 'LOADCTL_RUN_CONFLICT' });
        const kept = (await store.listRuns({ loadTestId: test.id, limit: 100, offset: 0 })).items.filter((run: Run) => run.locustClusterId === clusterId);
        expect(kept.map((run) => run.id)).toEqual([created[0]!.id]);
      }
    });
  });
}
