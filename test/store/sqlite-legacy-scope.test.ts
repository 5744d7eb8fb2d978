// A store file written before scope fields were fields (fixtures/v1-scope-in-extra.db, written
// by fixtures/write-v1-store.mjs with the previous store code) upgrades on open: tests and
// their runs read and filter by scope like new ones, nothing else changes.
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../../src/store/_sqlite-schema.js';
import type { SqliteStore } from '../../src/store/sqlite-store.js';
import { copySqliteFixture, type SqliteFixtureCopy } from './_legacy-fixture.js';

const V1_FILE = fileURLToPath(new URL('./fixtures/v1-scope-in-extra.db', import.meta.url));

describe('SqliteStore upgrading a file with scope kept in extra', () => {
  let copy: SqliteFixtureCopy;
  let store: SqliteStore;
  beforeEach(async () => {
    copy = await copySqliteFixture(V1_FILE);
    expect(copy.row('PRAGMA user_version')).toEqual({ user_version: 1 });
    store = await copy.open();
  });
  afterEach(() => copy.remove());

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
    expect(copy.row('PRAGMA user_version')).toEqual({ user_version: SCHEMA_VERSION });
    expect(copy.row('SELECT count(*) AS n FROM load_tests')).toEqual({ n: 3 });
    expect(copy.row('SELECT count(*) AS n FROM load_test_runs')).toEqual({ n: 3 });
    store = await copy.open();
    expect((await store.listLoadTests({ limit: 10, offset: 0 })).items.map((test) => test.name)).toEqual(['Plain', 'Search', 'Products']);
  });
});
