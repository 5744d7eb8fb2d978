import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { encodeMetrics } from '../../src/store/_mongo-documents.js';
import { MongoStore } from '../../src/store/mongo-store.js';
import type { Store } from '../../src/store/store.js';
import { hasFerretDbBinary, startFerretDb } from '../support/ferretdb.js';
import { at, createTest, createTestAndRun, newSnapshot } from './_fixtures.js';
import { startInstanceRival } from './_rival-process.js';
import { describeStoreContract } from './store-contract.js';

const uri = inject('mongoUri');
const serverKind = inject('mongoServerKind');
// One client of our own, to drop each test's database and to look at raw documents.
const admin = new MongoClient(uri);
afterAll(() => admin.close());

function uniqueDatabase(): string {
  return `loadctl_test_${randomBytes(6).toString('hex')}`;
}

async function openMongo(database: string, serverUri = uri): Promise<MongoStore> {
  const store = new MongoStore({ uri: serverUri, database, serverSelectionTimeoutMS: 5000 });
  await store.init();
  return store;
}

describeStoreContract(
  `MongoStore (${serverKind})`,
  async () => {
    const database = uniqueDatabase();
    const opened: Store[] = [await openMongo(database)];
    return {
      store: opened[0]!,
      openSecondStore: async () => {
        const second = await openMongo(database);
        opened.push(second);
        return second;
      },
      rawRun: async (id) => JSON.stringify(await admin.db(database).collection('load_test_runs').findOne({ _id: id as never })),
      // loadctl 0.1 wrote the run as toRunDocument does: id as _id, everything else as is.
      insertRawRun: async ({ id, ...rest }) => {
        await admin.db(database).collection('load_test_runs').insertOne({ _id: id as never, ...rest });
      },
      deleteRawRun: async (id) => {
        await admin.db(database).collection('load_test_runs').deleteOne({ _id: id as never });
      },
      startRival: (runIds, transition) =>
        startInstanceRival(
          async () => {
            const rival = await openMongo(database);
            opened.push(rival);
            return rival;
          },
          runIds,
          transition,
        ),
      cleanup: async () => {
        await Promise.all(opened.map((store) => store.close()));
        await admin.db(database).dropDatabase();
      },
    };
  },
);

describe('MongoStore on the server', () => {
  it('opens a database written before names were unique, and refuses a new test with a duplicated name', async () => {
    const database = uniqueDatabase();
    const db = admin.db(database);
    try {
      // What loadctl wrote before names were claimed: two tests named "checkout", no claims.
      const writer = await openMongo(database);
      const older = (await createTest(writer, { name: 'checkout', createdAt: at(1) })).test;
      const newer = (await createTest(writer, { name: 'other', createdAt: at(2) })).test;
      await writer.close();
      await db.collection('load_tests').updateOne({ _id: newer.id as never }, { $set: { name: 'checkout' } });
      await db.collection('load_test_names').drop();

      const store = await openMongo(database);
      try {
        expect((await store.listLoadTests({ name: 'checkout', limit: 10, offset: 0 })).total).toBe(2);
        await expect(createTest(store, { name: 'checkout' })).rejects.toMatchObject({
          code: 'LOADCTL_TEST_NAME_TAKEN',
          details: { loadTestId: older.id },
        });
        expect((await store.listLoadTests({ name: 'checkout', limit: 10, offset: 0 })).total).toBe(2);
      } finally {
        await store.close();
      }
    } finally {
      await db.dropDatabase();
    }
  });

  it('creates its indexes, unique where numbering depends on it', async () => {
    const database = uniqueDatabase();
    const store = await openMongo(database);
    try {
      const keysOf = async (collection: string) =>
        (await admin.db(database).collection(collection).listIndexes().toArray()).map((index) => ({
          key: index.key as Record<string, number>,
          unique: Boolean(index.unique),
        }));
      expect(await keysOf('metrics_timeseries')).toContainEqual({ key: { runId: 1, seq: 1 }, unique: true });
      expect(await keysOf('script_revisions')).toContainEqual({ key: { loadTestId: 1, revision: 1 }, unique: true });
      const runIndexes = await keysOf('load_test_runs');
      expect(runIndexes).toContainEqual({ key: { status: 1 }, unique: false });
      expect(runIndexes).toContainEqual({ key: { loadTestId: 1, createdAt: -1, _id: -1 }, unique: false });
      expect(await keysOf('load_tests')).toContainEqual({ key: { createdAt: -1, _id: -1 }, unique: false });
    } finally {
      await store.close();
      await admin.db(database).dropDatabase();
    }
  });

  it('stores our ids as _id and endpoint names as values, never as field names', async () => {
    const database = uniqueDatabase();
    const store = await openMongo(database);
    try {
      const { test } = await createTest(store);
      const run = await createTestAndRun(store);
      await store.appendMetrics(run.id, newSnapshot(1));
      const db = admin.db(database);

      const testDoc = await db.collection('load_tests').findOne({ _id: test.id as never });
      expect(testDoc).not.toHaveProperty('id');
      const metricsDoc = await db.collection('metrics_timeseries').findOne({ runId: run.id });
      expect(metricsDoc?.requestStats).toContainEqual(expect.objectContaining({ key: 'GET /v1.2/x', name: '/v1.2/x' }));
      expect(metricsDoc?.histogram).toContainEqual({ bucket: '110', count: 7 });
      const runDoc = await db.collection('load_test_runs').findOne({ _id: run.id as never });
      expect(runDoc?.lastMetricsSeq).toBe(1);
    } finally {
      await store.close();
      await admin.db(database).dropDatabase();
    }
  });
});

