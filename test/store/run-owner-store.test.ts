// A run's owner (issue 10, scenario 6) is kept by both stores, rewritten by the heartbeat,
// and absent on runs written before owners existed.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import type { RunOwner } from '../../src/domain/types.js';
import { MongoStore } from '../../src/store/mongo-store.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { at, createTestAndRun } from './_fixtures.js';

const owner: RunOwner = { host: 'ci-1', pid: 4242, startedAt: at(0), heartbeatAt: at(10) };
const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const stores: Array<[string, () => Promise<Store>]> = [
  [
    'SqliteStore',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'loadctl-owner-store-'));
      dirs.push(dir);
      const store = new SqliteStore({ file: join(dir, 'loadctl.db') });
      await store.init();
      return store;
    },
  ],
  [
    'MongoStore',
    async () => {
      const store = new MongoStore({ uri: inject('mongoUri'), database: `loadctl_owner_${randomBytes(6).toString('hex')}`, serverSelectionTimeoutMS: 5000 });
      await store.init();
      return store;
    },
  ],
];

describe.each(stores)('%s keeps a run’s owner', (_name, open) => {
  it('as written, through a heartbeat and a transition', async () => {
    const store = await open();
    try {
      const run = await createTestAndRun(store, { owner });
      expect((await store.getRun(run.id))?.owner).toEqual(owner);
      const beat = { ...owner, heartbeatAt: at(25) };
      expect((await store.updateRun(run.id, { owner: beat }))?.owner).toEqual(beat);
      await store.transitionRun(run.id, { from: ['Pending'], to: 'Starting', at: at(26) });
      expect((await store.getRun(run.id))?.owner).toEqual(beat);
      expect((await store.listRuns({ limit: 10, offset: 0 })).items[0]?.owner).toEqual(beat);
    } finally {
      await store.close();
    }
  });

  it('absent on a run written before owners existed', async () => {
    const store = await open();
    try {
      const run = await createTestAndRun(store);
      expect((await store.getRun(run.id))?.owner).toBeUndefined();
    } finally {
      await store.close();
    }
  });
});
