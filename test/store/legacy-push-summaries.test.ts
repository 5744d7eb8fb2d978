// Stores written before push summaries (fixtures/v5-pushes.db and v5-pushes.json, written by
// fixtures/write-v5-pushes.mjs with that code): once opened by this version, a run's timeseries
// answers byte for byte what that version answered, with and without a step, in windows and
// with the stop sliver, on SQLite (the migration fills the summaries in) and on MongoDB (whose
// older documents carry no summary, derived when read), also once new pushes join the old ones.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MongoClient } from 'mongodb';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { startControlPlane } from '../../src/controlplane/start-control-plane.js';
import { readTimeseries } from '../../src/controlplane/timeseries-reader.js';
import { runStartOf } from '../../src/domain/timeseries.js';
import type { Store } from '../../src/store/store.js';
import { referenceTimeseries } from '../support/timeseries-reference.js';
import { newSnapshot } from './_fixtures.js';
import { copyMongoFixture, copySqliteFixture } from './_legacy-fixture.js';

const V5_FILE = fileURLToPath(new URL('./fixtures/v5-pushes.db', import.meta.url));
const V5 = JSON.parse(readFileSync(new URL('./fixtures/v5-pushes.json', import.meta.url), 'utf8')) as {
  answers: Record<string, Record<string, string>>;
  collections: Record<string, Record<string, unknown>[]>;
};

interface Opened {
  store: Store;
  /** How many pushes are stored without a summary. */
  withoutSummary: () => Promise<number>;
  close: () => Promise<void>;
}

const admin = new MongoClient(inject('mongoUri'));
afterAll(() => admin.close());

const STORES: [string, () => Promise<Opened>][] = [
  [
    'SqliteStore',
    async () => {
      const copy = await copySqliteFixture(V5_FILE);
      return {
        store: await copy.open(),
        withoutSummary: async () => Number(copy.row('SELECT count(*) AS n FROM metrics_timeseries WHERE summary IS NULL OR histogram IS NULL').n),
        close: () => copy.remove(),
      };
    },
  ],
  [
    'MongoStore',
    async () => {
      const copy = await copyMongoFixture(admin, inject('mongoUri'), V5.collections);
      return {
        store: copy.store,
        withoutSummary: () => copy.db.collection('metrics_timeseries').countDocuments({ summary: { $exists: false } }),
        close: () => copy.remove(),
      };
    },
  ],
];

describe.each(STORES)('%s opening pushes stored before summaries', (_name, open) => {
  it('answers every timeseries query as the version that stored them did', async () => {
    const opened = await open();
    try {
      const controlPlane = await startControlPlane({
        store: opened.store, host: '127.0.0.1', port: 0, runtime: async () => { throw new Error('no Locust in this test'); }, python: async () => 'python3',
        launchSecret: 'legacy-launch-secret-0123456789abcdef', metricsIntervalSeconds: 1, recoverRuns: false, log: () => {},
      });
      try {
        for (const [runId, byQuery] of Object.entries(V5.answers)) {
          for (const [query, body] of Object.entries(byQuery)) {
            const response = await controlPlane.app.inject({ method: 'GET', url: `/v1/runs/${runId}/metrics/timeseries${query}` });
            expect(response.statusCode).toBe(200);
            expect(response.body, `${runId}${query}`).toBe(body);
          }
        }
      } finally {
        await controlPlane.close();
      }
    } finally {
      await opened.close();
    }
  });

  it('answers as the whole pushes do once new pushes join the old ones', async () => {
    const opened = await open();
    try {
      const { store } = opened;
      const run = (await store.getRun('run_intervals'))!;
      const old = await store.listMetrics(run.id);
      const last = old.at(-1)!;
      // Two later pushes (as a resumed run's): one of many seconds, then a sliver.
      const endMs = Date.parse(last.timestamp);
      const later = [
        newSnapshot(old.length + 1, { timestamp: new Date(endMs + 3000).toISOString(), intervalStart: last.timestamp, intervalEnd: new Date(endMs + 3000).toISOString(), totalRequests: last.totalRequests + 9, totalFailures: last.totalFailures, histogram: { '12': 4, '480': 5 } }),
        newSnapshot(old.length + 2, { timestamp: new Date(endMs + 3010).toISOString(), intervalStart: new Date(endMs + 3000).toISOString(), intervalEnd: new Date(endMs + 3010).toISOString(), totalRequests: last.totalRequests + 10, totalFailures: last.totalFailures + 1, histogram: { '2400': 1 } }),
      ];
      for (const push of later) expect(await store.appendMetrics(run.id, push)).toBe(true);
      const all = await store.listMetrics(run.id);
      const summaries = await store.listPushSummaries(run.id);
      expect(summaries.map((summary) => summary.seq)).toEqual(all.map((push) => push.seq));
      for (const query of [{}, { stepSeconds: 5 }, { fromMs: endMs - 10_000 }, { fromMs: endMs - 10_000, stepSeconds: 60 }]) {
        expect(JSON.stringify(await readTimeseries(store, run, summaries, query)), JSON.stringify(query)).toBe(JSON.stringify(referenceTimeseries(all, runStartOf(run), query)));
      }
      // SQLite filled every older row in when it opened; MongoDB's older documents stay as they were.
      expect(await opened.withoutSummary()).toBe(_name === 'SqliteStore' ? 0 : V5.collections.metrics_timeseries!.length);
    } finally {
      await opened.close();
    }
  });
});