describe('MongoStore keeping a run’s lastMetrics', () => {
  it('moves only the seq of the run document on a push, and reads the stored push back as its lastMetrics', async () => {
    const database = uniqueDatabase();
    const store = await openMongo(database);
    try {
      const run = await createTestAndRun(store, { status: 'Running' });
      const db = admin.db(database);
      expect(await store.appendMetrics(run.id, newSnapshot(1))).toBe(true);
      expect(await store.appendMetrics(run.id, newSnapshot(2), { skipOlderThanLast: true })).toBe(true);
      // The 6 KB push is written once, into metrics_timeseries; the run document only points at it.
      const runDoc = await db.collection('load_test_runs').findOne({ _id: run.id as never });
      expect(runDoc).toMatchObject({ lastMetricsSeq: 2 });
      expect(runDoc).not.toHaveProperty('lastMetrics');
      expect(await db.collection('metrics_timeseries').countDocuments({ _id: `${run.id}/2` as never })).toBe(1);
      expect((await store.getRun(run.id))?.lastMetrics).toEqual(newSnapshot(2));
      expect((await store.listRuns({ loadTestId: run.loadTestId, limit: 5, offset: 0 })).items[0]?.lastMetrics).toEqual(newSnapshot(2));
      const failed = await store.transitionRun(run.id, { from: ['Running'], to: 'Failed', at: at(50), patch: { finishedAt: at(50) } });
      expect(failed?.lastMetrics).toEqual(newSnapshot(2));
      // A failed run's summary comes from its lastMetrics (it has no final push).
      expect((await store.getLoadTest(run.loadTestId))?.recentRuns[0]).toMatchObject({ runId: run.id, totalRequests: newSnapshot(2).totalRequests });
    } finally {
      await store.close();
      await admin.db(database).dropDatabase();
    }
  });

  it('reads a run whose lastMetrics an older loadctl kept inside its document, and moves on from it', async () => {
    const database = uniqueDatabase();
    const store = await openMongo(database);
    try {
      const run = await createTestAndRun(store, { status: 'Running' });
      const db = admin.db(database);
      // What the previous version wrote for pushes 1–3: documents with an ObjectId, lastMetrics inside the run.
      for (const seq of [1, 2, 3]) await db.collection('metrics_timeseries').insertOne({ ...encodeMetrics(newSnapshot(seq)), runId: run.id });
      await db.collection('load_test_runs').updateOne({ _id: run.id as never }, { $set: { lastMetrics: encodeMetrics(newSnapshot(3)), lastMetricsSeq: 3 } });

      expect((await store.getRun(run.id))?.lastMetrics).toEqual(newSnapshot(3));
      expect(await store.appendMetrics(run.id, newSnapshot(3, { totalRequests: 1 }))).toBe(false);
      expect(await store.appendMetrics(run.id, newSnapshot(2), { skipOlderThanLast: true })).toBe(false);
      expect((await store.getRun(run.id))?.lastMetrics).toEqual(newSnapshot(3));
      expect(await store.appendMetrics(run.id, newSnapshot(4), { skipOlderThanLast: true })).toBe(true);
      expect((await store.getRun(run.id))?.lastMetrics).toEqual(newSnapshot(4));
      expect((await store.listMetrics(run.id)).map((snapshot) => snapshot.seq)).toEqual([1, 2, 3, 4]);
    } finally {
      await store.close();
      await admin.db(database).dropDatabase();
    }
  });
});

