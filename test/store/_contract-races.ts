// Contract: two processes (or two clients) racing the same transitions on one database.
// Exactly one wins each run, whatever the interleaving: nothing relies on a per-process lock.
// And a test's recentRuns, read from its runs, lists every run that ended, however many at once.
import { describe, expect, it } from 'vitest';
import type { Run } from '../../src/domain/types.js';
import { RECENT_RUNS_KEPT, type Transition } from '../../src/store/store.js';
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

    // With the stored list this replaced, a read-modify-write without its claim lost entries here.
    it('lists every one of the runs of a test that end at once in two processes', async () => {
      const { store, startRival } = subject();
      const tests: { id: string; runIds: string[] }[] = [];
      for (let round = 0; round < 8; round += 1) {
        const { test, revision } = await createTest(store);
        const runs: Run[] = [];
        for (let index = 0; index < RECENT_RUNS_KEPT; index += 1) {
          runs.push(await store.createRun(newRun(test.id, revision.id, { status: 'Running', createdAt: at(index) })));
        }
        tests.push({ id: test.id, runIds: runs.map((run) => run.id) });
      }
      const ours = tests.flatMap((test) => test.runIds.filter((_, index) => index % 2 === 0));
      const theirs = tests.flatMap((test) => test.runIds.filter((_, index) => index % 2 === 1));
      const ending: Transition = { from: ['Running'], to: 'Finished', at: at(60), patch: { finishedAt: at(60) } };

      const rival = startRival(theirs, ending);
      await rival.ready;
      rival.go();
      const ended = await Promise.all(ours.map((id) => store.transitionRun(id, ending)));
      expect([...ended, ...(await rival.results)].map((run) => run?.status)).toEqual(Array(ours.length + theirs.length).fill('Finished'));

      for (const test of tests) {
        const listed = (await store.getLoadTest(test.id))?.recentRuns.map((summary) => summary.runId);
        expect(listed?.sort()).toEqual([...test.runIds].sort());
      }
    });
  });
}
