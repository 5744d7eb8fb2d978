import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { EMBEDDED_STORE_FILE, openStore } from '../../src/store/open-store.js';
import { createTest } from './_fixtures.js';

describe('openStore', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'loadctl-open-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('opens the embedded store in a data folder it creates for its owner only', async () => {
    const dataDir = join(dir, 'nested', 'data');
    const store = await openStore({ dataDir });
    try {
      expect(await store.health()).toMatchObject({ ok: true, kind: 'embedded' });
      expect(existsSync(join(dataDir, EMBEDDED_STORE_FILE))).toBe(true);
      expect((await stat(dataDir)).mode & 0o777).toBe(0o700);
      const { test } = await createTest(store);
      expect(await store.getLoadTest(test.id)).toEqual(test);
    } finally {
      await store.close();
    }
  });

  it('opens MongoDB when a URI is given, in the database named', async () => {
    const uri = inject('mongoUri');
    const database = `loadctl_test_${randomBytes(6).toString('hex')}`;
    const store = await openStore({ mongoUri: uri, mongoDatabase: database, dataDir: join(dir, 'unused') });
    const admin = new MongoClient(uri);
    try {
      expect(await store.health()).toMatchObject({ ok: true, kind: 'mongodb' });
      const { test } = await createTest(store);
      expect(await admin.db(database).collection('load_tests').countDocuments({ _id: test.id as never })).toBe(1);
      // No embedded file is made when MongoDB is used.
      expect(existsSync(join(dir, 'unused'))).toBe(false);
    } finally {
      await store.close();
      await admin.db(database).dropDatabase();
      await admin.close();
    }
  });
});