describe('MongoStore deleting a load test', () => {
  it('removes what an interrupted delete left behind on the next delete of the same id', async () => {
    const database = uniqueDatabase();
    const store = await openMongo(database);
    try {
      const run = await createTestAndRun(store, { status: 'Finished' });
      await store.appendMetrics(run.id, newSnapshot(1));
      const db = admin.db(database);
      // What a crash right after the first step leaves: the test gone, its children still there.
      await db.collection('load_tests').deleteOne({ _id: run.loadTestId as never });
      expect(await store.getLoadTest(run.loadTestId)).toBeNull();

      expect(await store.deleteLoadTest(run.loadTestId)).toBe(true);
      expect(await store.getRun(run.id)).toBeNull();
      expect(await db.collection('metrics_timeseries').countDocuments({ runId: run.id })).toBe(0);
      expect(await db.collection('script_revisions').countDocuments({ loadTestId: run.loadTestId })).toBe(0);
      expect(await store.deleteLoadTest(run.loadTestId)).toBe(false);
    } finally {
      await store.close();
      await admin.db(database).dropDatabase();
    }
  });
});

describe('MongoStore connection failures', () => {
  it('fails fast on a closed port, naming the host and never the password', async () => {
    const port = await closedPort();
    const store = new MongoStore({ uri: `mongodb://loadctl:s3cret-pw@127.0.0.1:${port}/`, serverSelectionTimeoutMS: 1000 });
    const started = Date.now();
    const error = await store.init().then(
      () => undefined,
      (caught: unknown) => caught as Error & { code?: string },
    );
    await store.close();

    expect(Date.now() - started).toBeLessThan(5000);
    expect(error?.code).toBe('LOADCTL_STORE_UNAVAILABLE');
    expect(error?.message).toMatch(new RegExp(`^Cannot connect to MongoDB at 127\\.0\\.0\\.1:${port}: `));
    expect(error?.message).toContain('--mongo-uri / LOADCTL_MONGODB_URI / mongodb.uri');
    expect(error?.message).not.toContain('s3cret');
  });

  it('reports a malformed URI as a configuration error without the password', () => {
    expect(() => new MongoStore({ uri: 'mongodb://loadctl:s3cret@127.0.0.1:notaport/' })).toThrow(
      expect.objectContaining({ code: 'LOADCTL_CONFIG_INVALID', message: expect.not.stringContaining('s3cret') }),
    );
  });

  // Needs a server of its own to stop: a FerretDB, even when the suite runs on a real MongoDB.
  it.skipIf(!hasFerretDbBinary())(
    'reports unhealthy when the server stops, and healthy again once it is back',
    async () => {
      const dataDir = await mkdtemp(join(tmpdir(), 'loadctl-ferretdb-health-'));
      let server = await startFerretDb({ dataDir });
      const listen = new URL(server.uri).host;
      const store = new MongoStore({ uri: server.uri, database: 'health', serverSelectionTimeoutMS: 1000, healthTimeoutMS: 1000 });
      try {
        await store.init();
        expect(await store.health()).toMatchObject({ ok: true, kind: 'mongodb' });

        await server.stop();
        const started = Date.now();
        const down = await store.health();
        expect(down).toMatchObject({ ok: false, kind: 'mongodb', detail: expect.stringContaining(listen) });
        expect(Date.now() - started).toBeLessThan(5000);
        await expect(store.getRun('run_x')).rejects.toMatchObject({ code: 'LOADCTL_STORE_UNAVAILABLE' });

        // Same port and data: the driver finds the server again by itself.
        server = await startFerretDb({ dataDir, listen });
        await expect.poll(async () => (await store.health()).ok, { timeout: 15_000, interval: 250 }).toBe(true);
      } finally {
        await store.close();
        await server.stop();
        await rm(dataDir, { recursive: true, force: true });
      }
    },
  );
});

