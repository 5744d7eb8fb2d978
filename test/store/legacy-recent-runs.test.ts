// Stores written while a test kept its recentRuns on itself (fixtures/v3-recent-runs.db and
// v3-recent-runs-mongo.json, written by fixtures/write-v3-recent-runs.mjs with that code): once
// opened, each test shows the same recent runs, now read from its runs, and the stored list is
// never read again.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MongoClient } from 'mongodb';
import { afterAll, afterEach, describe, expect, inject, it } from 'vitest';
import type { RunSummary } from '../../src/domain/types.js';
import type { Store } from '../../src/store/store.js';
import { newSnapshot } from './_fixtures.js';
import { copyMongoFixture, copySqliteFixture } from './_legacy-fixture.js';

const V3_FILE = fileURLToPath(new URL('./fixtures/v3-recent-runs.db', import.meta.url));
const V3_MONGO = JSON.parse(readFileSync(new URL('./fixtures/v3-recent-runs-mongo.json', import.meta.url), 'utf8')) as Record<string, Record<string, unknown>[]>;
const TESTS = ['lt_busy', 'lt_quiet', 'lt_fresh'];

/** The lists the old code stored, as it stored them. */
function storedLists(): Record<string, RunSummary[]> {
  return Object.fromEntries(V3_MONGO.load_tests!.map((doc) => [doc._id, doc.recentRuns as RunSummary[]]));
}

interface Opened {
  store: Store;
  /** The test's document or row as now stored. */
  rawTest: (id: string) => Promise<Record<string, unknown>>;
  close: () => Promise<void>;
}

const admin = new MongoClient(inject('mongoUri'));
afterAll(() => admin.close());

const STORES: [string, () => Promise<Opened>][] = [
  [
    'SqliteStore',
    async () => {
      const copy = await copySqliteFixture(V3_FILE);
      return {
        store: await copy.open(),
        rawTest: async (id) => JSON.parse(String(copy.row('SELECT doc FROM load_tests WHERE id = ?', id).doc)) as Record<string, unknown>,
        close: () => copy.remove(),
      };
    },
  ],
  [
    'MongoStore',
    async () => {
      const copy = await copyMongoFixture(admin, inject('mongoUri'), V3_MONGO);
      return {
        store: copy.store,
        rawTest: async (id) => (await copy.db.collection('load_tests').findOne({ _id: id as never })) as Record<string, unknown>,
        close: () => copy.remove(),
      };
    },
  ],
];

describe.each(STORES)('%s opening tests that stored their recentRuns', (_name, open) => {
  let opened: Opened;
  afterEach(async () => opened?.close());

  it('shows each test the recent runs it showed before, read from its runs', async () => {
    opened = await open();
    const before = storedLists();
    expect(before.lt_busy).toHaveLength(10);
    for (const id of TESTS) expect((await opened.store.getLoadTest(id))?.recentRuns, id).toEqual(before[id]);
    const page = await opened.store.listLoadTests({ limit: 10, offset: 0 });
    expect(Object.fromEntries(page.items.map((test) => [test.id, test.recentRuns]))).toEqual(before);
  });

  it('puts a run that ends now first and lets the oldest go, whatever the stored list says', async () => {
    opened = await open();
    const before = storedLists().lt_busy!;
    // run_busy_13 was still running when the old code wrote the list.
    const ended = await opened.store.transitionRun('run_busy_13', {
      from: ['Running'],
      to: 'Finished',
      at: '2025-01-01T00:04:00.000Z',
      patch: { finishedAt: '2025-01-01T00:04:00.000Z', finalMetrics: newSnapshot(9, { totalRequests: 4321 }) },
    });
    expect(ended?.status).toBe('Finished');
    const after = (await opened.store.getLoadTest('lt_busy'))?.recentRuns;
    expect(after?.map((summary) => summary.runId)).toEqual(['run_busy_13', ...before.slice(0, 9).map((summary) => summary.runId)]);
    expect(after?.[0]).toMatchObject({ status: 'Finished', totalRequests: 4321, targetUsers: 13 });
  });

  it('writes a test back without the stored list', async () => {
    opened = await open();
    const updated = await opened.store.updateLoadTest('lt_quiet', { description: 'now computed', updatedAt: '2025-02-01T00:00:00.000Z' });
    expect(updated?.recentRuns).toEqual(storedLists().lt_quiet);
    const raw = await opened.rawTest('lt_quiet');
    expect(raw).toMatchObject({ description: 'now computed' });
    expect(raw).not.toHaveProperty('recentRuns');
    expect(raw).not.toHaveProperty('recentRunsVersion');
  });
});
