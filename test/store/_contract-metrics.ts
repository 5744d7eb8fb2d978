// Contract: metrics pushes, the run's lastMetrics, and a test's recent runs (read from its runs).
import { describe, expect, it } from 'vitest';
import { LoadctlError } from '../../src/domain/errors.js';
import { RECENT_RUNS_KEPT } from '../../src/store/store.js';
import type { MetricsSnapshot, Run } from '../../src/domain/types.js';
import type { Store } from '../../src/store/store.js';
import { AWKWARD_ENDPOINTS, at, createTest, createTestAndRun, newRun, newSnapshot, newSummary } from './_fixtures.js';
import type { CurrentStore } from './store-contract.js';
import { summarizePush, toHistogram } from '../../src/domain/push-summary.js';
import { runStartOf } from '../../src/domain/timeseries.js';
import { readTimeseries } from '../../src/controlplane/timeseries-reader.js';
import { randomPushes, seededRandom, timeseriesOptionsFor } from '../support/random-pushes.js';
import { referenceTimeseries } from '../support/timeseries-reference.js';

export function describeMetricsContract(subject: CurrentStore): void {
  describe('metrics', () => {
    it('stores a push and ignores a repeated sequence number', async () => {
      const { store } = subject();
      const run = await createTestAndRun(store);
      const first = newSnapshot(1);
      expect(await store.appendMetrics(run.id, first)).toBe(true);
      expect(await store.appendMetrics(run.id, newSnapshot(1, { totalRequests: 999_999 }))).toBe(false);

      expect(await store.listMetrics(run.id)).toEqual([first]);
      expect((await store.getRun(run.id))?.lastMetrics).toEqual(first);
    });

    it('keeps lastMetrics on the highest seq when an older push arrives late', async () => {
      const { store } = subject();
      const run = await createTestAndRun(store);
      const [one, two, three] = [newSnapshot(1), newSnapshot(2), newSnapshot(3)];
      await store.appendMetrics(run.id, one);
      await store.appendMetrics(run.id, three);
      expect(await store.appendMetrics(run.id, two)).toBe(true);

      expect((await store.getRun(run.id))?.lastMetrics).toEqual(three);
      expect((await store.listMetrics(run.id)).map((snapshot) => snapshot.seq)).toEqual([1, 2, 3]);
    });

    it('round-trips endpoint names with dots, brackets and spaces, and the histogram, exactly', async () => {
      const { store } = subject();
      const run = await createTestAndRun(store);
      const snapshot = newSnapshot(4);
      await store.appendMetrics(run.id, snapshot);

      const [stored] = await store.listMetrics(run.id);
      expect(stored).toEqual(snapshot);
      expect(Object.keys(stored?.requestStats ?? {}).sort()).toEqual(
        AWKWARD_ENDPOINTS.map(([method, name]) => `${method} ${name}`).sort(),
      );
      expect(stored?.requestStats['GET /v1.2/x']?.name).toBe('/v1.2/x');
      expect(stored?.histogram).toEqual({ '0': 1, '9': 12, '110': 7, '2400': 1, '2.5': 2 });
      expect((await store.getRun(run.id))?.lastMetrics).toEqual(snapshot);
    });

    it('round-trips the interval a push covers and its peak users, and reads a push stored without them', async () => {
      const { store } = subject();
      const run = await createTestAndRun(store);
      const old = newSnapshot(1);
      const covering = newSnapshot(2, { intervalStart: at(1), intervalEnd: at(3), peakUsers: 7 });
      await store.appendMetrics(run.id, old);
      await store.appendMetrics(run.id, covering);
      expect(await store.listMetrics(run.id)).toEqual([old, covering]);
      expect((await store.getRun(run.id))?.lastMetrics).toEqual(covering);
    });

    it('keeps each run’s metrics apart', async () => {
      const { store } = subject();
      const a = await createTestAndRun(store);
      const b = await createTestAndRun(store);
      await store.appendMetrics(a.id, newSnapshot(1));
      // The same seq on another run is not a repeat.
      expect(await store.appendMetrics(b.id, newSnapshot(1))).toBe(true);
      await store.appendMetrics(b.id, newSnapshot(2));
      expect(await store.listMetrics(a.id)).toHaveLength(1);
      expect(await store.listMetrics(b.id)).toHaveLength(2);
      expect(await store.listMetrics('run_missing')).toEqual([]);
    });

    it('ends on the highest seq when pushes arrive at once, and a status change made meanwhile survives', async () => {
      const { store } = subject();
      for (let round = 0; round < 3; round += 1) {
        const run = await createTestAndRun(store);
        const pushes = [4, 1, 6, 2, 5, 3].map((seq) => store.appendMetrics(run.id, newSnapshot(seq)));
        const moved = store.transitionRun(run.id, { from: ['Pending'], to: 'Starting', at: at(21) });
        expect(await Promise.all(pushes)).toEqual([true, true, true, true, true, true]);
        expect(await moved).not.toBeNull();

        const stored = await store.getRun(run.id);
        expect(stored?.lastMetrics?.seq).toBe(6);
        expect(stored?.status).toBe('Starting');
        expect(stored?.statusHistory).toHaveLength(2);
      }
    });

    it('skips a push older than the run’s lastMetrics when asked (a late retry), and stores it otherwise', async () => {
      const { store } = subject();
      const run = await createTestAndRun(store);
      await store.appendMetrics(run.id, newSnapshot(5), { skipOlderThanLast: true });
      expect(await store.appendMetrics(run.id, newSnapshot(3), { skipOlderThanLast: true })).toBe(false);
      expect(await store.appendMetrics(run.id, newSnapshot(5, { totalRequests: 1 }), { skipOlderThanLast: true })).toBe(false);
      expect(await store.appendMetrics(run.id, newSnapshot(6), { skipOlderThanLast: true })).toBe(true);
      expect((await store.listMetrics(run.id)).map((snapshot) => snapshot.seq)).toEqual([5, 6]);
      // Without the option an older push is stored, and lastMetrics stays on the newest.
      expect(await store.appendMetrics(run.id, newSnapshot(4))).toBe(true);
      expect((await store.getRun(run.id))?.lastMetrics).toEqual(newSnapshot(6));
    });

    it('answers a push with the run as it stands after the write, without its snapshots', async () => {
      const { store } = subject();
      const run = await createTestAndRun(store, { status: 'Running' });
      const first = await store.appendMetricsReadingRun(run.id, newSnapshot(2), { skipOlderThanLast: true });
      expect(first.stored).toBe(true);
      expect(first.run).toEqual(await store.getRun(run.id, { snapshots: false }));
      expect(first.run).not.toHaveProperty('lastMetrics');
      expect(first.run.status).toBe('Running');
      // Refused pushes answer with the run too: an older one, and a repeat.
      await store.transitionRun(run.id, { from: ['Running'], to: 'Stopping', at: at(40), reason: 'stop requested' });
      const older = await store.appendMetricsReadingRun(run.id, newSnapshot(1), { skipOlderThanLast: true });
      expect(older).toEqual({ stored: false, run: await store.getRun(run.id, { snapshots: false }) });
      expect(older.run.status).toBe('Stopping');
      expect((await store.appendMetricsReadingRun(run.id, newSnapshot(2, { totalRequests: 7 }))).stored).toBe(false);
      expect((await store.listMetrics(run.id)).map((snapshot) => snapshot.seq)).toEqual([2]);
      expect((await store.getRun(run.id))?.lastMetrics).toEqual(newSnapshot(2));
      await expect(store.appendMetricsReadingRun('run_missing', newSnapshot(1))).rejects.toMatchObject({ code: 'LOADCTL_RUN_NOT_FOUND' });
      expect(await store.listMetrics('run_missing')).toEqual([]);
    });

    it('reads a run without its snapshots when asked, and whole otherwise', async () => {
      const { store } = subject();
      const run = await createTestAndRun(store, { status: 'Running' });
      await store.appendMetrics(run.id, newSnapshot(1));
      const final = newSnapshot(2);
      await store.transitionRun(run.id, { from: ['Running'], to: 'Finished', at: at(30), patch: { finishedAt: at(30), finalMetrics: final } });

      const head = await store.getRun(run.id, { snapshots: false });
      expect(head).not.toHaveProperty('lastMetrics');
      expect(head).not.toHaveProperty('finalMetrics');
      const whole = await store.getRun(run.id);
      expect(head).toEqual({ ...whole, lastMetrics: undefined, finalMetrics: undefined });
      expect(whole).toMatchObject({ lastMetrics: newSnapshot(1), finalMetrics: final, status: 'Finished' });
      expect((await store.listRuns({ loadTestId: run.loadTestId, limit: 10, offset: 0 })).items[0]).toEqual(whole);
    });

    it('keeps a lastMetrics given with the run or its transition, until a newer push replaces it', async () => {
      const { store } = subject();
      const given = newSnapshot(7, { totalRequests: 7777 });
      const run = await createTestAndRun(store, { status: 'Running', lastMetrics: given });
      expect((await store.getRun(run.id))?.lastMetrics).toEqual(given);
      expect(await store.appendMetrics(run.id, newSnapshot(8))).toBe(true);
      expect((await store.getRun(run.id))?.lastMetrics).toEqual(newSnapshot(8));

      const patched = newSnapshot(20, { totalRequests: 2020 });
      const moved = await store.transitionRun(run.id, { from: ['Running'], to: 'Stopping', at: at(40), patch: { lastMetrics: patched } });
      expect(moved?.lastMetrics).toEqual(patched);
      expect((await store.getRun(run.id))?.lastMetrics).toEqual(patched);
      // A status change without one keeps the stored push.
      await store.transitionRun(run.id, { from: ['Stopping'], to: 'Stopped', at: at(41) });
      expect((await store.getRun(run.id))?.lastMetrics).toEqual(patched);
    });

    it('stores nothing for a repeat of a stored push that is above the run’s lastMetrics, and never shows the repeat’s numbers', async () => {
      const { store } = subject();
      const run = await createTestAndRun(store, { status: 'Running' });
      const stored = newSnapshot(5, { totalRequests: 5000 });
      expect(await store.appendMetrics(run.id, stored)).toBe(true);
      // A transition gives the run an older lastMetrics: the stored push 5 is now above it.
      const patched = newSnapshot(3, { totalRequests: 3000 });
      await store.transitionRun(run.id, { from: ['Running'], to: 'Stopping', at: at(40), patch: { lastMetrics: patched } });

      expect(await store.appendMetrics(run.id, newSnapshot(5, { totalRequests: 1 }))).toBe(false);
      expect(await store.appendMetrics(run.id, newSnapshot(5, { totalRequests: 2 }), { skipOlderThanLast: true })).toBe(false);
      expect(await store.listMetrics(run.id)).toEqual([stored]);
      // Either the one it had or the push stored under that seq; a repeat's own numbers, never.
      expect([patched, stored]).toContainEqual((await store.getRun(run.id))?.lastMetrics);
      // A newer push still moves it.
      expect(await store.appendMetrics(run.id, newSnapshot(6), { skipOlderThanLast: true })).toBe(true);
      expect((await store.getRun(run.id))?.lastMetrics).toEqual(newSnapshot(6));
    });

    it('stores every push of many runs arriving at once, and one for a missing run fails alone', async () => {
      const { store } = subject();
      const runs = await Promise.all(Array.from({ length: 8 }, () => createTestAndRun(store)));
      const pushes = runs.flatMap((run) => [1, 2, 3].map((seq) => store.appendMetrics(run.id, newSnapshot(seq))));
      const missing = store.appendMetrics('run_missing', newSnapshot(1));
      const results = await Promise.allSettled([...pushes, missing]);
      expect(results.slice(0, -1).map((result) => result.status === 'fulfilled' && result.value)).toEqual(pushes.map(() => true));
      expect(results.at(-1)).toMatchObject({ status: 'rejected', reason: { code: 'LOADCTL_RUN_NOT_FOUND' } });
      for (const run of runs) {
        expect((await store.listMetrics(run.id)).map((snapshot) => snapshot.seq)).toEqual([1, 2, 3]);
        expect((await store.getRun(run.id))?.lastMetrics?.seq).toBe(3);
      }
    });

    it('refuses a push for a missing run', async () => {
      const { store } = subject();
      await expect(store.appendMetrics('run_missing', newSnapshot(1))).rejects.toMatchObject({
        code: 'LOADCTL_RUN_NOT_FOUND',
      } satisfies Partial<LoadctlError>);
      await expect(store.appendMetrics('run_missing', newSnapshot(2), { skipOlderThanLast: true })).rejects.toMatchObject({ code: 'LOADCTL_RUN_NOT_FOUND' });
      // Refused before anything is written: no push of it is stored, not even for a moment.
      expect(await store.listMetrics('run_missing')).toEqual([]);
    });

    it('answers a timeseries from the push summaries exactly as from the whole pushes, pushes arriving out of order', async () => {
      const { store } = subject();
      const startMs = Date.parse(at(50));
      for (const [seed, stopSliver] of [[3, true], [4, false]] as const) {
        const run = await createTestAndRun(store, { startedAt: at(50) });
        const random = seededRandom(seed);
        const pushes = randomPushes(random, { pushes: 40, startMs, stopSliver });
        const order = pushes.map((push) => ({ push, key: random() })).sort((a, b) => a.key - b.key);
        for (const { push } of order) expect(await store.appendMetrics(run.id, push)).toBe(true);

        const stored = await store.listMetrics(run.id);
        const summaries = await store.listPushSummaries(run.id);
        expect(summaries).toEqual(stored.map(summarizePush));
        for (const query of timeseriesOptionsFor(random, startMs, Date.parse(pushes.at(-1)!.timestamp))) {
          const expected = JSON.stringify(referenceTimeseries(stored, runStartOf(run), query));
          expect(JSON.stringify(await readTimeseries(store, run, summaries, query)), `seed ${seed}, ${JSON.stringify(query)}`).toBe(expected);
        }
      }
    });

    it('reads the histograms of a range of pushes only', async () => {
      const { store } = subject();
      const run = await createTestAndRun(store);
      for (const seq of [1, 2, 3, 4]) await store.appendMetrics(run.id, newSnapshot(seq, { histogram: { '9': seq, '110': 10 * seq } }));
      const read = await store.listPushHistograms(run.id, 2, 3);
      expect(new Map([...read].map(([seq, histogram]) => [seq, toHistogram(histogram)]))).toEqual(new Map([[2, { '9': 2, '110': 20 }], [3, { '9': 3, '110': 30 }]]));
      expect(await store.listPushHistograms(run.id, 5, 9)).toEqual(new Map());
      expect(await store.listPushSummaries('run_missing')).toEqual([]);
    });
  });

  describe('recentRuns, computed from the runs', () => {
    /** Ends a run as the orchestrator does: one transition to a terminal status with finishedAt. */
    const end = (store: Store, run: Run, to: 'Finished' | 'Stopped' | 'Failed', second: number, finalMetrics?: MetricsSnapshot) =>
      store.transitionRun(run.id, { from: ['Pending', 'Running'], to, at: at(second), patch: { finishedAt: at(second), ...(finalMetrics ? { finalMetrics } : {}) } });
    const listed = async (store: Store, id: string) => (await store.getLoadTest(id))?.recentRuns.map((summary) => summary.runId);

    it(`lists the ${RECENT_RUNS_KEPT} runs that ended last, newest end first, with their summaries`, async () => {
      const { store } = subject();
      const { test, revision } = await createTest(store);
      const runs: Run[] = [];
      for (let index = 0; index < 12; index += 1) runs.push(await store.createRun(newRun(test.id, revision.id, { status: 'Running', createdAt: at(index), targetUsers: index + 1 })));
      // Ended in another order than created: the list follows the end.
      const endings = [3, 0, 1, 2, 5, 4, 7, 6, 9, 8, 11, 10];
      for (const [position, index] of endings.entries()) {
        const to = (['Finished', 'Stopped', 'Failed'] as const)[index % 3]!;
        if (to === 'Failed') await store.appendMetrics(runs[index]!.id, newSnapshot(1, { totalRequests: 7, p95ResponseMs: 9 }));
        await end(store, runs[index]!, to, 100 + position, to === 'Failed' ? undefined : newSnapshot(2, { totalRequests: 100 * index }));
      }

      const expected = [...endings].reverse().slice(0, RECENT_RUNS_KEPT).map((index) => runs[index]!.id);
      expect(await listed(store, test.id)).toEqual(expected);
      const [newest] = (await store.getLoadTest(test.id))!.recentRuns;
      expect(newest).toEqual(newSummary(runs[10]!.id, { status: 'Stopped', createdAt: at(10), finishedAt: at(111), targetUsers: 11, totalRequests: 1000, totalFailures: 8, p95ResponseMs: 40 }));
      // A run that failed without a final push is summed up from its last one.
      expect((await store.getLoadTest(test.id))!.recentRuns[1]).toMatchObject({ runId: runs[11]!.id, status: 'Failed', totalRequests: 7, p95ResponseMs: 9 });
      // The same list in a page of tests, and from an update.
      expect((await store.listLoadTests({ limit: 10, offset: 0 })).items[0]?.recentRuns.map((summary) => summary.runId)).toEqual(expected);
      expect((await store.updateLoadTest(test.id, { description: 'changed', updatedAt: at(200) }))?.recentRuns.map((summary) => summary.runId)).toEqual(expected);
    });

    it('lists only ended runs, and a run as soon as it ends', async () => {
      const { store } = subject();
      const { test, revision } = await createTest(store);
      const pending = await store.createRun(newRun(test.id, revision.id));
      const running = await store.createRun(newRun(test.id, revision.id, { status: 'Running' }));
      const stopping = await store.createRun(newRun(test.id, revision.id, { status: 'Stopping' }));
      const done = await store.createRun(newRun(test.id, revision.id, { status: 'Running' }));
      await end(store, done, 'Finished', 50, newSnapshot(3));
      expect(await listed(store, test.id)).toEqual([done.id]);

      await end(store, running, 'Stopped', 60);
      expect(await listed(store, test.id)).toEqual([running.id, done.id]);
      expect((await store.getLoadTest(test.id))!.recentRuns[0]).toMatchObject({ runId: running.id, status: 'Stopped', totalRequests: 0 });
      expect(await listed(store, test.id)).not.toContain(pending.id);
      expect(await listed(store, test.id)).not.toContain(stopping.id);
    });

    it('gives each test of a page its own runs, and none to a test that has not run', async () => {
      const { store } = subject();
      const a = await createTest(store, { createdAt: at(1) });
      const b = await createTest(store, { createdAt: at(2) });
      const idle = await createTest(store, { createdAt: at(3) });
      const ended: Record<string, string[]> = { [a.test.id]: [], [b.test.id]: [] };
      for (let index = 0; index < RECENT_RUNS_KEPT + 2; index += 1) {
        for (const { test, revision } of [a, b]) {
          const run = await store.createRun(newRun(test.id, revision.id, { status: 'Running' }));
          await end(store, run, 'Finished', 100 + index, newSnapshot(1));
          ended[test.id]!.unshift(run.id);
        }
      }
      const page = await store.listLoadTests({ limit: 10, offset: 0 });
      expect(page.items.map((test) => [test.id, test.recentRuns.map((summary) => summary.runId)])).toEqual([
        [idle.test.id, []],
        [b.test.id, ended[b.test.id]!.slice(0, RECENT_RUNS_KEPT)],
        [a.test.id, ended[a.test.id]!.slice(0, RECENT_RUNS_KEPT)],
      ]);
    });

    it('drops a run removed from the database, and the next older one takes its place', async () => {
      const { store, deleteRawRun } = subject();
      const { test, revision } = await createTest(store);
      const runs: Run[] = [];
      for (let index = 0; index <= RECENT_RUNS_KEPT; index += 1) {
        const run = await store.createRun(newRun(test.id, revision.id, { status: 'Running' }));
        await end(store, run, 'Finished', 100 + index);
        runs.unshift(run);
      }
      expect(await listed(store, test.id)).toEqual(runs.slice(0, RECENT_RUNS_KEPT).map((run) => run.id));
      await deleteRawRun(runs[2]!.id);
      expect(await listed(store, test.id)).toEqual(runs.filter((_, index) => index !== 2).map((run) => run.id));
    });

    it('lists an ended run an older loadctl wrote, without finishedAt, after the runs that have one', async () => {
      const { store, insertRawRun } = subject();
      const { test, revision } = await createTest(store);
      const old = newRun(test.id, revision.id, { status: 'Finished', createdAt: at(1) });
      await insertRawRun(old);
      const run = await store.createRun(newRun(test.id, revision.id, { status: 'Running', createdAt: at(2) }));
      await end(store, run, 'Failed', 30);
      expect(await listed(store, test.id)).toEqual([run.id, old.id]);
    });
  });
}
