import { spawn } from 'node:child_process';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../../src/store/_sqlite-schema.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { createTest, createTestAndRun } from './_fixtures.js';
import { startSqliteRival } from './_rival-process.js';
import { describeStoreContract } from './store-contract.js';

const DUPLICATE_NAMES_FIXTURE = fileURLToPath(new URL('./fixtures/v1-duplicate-names.db', import.meta.url));
const HOLD_LOCK_SCRIPT = fileURLToPath(new URL('./fixtures/hold-write-lock.mjs', import.meta.url));

async function openSqlite(file: string, busyTimeoutMs?: number): Promise<SqliteStore> {
  const store = new SqliteStore({ file, busyTimeoutMs });
  await store.init();
  return store;
}

describeStoreContract('SqliteStore', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'loadctl-sqlite-'));
  const file = join(dir, 'loadctl.db');
  const opened: Store[] = [await openSqlite(file)];
  return {
    store: opened[0]!,
    openSecondStore: async () => {
      const second = await openSqlite(file);
      opened.push(second);
      return second;
    },
    rawRun: async (id) => withRawDb(file, (db) => String((db.prepare('SELECT doc FROM load_test_runs WHERE id = ?').get(id) as { doc: string }).doc)),
    // loadctl 0.1 wrote the run whole as JSON, the columns beside it copied from it.
    insertRawRun: async (run) =>
      withRawDb(file, (db) => {
        db.prepare('INSERT INTO load_test_runs (id, load_test_id, status, created_at, doc) VALUES (?, ?, ?, ?, ?)').run(run.id, run.loadTestId, run.status, run.createdAt, JSON.stringify(run));
      }),
    deleteRawRun: async (id) =>
      withRawDb(file, (db) => {
        db.prepare('DELETE FROM metrics_timeseries WHERE run_id = ?').run(id);
        db.prepare('DELETE FROM load_test_runs WHERE id = ?').run(id);
      }),
    startRival: (runIds, transition) => startSqliteRival(file, runIds, transition),
    cleanup: async () => {
      await Promise.all(opened.map((store) => store.close()));
      await rm(dir, { recursive: true, force: true });
    },
  };
});

function withRawDb<T>(file: string, use: (db: Database.Database) => T): T {
  const db = new Database(file, { timeout: 5000 });
  try {
    return use(db);
  } finally {
    db.close();
  }
}

describe('SqliteStore file handling', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'loadctl-sqlite-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('uses WAL and records the schema version', async () => {
    const file = join(dir, 'loadctl.db');
    const store = await openSqlite(file);
    await store.close();
    const db = new Database(file, { readonly: true });
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    } finally {
      db.close();
    }
  });

  // Written by loadctl before names were unique (schema 1): two tests named "checkout".
  it('opens a file that holds duplicate names, keeps both, and refuses a third', async () => {
    const file = join(dir, 'loadctl.db');
    await copyFile(DUPLICATE_NAMES_FIXTURE, file);
    const store = await openSqlite(file);
    try {
      expect((await store.listLoadTests({ name: 'checkout', limit: 10, offset: 0 })).items.map((test) => test.id)).toEqual([
        'lt_dup_new',
        'lt_dup_old',
      ]);
      expect((await store.getLoadTest('lt_dup_new'))?.latestRevisionId).toBe('rev_lt_dup_new');
      // The oldest keeps the name: that is the test `loadctl run --name checkout` is pointed to.
      await expect(createTest(store, { name: 'checkout' })).rejects.toMatchObject({
        code: 'LOADCTL_TEST_NAME_TAKEN',
        details: { loadTestId: 'lt_dup_old' },
      });
      // Deleting the oldest leaves the name with the other one, not free.
      expect(await store.deleteLoadTest('lt_dup_old')).toBe(true);
      await expect(createTest(store, { name: 'checkout' })).rejects.toMatchObject({ details: { loadTestId: 'lt_dup_new' } });
      await expect(createTest(store, { name: 'search' })).rejects.toMatchObject({ details: { loadTestId: 'lt_unique' } });
    } finally {
      await store.close();
    }
  });

  it('refuses a file written by a newer schema', async () => {
    const file = join(dir, 'loadctl.db');
    const db = new Database(file);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    await expect(openSqlite(file)).rejects.toMatchObject({
      code: 'LOADCTL_STORE_UNAVAILABLE',
      message: expect.stringContaining('newer than this loadctl understands'),
    });
  });

  it('reports a file it cannot open as LOADCTL_STORE_UNAVAILABLE', async () => {
    const notADatabase = join(dir, 'garbage.db');
    await writeFile(notADatabase, 'this is not a database file, just some text that is long enough');
    await expect(openSqlite(notADatabase)).rejects.toMatchObject({ code: 'LOADCTL_STORE_UNAVAILABLE' });
    await expect(openSqlite(join(dir, 'missing-folder', 'loadctl.db'))).rejects.toMatchObject({
      code: 'LOADCTL_STORE_UNAVAILABLE',
      message: expect.stringContaining('missing-folder'),
    });
  });

  it('reports unhealthy once closed, without throwing', async () => {
    const store = await openSqlite(join(dir, 'loadctl.db'));
    await store.close();
    expect(await store.health()).toMatchObject({ ok: false, kind: 'embedded' });
  });

  describe('with a second process on the same file', () => {
    it('lets it read our writes, and waits for its write lock instead of failing', async () => {
      const store = await openSqlite(join(dir, 'loadctl.db'));
      try {
        const run = await createTestAndRun(store);
        const child = startLockHolder(join(dir, 'loadctl.db'), run.id, 800);
        expect(await child.nextLine()).toBe('status Pending');
        expect(await child.nextLine()).toBe('locked');

        const started = Date.now();
        const moved = await store.transitionRun(run.id, { from: ['Pending'], to: 'Starting', at: run.createdAt });
        expect(moved?.status).toBe('Starting');
        // The write had to wait for the other process to commit.
        expect(Date.now() - started).toBeGreaterThan(300);
        expect(await child.nextLine()).toBe('released');
        expect(await child.exitCode).toBe(0);
      } finally {
        await store.close();
      }
    });

    it('gives up with LOADCTL_STORE_UNAVAILABLE after the busy timeout', async () => {
      const store = await openSqlite(join(dir, 'loadctl.db'), 100);
      try {
        const run = await createTestAndRun(store);
        const child = startLockHolder(join(dir, 'loadctl.db'), run.id, 1000);
        await child.nextLine();
        expect(await child.nextLine()).toBe('locked');
        await expect(store.updateRun(run.id, { error: 'x' })).rejects.toMatchObject({
          code: 'LOADCTL_STORE_UNAVAILABLE',
        });
        expect(await child.exitCode).toBe(0);
        // Nothing was half-written: once the lock is gone the run is as it was.
        expect(await store.getRun(run.id)).toEqual(run);
      } finally {
        await store.close();
      }
    });
  });
});

function startLockHolder(file: string, runId: string, holdMs: number) {
  const child = spawn(process.execPath, [HOLD_LOCK_SCRIPT, file, runId, String(holdMs)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: string[] = [];
  const waiting: ((line: string) => void)[] = [];
  let buffered = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    let newline: number;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      const waiter = waiting.shift();
      if (waiter) waiter(line);
      else lines.push(line);
    }
  });
  const exitCode = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    exitCode,
    nextLine: (): Promise<string> => {
      const line = lines.shift();
      if (line !== undefined) return Promise.resolve(line);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('the second process said nothing for 10 s')), 10_000);
        waiting.push((next) => {
          clearTimeout(timer);
          resolve(next);
        });
      });
    },
  };
}
