// A store file written before scope fields were fields (fixtures/v1-scope-in-extra.db, written
// by fixtures/write-v1-store.mjs with the previous store code) upgrades on open: tests and
// their runs read and filter by scope like new ones, nothing else changes.
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../../src/store/_sqlite-schema.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';

const V1_FILE = fileURLToPath(new URL('./fixtures/v1-scope-in-extra.db', import.meta.url));

describe('SqliteStore upgrading a file with scope kept in extra', () => {
  let dir: string;
  let file: string;
  let store: SqliteStore;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'loadctl-legacy-'));
    file = join(dir, 'loadctl.db');
    await copyFile(V1_FILE, file);
    const before = new Database(file, { readonly: true });
    expect(before.pragma('user_version', { simple: true })).toBe(1);
    before.close();
    store = new SqliteStore({ file });
    await store.init();
  });
  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('reads old tests with their scope as fields and the rest of extra kept', async () => {
    const test = await store.getLoadTest('lt_products');
    expect(test).toMatchObject({ accountId: 'my-account', orgId: 'my-org', projectId: 'products-api', envId: 'vm-test', name: 'Products', latestRevision: 1 });
    expect(test?.extra).toEqual({ createdBy: 'run-vm-test-plugin.sh', metadata: { 'team.name': 'shop' } });
    expect(await store.getLoadTest('lt_plain')).toMatchObject({ extra: {} });
    expect(await store.getLoadTest('lt_plain')).not.toHaveProperty('accountId');
  });

  it('filters old tests and their runs by scope', async () => {
    const tests = async (scope: Record<string, string>) => (await store.listLoadTests({ scope, limit: 10, offset: 0 })).items.map((test) => test.id);
    expect(await tests({ accountId: 'my-account' })).toEqual(['lt_search', 'lt_products']);
    expect(await tests({ projectId: 'products-api', envId: 'vm-test' })).toEqual(['lt_products']);
    const runs = async (scope: Record<string, string>) => (await store.listRuns({ scope, limit: 10, offset: 0 })).items.map((run) => run.id);
    expect(await runs({ accountId: 'my-account' })).toEqual(['run_search', 'run_products']);
    expect(await runs({ projectId: 'search-api' })).toEqual(['run_search']);
    // A run of an old test reads with its test's scope.
    expect(await store.getRun('run_products')).toMatchObject({ accountId: 'my-account', envId: 'vm-test', status: 'Finished' });
    expect(await store.getRun('run_plain')).not.toHaveProperty('accountId');
  });

  it('records the new schema version and keeps everything else', async () => {
    await store.close();
    const after = new Database(file, { readonly: true });
    try {
      expect(after.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(after.prepare('SELECT count(*) AS n FROM load_tests').get()).toEqual({ n: 3 });
      expect(after.prepare('SELECT count(*) AS n FROM load_test_runs').get()).toEqual({ n: 3 });
    } finally {
      after.close();
    }
    store = new SqliteStore({ file });
    await store.init();
    expect((await store.listLoadTests({ limit: 10, offset: 0 })).items.map((test) => test.name)).toEqual(['Plain', 'Search', 'Products']);
  });
});
