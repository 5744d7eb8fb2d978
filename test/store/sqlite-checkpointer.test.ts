// The embedded store copies its WAL back into the file from a worker thread once pushes pour
// in (SQLite's own checkpoint inside a commit is turned off then): the file must still receive
// every push, and a worker that cannot work must say so.
import { mkdtemp, rm } from 'node:fs/promises';
import { statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startCheckpointer } from '../../src/store/_sqlite-checkpointer.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { waitFor } from '../support/serve.js';
import { createTestAndRun, newSnapshot } from './_fixtures.js';

describe('the embedded store’s WAL checkpoints', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'loadctl-checkpoint-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('copies pushes into the store file while the store stays open, and they read back after a reopen', async () => {
    const file = join(dir, 'loadctl.db');
    const store = new SqliteStore({ file });
    await store.init();
    const run = await createTestAndRun(store);
    const sizeBefore = statSync(file).size;
    const pushes = 800; // the worker starts after 500
    for (let seq = 1; seq <= pushes; seq += 1) await store.appendMetrics(run.id, newSnapshot(seq));
    const written = (await store.listMetrics(run.id)).reduce((bytes, push) => bytes + JSON.stringify(push).length, 0);
    // The commits themselves no longer checkpoint: only the worker can grow the file by this much.
    await waitFor(async () => statSync(file).size - sizeBefore, (grown) => grown >= written, { timeoutMs: 15_000, what: 'the pushes to be copied into the store file' });
    await store.close();

    // Read past the WAL: without it, every push is in the file.
    const db = new Database(file, { readonly: true });
    try {
      expect((db.prepare('SELECT count(*) AS n FROM metrics_timeseries WHERE run_id = ?').get(run.id) as { n: number }).n).toBe(pushes);
    } finally {
      db.close();
    }
  });

  it('reports a worker that cannot open the store, so SQLite checkpoints in its commits again', async () => {
    let failure: Error | undefined;
    const checkpointer = startCheckpointer(join(dir, 'missing', 'loadctl.db'), 100, (error) => (failure = error));
    await waitFor(async () => failure, (seen) => seen !== undefined, { timeoutMs: 10_000, what: 'the worker to report its failure' });
    expect(failure?.message).toMatch(/unable to open|directory does not exist|SQLITE_CANTOPEN/i);
    await checkpointer.stop();
  });
});
