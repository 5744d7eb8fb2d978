// Contract: health, start-up, and two Store instances sharing one database (two processes).
import { describe, expect, it } from 'vitest';
import type { Run } from '../../src/domain/types.js';
import { at, createTest, createTestAndRun, newRun, newSnapshot } from './_fixtures.js';
import type { CurrentStore } from './store-contract.js';

export function describeSharingContract(subject: CurrentStore): void {
  describe('health and sharing', () => {
    it('reports healthy while open', async () => {
      const { store } = subject();
      expect(await store.health()).toMatchObject({ ok: true, kind: expect.stringMatching(/^(embedded|mongodb)$/) });
    });

    it('can be initialised again without losing data', async () => {
      const { store } = subject();
      const { test } = await createTest(store);
      await store.init();
      expect(await store.getLoadTest(test.id)).toEqual(test);
    });

    it('shows each instance the other one’s writes', async () => {
      const { store, openSecondStore } = subject();
      if (!openSecondStore) throw new Error('the contract needs openSecondStore');
      const second = await openSecondStore();

      const { test, revision } = await createTest(store);
      expect(await second.getLoadTest(test.id)).toEqual(test);
      const run = await second.createRun(newRun(test.id, revision.id));
      expect(await store.getRun(run.id)).toEqual(run);

      const starting = await store.transitionRun(run.id, { from: ['Pending'], to: 'Starting', at: at(21) });
      expect((await second.getRun(run.id))?.status).toBe('Starting');
      // The second instance now sees Starting, so a change from Pending is refused there.
      expect(await second.transitionRun(run.id, { from: ['Pending'], to: 'Failed', at: at(22) })).toBeNull();
      expect(await store.getRun(run.id)).toEqual(starting);

      expect(await second.appendMetrics(run.id, newSnapshot(1))).toBe(true);
      expect(await store.appendMetrics(run.id, newSnapshot(1))).toBe(false);
      expect(await store.listMetrics(run.id)).toEqual([newSnapshot(1)]);
      expect((await store.listRuns({ loadTestId: test.id, limit: 10, offset: 0 })).total).toBe(1);
    });

    it(
      'lets exactly one of two instances win a concurrent transition',
      async () => {
        const { store, openSecondStore } = subject();
        if (!openSecondStore) throw new Error('the contract needs openSecondStore');
        const second = await openSecondStore();
        for (let round = 0; round < 5; round += 1) {
          const run = await createTestAndRun(store);
          const results = await Promise.all([
            store.transitionRun(run.id, { from: ['Pending'], to: 'Starting', at: at(21) }),
            second.transitionRun(run.id, { from: ['Pending'], to: 'Failed', at: at(21), reason: 'cancelled' }),
          ]);
          const winners = results.filter((result): result is Run => result !== null);
          expect(winners).toHaveLength(1);
          expect(await store.getRun(run.id)).toEqual(winners[0]);
        }
      },
    );
  });
}
