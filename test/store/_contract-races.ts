// Contract: two processes (or two clients) racing the same transitions on one database.
// Exactly one wins each run, whatever the interleaving: nothing relies on a per-process lock.
import { describe, expect, it } from 'vitest';
import type { Run } from '../../src/domain/types.js';
import { at, createTest, newRun } from './_fixtures.js';
import type { CurrentStore } from './store-contract.js';

const ROUNDS = 40;

export function describeRaceContract(subject: CurrentStore): void {
  describe('races between processes', () => {
    it(`lets exactly one of two processes win each of ${ROUNDS} concurrent transitions`, async () => {
      const { store, startRival } = subject();
      const { test, revision } = await createTest(store);
      const runs: Run[] = [];
      for (let round = 0; round < ROUNDS; round += 1) runs.push(await store.createRun(newRun(test.id, revision.id)));
      const ids = runs.map((run) => run.id);

      const rival = startRival(ids, { from: ['Pending'], to: 'Failed', at: at(21), reason: 'cancelled' });
      await rival.ready;
      rival.go();
      const ours: (Run | null)[] = [];
      for (const id of ids) ours.push(await store.transitionRun(id, { from: ['Pending'], to: 'Starting', at: at(21) }));
      const theirs = await rival.results;

      for (const [index, id] of ids.entries()) {
        const winners = [ours[index], theirs[index]].filter((result): result is Run => result !== null);
        expect(winners, `run ${index}`).toHaveLength(1);
        const stored = await store.getRun(id);
        expect(stored, `run ${index}`).toEqual(winners[0]);
        expect(stored?.statusHistory, `run ${index}`).toHaveLength(2);
      }
    });
  });
}
