// Contract: runs, their listing, conditional status changes and plain updates.
import { describe, expect, it } from 'vitest';
import type { Threshold, ThresholdVerdict } from '../../src/domain/thresholds.js';
import type { Run } from '../../src/domain/types.js';
import type { Store } from '../../src/store/store.js';
import { at, createTest, createTestAndRun, newRun, newSnapshot } from './_fixtures.js';
import type { CurrentStore } from './store-contract.js';

/** Walks a run through allowed transitions up to the given status. */
async function moveTo(store: Store, run: Run, path: Run['status'][]): Promise<Run> {
  let current = run;
  for (const [index, to] of path.entries()) {
    const moved = await store.transitionRun(current.id, { from: [current.status], to, at: at(20 + index) });
    if (!moved) throw new Error(`could not move ${current.status} → ${to}`);
    current = moved;
  }
  return current;
}

export function describeRunContract(subject: CurrentStore): void {
  describe('runs', () => {
    it('creates a run and reads it back exactly', async () => {
      const { store } = subject();
      const { test, revision } = await createTest(store);
      const run = newRun(test.id, revision.id, { name: 'nightly', locustEndpoint: 'http://127.0.0.1:8089' });
      expect(await store.createRun(run)).toEqual(run);
      expect(await store.getRun(run.id)).toEqual(run);
      expect(await store.getRun('run_missing')).toBeNull();
    });

    it('refuses a run of a missing test and writes nothing', async () => {
      const { store } = subject();
      const run = newRun('lt_missing', 'rev_missing');
      await expect(store.createRun(run)).rejects.toMatchObject({ code: 'LOADCTL_TEST_NOT_FOUND' });
      expect(await store.getRun(run.id)).toBeNull();
    });

    it('lists newest first, filtered by test, statuses and since, with the total and pages', async () => {
      const { store } = subject();
      const a = await createTest(store);
      const b = await createTest(store);
      const make = (owner: typeof a, second: number, status: Run['status']) =>
        store.createRun(newRun(owner.test.id, owner.revision.id, { createdAt: at(second), status }));
      const a1 = await make(a, 11, 'Finished');
      const a2 = await make(a, 12, 'Failed');
      const b1 = await make(b, 13, 'Running');
      const a3 = await make(a, 14, 'Running');
      const a4 = await make(a, 15, 'Finished');
      const ids = (runs: Run[]) => runs.map((run) => run.id);

      const all = await store.listRuns({ limit: 10, offset: 0 });
      expect(all.total).toBe(5);
      expect(ids(all.items)).toEqual([a4.id, a3.id, b1.id, a2.id, a1.id]);

      const ofA = await store.listRuns({ loadTestId: a.test.id, limit: 2, offset: 1 });
      expect(ofA.total).toBe(4);
      expect(ids(ofA.items)).toEqual([a3.id, a2.id]);

      const ended = await store.listRuns({ status: ['Finished', 'Failed'], limit: 10, offset: 0 });
      expect(ids(ended.items)).toEqual([a4.id, a2.id, a1.id]);

      const recent = await store.listRuns({ since: at(13), limit: 10, offset: 0 });
      expect(ids(recent.items)).toEqual([a4.id, a3.id, b1.id]);

      // until is exclusive, so consecutive [since, until) ranges never count a run twice.
      const earlier = await store.listRuns({ until: at(13), limit: 10, offset: 0 });
      expect(ids(earlier.items)).toEqual([a2.id, a1.id]);
      const between = await store.listRuns({ since: at(12), until: '2025-01-01T00:00:14+00:00', limit: 10, offset: 0 });
      expect(between).toEqual({ total: 2, items: [b1, a2] });

      const combined = await store.listRuns({ loadTestId: a.test.id, status: ['Running', 'Finished'], since: at(12), limit: 10, offset: 0 });
      expect(combined).toEqual({ total: 2, items: [a4, a3] });
      expect(await store.listRuns({ loadTestId: 'lt_missing', limit: 10, offset: 0 })).toEqual({ total: 0, items: [] });
    });
  });

  describe('transitionRun', () => {
    it('applies an allowed transition: status, one history entry and the patch fields', async () => {
      const { store } = subject();
      const run = await createTestAndRun(store);
      const moved = await store.transitionRun(run.id, {
        from: ['Pending'],
        to: 'Starting',
        at: at(21),
        reason: 'locust launched',
        patch: { startedAt: at(21), locustEndpoint: 'http://127.0.0.1:8089' },
      });

      const expected: Run = {
        ...run,
        status: 'Starting',
        startedAt: at(21),
        locustEndpoint: 'http://127.0.0.1:8089',
        statusHistory: [...run.statusHistory, { from: 'Pending', to: 'Starting', at: at(21), reason: 'locust launched' }],
      };
      expect(moved).toEqual(expected);
      expect(await store.getRun(run.id)).toEqual(expected);
    });

    it('records the status actually left when several were allowed', async () => {
      const { store } = subject();
      const running = await moveTo(store, await createTestAndRun(store), ['Starting', 'Running']);
      const stopping = await store.transitionRun(running.id, { from: ['Starting', 'Running'], to: 'Stopping', at: at(30) });
      expect(stopping?.statusHistory.at(-1)).toEqual({ from: 'Running', to: 'Stopping', at: at(30) });
      expect(stopping?.statusHistory.map((change) => change.to)).toEqual(['Pending', 'Starting', 'Running', 'Stopping']);
    });

    it('writes final metrics with awkward endpoint names in the same change', async () => {
      const { store } = subject();
      const running = await moveTo(store, await createTestAndRun(store), ['Starting', 'Running']);
      const final = newSnapshot(9);
      const finished = await store.transitionRun(running.id, {
        from: ['Running', 'Stopping'],
        to: 'Finished',
        at: at(40),
        patch: { finishedAt: at(40), autoStopped: true, finalMetrics: final },
      });
      expect(finished).toMatchObject({ status: 'Finished', finishedAt: at(40), autoStopped: true });
      expect((await store.getRun(running.id))?.finalMetrics).toEqual(final);
    });

    it('keeps a run’s thresholds and the verdicts written with its terminal transition', async () => {
      const { store } = subject();
      const { test, revision } = await createTest(store);
      const thresholds: Threshold[] = [
        { text: 'p95<500ms', metric: 'p95', operator: '<', limit: 500, abortOnFail: true, graceSeconds: 2.5 },
        { text: 'GET /v1.2/x: error_rate<1%', metric: 'error_rate', endpoint: 'GET /v1.2/x', operator: '<', limit: 0.01, abortOnFail: false },
        { text: 'GET $metrics.json: rps>=5', metric: 'rps', endpoint: 'GET $metrics.json', operator: '>=', limit: 5, abortOnFail: false },
      ];
      const created = await store.createRun(newRun(test.id, revision.id, { thresholds }));
      expect(await store.getRun(created.id)).toEqual(created);
      const running = await moveTo(store, created, ['Starting', 'Running']);
      const thresholdVerdicts: ThresholdVerdict[] = [
        { threshold: 'p95<500ms', metric: 'p95', operator: '<', limit: 500, observed: 40, passed: true },
        { threshold: 'GET /v1.2/x: error_rate<1%', metric: 'error_rate', endpoint: 'GET /v1.2/x', operator: '<', limit: 0.01, observed: 0.01, passed: false },
        { threshold: 'GET $metrics.json: rps>=5', metric: 'rps', endpoint: 'GET $metrics.json', operator: '>=', limit: 5, observed: null, passed: false, reason: 'no data' },
      ];
      const finished = await store.transitionRun(running.id, {
        from: ['Running'],
        to: 'Finished',
        at: at(40),
        patch: { finishedAt: at(40), autoStopped: true, finalMetrics: newSnapshot(3), thresholdVerdicts, verdict: 'failed' },
      });
      expect(finished).toMatchObject({ thresholds, thresholdVerdicts, verdict: 'failed' });
      expect(await store.getRun(running.id)).toEqual(finished);
      expect((await store.listRuns({ loadTestId: test.id, limit: 10, offset: 0 })).items).toEqual([finished]);
    });

    it('filters by verdict, "none" being the runs not judged', async () => {
      const { store } = subject();
      const { test, revision } = await createTest(store);
      const judged = async (verdict: 'passed' | 'failed', second: number) => {
        const running = await moveTo(store, await store.createRun(newRun(test.id, revision.id, { createdAt: at(second) })), ['Starting', 'Running']);
        return (await store.transitionRun(running.id, { from: ['Running'], to: 'Finished', at: at(40), patch: { finishedAt: at(40), verdict } }))!;
      };
      const passed = await judged('passed', 1);
      const failed = await judged('failed', 2);
      const unjudged = await store.createRun(newRun(test.id, revision.id, { createdAt: at(3) }));
      const ids = async (verdict: 'passed' | 'failed' | 'none') => (await store.listRuns({ loadTestId: test.id, verdict, limit: 10, offset: 0 })).items.map((run) => run.id);
      expect(await ids('passed')).toEqual([passed.id]);
      expect(await ids('failed')).toEqual([failed.id]);
      expect(await ids('none')).toEqual([unjudged.id]);
      expect((await store.listRuns({ verdict: 'failed', status: ['Finished'], limit: 1, offset: 0 })).total).toBe(1);
    });

    it('refuses a transition from another status and changes nothing', async () => {
      const { store } = subject();
      const finished = await moveTo(store, await createTestAndRun(store), ['Starting', 'Running', 'Finished']);
      const refused = await store.transitionRun(finished.id, {
        from: ['Running', 'Stopping'],
        to: 'Stopped',
        at: at(50),
        patch: { error: 'should not be written' },
      });
      expect(refused).toBeNull();
      expect(await store.getRun(finished.id)).toEqual(finished);
    });

    it('returns null for a missing run', async () => {
      const { store } = subject();
      expect(await store.transitionRun('run_missing', { from: ['Pending'], to: 'Starting', at: at(1) })).toBeNull();
    });

    it('lets exactly one of two concurrent transitions from the same status win', async () => {
      const { store } = subject();
      // Several rounds: a race that is lost only sometimes still shows up.
      for (let round = 0; round < 5; round += 1) {
        const running = await moveTo(store, await createTestAndRun(store), ['Starting', 'Running']);
        const results = await Promise.all([
          store.transitionRun(running.id, { from: ['Running'], to: 'Stopping', at: at(60), reason: 'stop asked' }),
          store.transitionRun(running.id, { from: ['Running'], to: 'Failed', at: at(60), reason: 'locust died' }),
        ]);
        const winners = results.filter((result): result is Run => result !== null);
        expect(winners).toHaveLength(1);
        const stored = await store.getRun(running.id);
        expect(stored).toEqual(winners[0]);
        expect(stored?.statusHistory).toHaveLength(running.statusHistory.length + 1);
      }
    });
  });

  describe('updateRun', () => {
    it('sets the given fields and nothing else', async () => {
      const { store } = subject();
      const run = await createTestAndRun(store, { error: 'kept' });
      const updated = await store.updateRun(run.id, { locustEndpoint: 'http://127.0.0.1:8090', error: undefined });
      expect(updated).toEqual({ ...run, locustEndpoint: 'http://127.0.0.1:8090' });
      expect(await store.getRun(run.id)).toEqual(updated);

      const withError = await store.updateRun(run.id, { error: 'locust exited with code 1' });
      expect(withError).toEqual({ ...updated, error: 'locust exited with code 1' });
    });

    it('returns null for a missing run', async () => {
      const { store } = subject();
      expect(await store.updateRun('run_missing', { error: 'x' })).toBeNull();
    });

    it('keeps a distributed run’s workers and events (ids with dots), and reads a run without them', async () => {
      const { store } = subject();
      const plain = await createTestAndRun(store);
      expect(plain.workerNodes).toBeUndefined();
      const { test, revision } = await createTest(store, { name: 'distributed' });
      const run = await store.createRun(newRun(test.id, revision.id, { workers: 2, expectRemoteWorkers: 1, masterBind: '0.0.0.0:5557' }));
      const workerNodes = [
        { id: 'ci.example.org_0123456789abcdef0123456789abcdef', host: 'ci.example.org', users: 3, state: 'running', joinedAt: at(1) },
        { id: 'vm_fedcba9876543210fedcba9876543210', host: 'vm', users: 2, state: 'lost', joinedAt: at(1), lostAt: at(5) },
      ];
      const events = [{ at: at(5), type: 'worker-lost' as const, workerId: workerNodes[1]!.id, message: 'worker lost mid-run' }];
      const updated = await store.updateRun(run.id, { workerNodes, events });
      expect(updated).toEqual({ ...run, workerNodes, events });
      expect(await store.getRun(run.id)).toEqual({ ...run, workerNodes, events });
      expect(await store.getRun(plain.id)).toEqual(plain);
    });
  });
}
