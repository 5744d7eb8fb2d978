// Contract: metrics pushes, the run's lastMetrics, and a test's recent runs.
import { describe, expect, it } from 'vitest';
import { LoadctlError } from '../../src/domain/errors.js';
import { RECENT_RUNS_KEPT } from '../../src/store/store.js';
import { AWKWARD_ENDPOINTS, at, createTest, createTestAndRun, newSnapshot, newSummary } from './_fixtures.js';
import type { CurrentStore } from './store-contract.js';

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

    it('refuses a push for a missing run', async () => {
      const { store } = subject();
      await expect(store.appendMetrics('run_missing', newSnapshot(1))).rejects.toMatchObject({
        code: 'LOADCTL_RUN_NOT_FOUND',
      } satisfies Partial<LoadctlError>);
    });
  });

  describe('recordRecentRun', () => {
    it(`keeps the newest ${RECENT_RUNS_KEPT}, newest first`, async () => {
      const { store } = subject();
      const { test } = await createTest(store);
      for (let index = 1; index <= 12; index += 1) {
        await store.recordRecentRun(test.id, newSummary(`run_${index}`, { createdAt: at(index) }));
      }
      const recentRuns = (await store.getLoadTest(test.id))?.recentRuns ?? [];
      expect(recentRuns.map((summary) => summary.runId)).toEqual(
        Array.from({ length: RECENT_RUNS_KEPT }, (_, index) => `run_${12 - index}`),
      );
      expect(recentRuns[0]).toEqual(newSummary('run_12', { createdAt: at(12) }));
    });

    it('replaces the entry of the same run and moves it first', async () => {
      const { store } = subject();
      const { test } = await createTest(store);
      await store.recordRecentRun(test.id, newSummary('run_a', { status: 'Running' }));
      await store.recordRecentRun(test.id, newSummary('run_b'));
      await store.recordRecentRun(test.id, newSummary('run_a', { status: 'Stopped', totalRequests: 7 }));

      expect((await store.getLoadTest(test.id))?.recentRuns).toEqual([
        newSummary('run_a', { status: 'Stopped', totalRequests: 7 }),
        newSummary('run_b'),
      ]);
    });

    it('loses no entry when several runs are recorded at once', async () => {
      const { store } = subject();
      const { test } = await createTest(store);
      await Promise.all(['a', 'b', 'c', 'd', 'e'].map((id) => store.recordRecentRun(test.id, newSummary(`run_${id}`))));
      const runIds = (await store.getLoadTest(test.id))?.recentRuns.map((summary) => summary.runId);
      expect(runIds?.sort()).toEqual(['run_a', 'run_b', 'run_c', 'run_d', 'run_e']);
    });

    it('loses no entry when two instances record runs at once', async () => {
      const { store, openSecondStore } = subject();
      if (!openSecondStore) throw new Error('the contract needs openSecondStore');
      const second = await openSecondStore();
      const { test } = await createTest(store);
      const ids = ['a', 'b', 'c', 'd'];
      await Promise.all([
        ...ids.map((id) => store.recordRecentRun(test.id, newSummary(`run_1${id}`))),
        ...ids.map((id) => second.recordRecentRun(test.id, newSummary(`run_2${id}`))),
      ]);
      const runIds = (await store.getLoadTest(test.id))?.recentRuns.map((summary) => summary.runId);
      expect(runIds?.sort()).toEqual([...ids.map((id) => `run_1${id}`), ...ids.map((id) => `run_2${id}`)]);
    });

    it('refuses a missing test', async () => {
      const { store } = subject();
      await expect(store.recordRecentRun('lt_missing', newSummary('run_x'))).rejects.toMatchObject({
        code: 'LOADCTL_TEST_NOT_FOUND',
      });
    });
  });
}
