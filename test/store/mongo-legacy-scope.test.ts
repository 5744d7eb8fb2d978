// Documents written before scope fields were fields (fixtures/v1-mongo-documents.json: scope
// inside extraJson, runs without scope) read and filter like new ones once a store opens.
import { readFileSync } from 'node:fs';
import { MongoClient } from 'mongodb';
import { afterAll, afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import type { MongoStore } from '../../src/store/mongo-store.js';
import { copyMongoFixture, type MongoFixtureCopy } from './_legacy-fixture.js';

const uri = inject('mongoUri');
const admin = new MongoClient(uri);
afterAll(() => admin.close());
const V1 = JSON.parse(readFileSync(new URL('./fixtures/v1-mongo-documents.json', import.meta.url), 'utf8')) as Record<string, Record<string, unknown>[]>;

describe('MongoStore reading documents with scope kept in extraJson', () => {
  let copy: MongoFixtureCopy;
  let store: MongoStore;
  beforeEach(async () => {
    copy = await copyMongoFixture(admin, uri, V1);
    store = copy.store;
  });
  afterEach(() => copy.remove());

  it('reads an old test with its scope as fields and the rest of extra kept', async () => {
    const test = await store.getLoadTest('lt_products');
    expect(test).toMatchObject({ accountId: 'my-account', orgId: 'my-org', projectId: 'products-api', envId: 'vm-test', name: 'Products' });
    expect(test?.extra).toEqual({ createdBy: 'run-vm-test-plugin.sh', metadata: { 'team.name': 'shop' } });
    expect(await store.getLoadTest('lt_plain')).not.toHaveProperty('accountId');
  });

  it('filters old tests and their runs by scope', async () => {
    const tests = async (scope: Record<string, string>) => (await store.listLoadTests({ scope, limit: 10, offset: 0 })).items.map((test) => test.id);
    expect(await tests({ accountId: 'my-account' })).toEqual(['lt_search', 'lt_products']);
    expect(await tests({ projectId: 'products-api', envId: 'vm-test' })).toEqual(['lt_products']);
    const runs = async (scope: Record<string, string>) => (await store.listRuns({ scope, limit: 10, offset: 0 })).items.map((run) => run.id);
    expect(await runs({ accountId: 'my-account' })).toEqual(['run_search', 'run_products']);
    expect(await runs({ envId: 'dev' })).toEqual(['run_search']);
    expect(await store.getRun('run_plain')).not.toHaveProperty('accountId');
  });

  it('reads a document still in the old shape (written after start-up by an older loadctl) the same way', async () => {
    const late = { ...V1.load_tests![0]!, _id: 'lt_late', extraJson: JSON.stringify({ accountId: 'late-account', createdBy: 'old' }) };
    await copy.db.collection('load_tests').insertOne(late as never);
    expect(await store.getLoadTest('lt_late')).toMatchObject({ accountId: 'late-account', extra: { createdBy: 'old' } });
    // An update writes it in the new shape whole.
    const updated = await store.updateLoadTest('lt_late', { scope: { envId: 'prod' }, updatedAt: '2025-02-01T00:00:00.000Z' });
    expect(updated).toMatchObject({ accountId: 'late-account', envId: 'prod', extra: { createdBy: 'old' } });
    const raw = await copy.db.collection('load_tests').findOne({ _id: 'lt_late' as never });
    expect(raw).toMatchObject({ accountId: 'late-account', envId: 'prod', extraJson: '{"createdBy":"old"}' });
  });
});
