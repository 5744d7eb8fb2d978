// A store written while a run's lastMetrics lived inside its document (schema 5:
// fixtures/v5-last-metrics.db, written by fixtures/write-v5-last-metrics.mjs with that code,
// which also saved how it read every run back): once opened, every run, list and recent run
// reads as it did, lastMetrics now lives apart from the document, and pushes go on.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Run, RunSummary } from '../../src/domain/types.js';
import type { SqliteStore } from '../../src/store/sqlite-store.js';
import { newSnapshot } from './_fixtures.js';
import { copySqliteFixture, type SqliteFixtureCopy } from './_legacy-fixture.js';

const V5_FILE = fileURLToPath(new URL('./fixtures/v5-last-metrics.db', import.meta.url));
const READ_BY_V5 = JSON.parse(readFileSync(new URL('./fixtures/v5-last-metrics-read.json', import.meta.url), 'utf8')) as { runs: Record<string, Run>; recentRuns: RunSummary[] };
const RUN_IDS = Object.keys(READ_BY_V5.runs);

describe('a schema-5 store, lastMetrics inside each run document', () => {
  let copy: SqliteFixtureCopy;
  let store: SqliteStore;
  const raw = (sql: string, id: string) => copy.row(sql, id);

  beforeEach(async () => {
    copy = await copySqliteFixture(V5_FILE);
    store = await copy.open();
  });
  afterEach(() => copy.remove());

  it('reads every run, the runs list and the recent runs as the old code did', async () => {
    expect(READ_BY_V5.runs.run_running?.lastMetrics?.seq).toBe(3); // the fixture is what the test says it is
    for (const id of RUN_IDS) expect(await store.getRun(id), id).toEqual(READ_BY_V5.runs[id]);
    const listed = await store.listRuns({ loadTestId: 'lt_v5', limit: 50, offset: 0 });
    expect(Object.fromEntries(listed.items.map((run) => [run.id, run]))).toEqual(READ_BY_V5.runs);
    expect((await store.getLoadTest('lt_v5'))?.recentRuns).toEqual(READ_BY_V5.recentRuns);
    // The failed run's summary comes from its lastMetrics (it has no final push).
    expect(READ_BY_V5.recentRuns.find((summary) => summary.runId === 'run_failed')?.totalRequests).toBe(40);
  });

  it('keeps lastMetrics apart from the document: a stored push by its seq, a given one in its column', () => {
    for (const id of RUN_IDS) expect(JSON.parse(String(raw('SELECT doc FROM load_test_runs WHERE id = ?', id).doc)), id).not.toHaveProperty('lastMetrics');
    expect(raw('SELECT last_seq, last_metrics FROM load_test_runs WHERE id = ?', 'run_running')).toEqual({ last_seq: 3, last_metrics: null });
    const given = raw('SELECT last_seq, last_metrics FROM load_test_runs WHERE id = ?', 'run_given');
    expect(given.last_seq).toBe(9);
    expect(JSON.parse(String(given.last_metrics))).toEqual(READ_BY_V5.runs.run_given?.lastMetrics);
    expect(raw('SELECT last_seq, last_metrics FROM load_test_runs WHERE id = ?', 'run_quiet')).toEqual({ last_seq: null, last_metrics: null });
  });

  it('takes pushes as before: a newer one becomes lastMetrics, an older one does not, a late retry is skipped', async () => {
    expect(await store.appendMetrics('run_running', newSnapshot(4))).toBe(true);
    expect((await store.getRun('run_running'))?.lastMetrics).toEqual(newSnapshot(4));
    expect(await store.appendMetrics('run_running', newSnapshot(0))).toBe(true);
    expect(await store.appendMetrics('run_running', newSnapshot(3), { skipOlderThanLast: true })).toBe(false);
    expect((await store.listMetrics('run_running')).map((push) => push.seq)).toEqual([0, 1, 2, 3, 4]);
    expect(await store.appendMetrics('run_given', newSnapshot(5), { skipOlderThanLast: true })).toBe(false);
    expect(await store.appendMetrics('run_given', newSnapshot(10))).toBe(true);
    expect((await store.getRun('run_given'))?.lastMetrics).toEqual(newSnapshot(10));
    const head = await store.getRun('run_finished', { snapshots: false });
    expect(head).toEqual({ ...READ_BY_V5.runs.run_finished, lastMetrics: undefined, finalMetrics: undefined });
  });
});