describe('MongoStore with a frozen server', () => {
  // A server that keeps its connections open but answers nothing (SIGSTOP: a stuck VM, a GC
  // pause, a full disk). Its own FerretDB, so freezing it stops no other test.
  it.skipIf(!hasFerretDbBinary())(
    'fails each operation within its timeout while the server is frozen, and works again once it thaws',
    async () => {
      const dataDir = await mkdtemp(join(tmpdir(), 'loadctl-ferretdb-frozen-'));
      const server = await startFerretDb({ dataDir });
      const store = new MongoStore({ uri: server.uri, database: 'frozen', serverSelectionTimeoutMS: 1000, healthTimeoutMS: 1000, operationTimeoutMS: 1000 });
      let frozen = false;
      try {
        await store.init();
        const run = await createTestAndRun(store);
        process.kill(server.pid, 'SIGSTOP');
        frozen = true;
        // SIGSTOP lands asynchronously: wait until every thread of the server is stopped, or a
        // request sent at once can still be answered.
        await expect.poll(() => allThreadsStopped(server.pid), { timeout: 5_000, interval: 20 }).toBe(true);

        const operations: [string, () => Promise<unknown>][] = [
          ['getRun', () => store.getRun(run.id)],
          ['transitionRun', () => store.transitionRun(run.id, { from: ['Pending'], to: 'Starting', at: at(21) })],
          ['appendMetrics', () => store.appendMetrics(run.id, newSnapshot(1))],
          ['listRuns', () => store.listRuns({ limit: 10, offset: 0 })],
        ];
        const took: string[] = [];
        for (const [what, operation] of operations) {
          const started = Date.now();
          const outcome = await settleWithin(operation(), 15_000);
          expect(outcome, what).toMatchObject({ rejected: { code: 'LOADCTL_STORE_UNAVAILABLE' } });
          // One silent round trip (1 s), the driver's one retry after server selection (1 s), its round trip (1 s).
          expect(Date.now() - started, what).toBeLessThan(6000);
          took.push(`${what} ${Date.now() - started} ms`);
        }
        console.log(`[store] frozen FerretDB, operationTimeoutMS 1000: ${took.join(', ')}`);
        expect(await settleWithin(store.health(), 8000)).toMatchObject({ resolved: { ok: false } });

        process.kill(server.pid, 'SIGCONT');
        frozen = false;
        await expect.poll(async () => (await store.health()).ok, { timeout: 15_000, interval: 250 }).toBe(true);
        // Nothing was half-done while frozen: the run moves on from where it was.
        expect(await store.transitionRun(run.id, { from: ['Pending'], to: 'Starting', at: at(22) })).toMatchObject({ status: 'Starting' });
        expect((await store.getRun(run.id))?.statusHistory).toHaveLength(2);
      } finally {
        if (frozen) process.kill(server.pid, 'SIGCONT');
        await store.close();
        await server.stop();
        await rm(dataDir, { recursive: true, force: true });
      }
    },
  );
});

/** How a promise settled, or "pending" when it had not after the deadline (a hang is a result here). */
async function settleWithin<T>(promise: Promise<T>, deadlineMs: number): Promise<{ resolved: T } | { rejected: unknown } | 'pending'> {
  let timer: NodeJS.Timeout | undefined;
  const pending = new Promise<'pending'>((resolve) => (timer = setTimeout(() => resolve('pending'), deadlineMs)));
  try {
    return await Promise.race([promise.then((resolved) => ({ resolved }), (rejected: unknown) => ({ rejected })), pending]);
  } finally {
    clearTimeout(timer);
  }
}

/** A loopback port nothing listens on (bound, then released). */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Whether every thread of the process is in the stopped state ("T" in /proc/PID/task/TID/stat). */
function allThreadsStopped(pid: number): boolean {
  const tasks = readdirSync(`/proc/${pid}/task`);
  return tasks.every((tid) => {
    const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('T');
  });
}
