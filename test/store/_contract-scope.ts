// Contract: scope fields (accountId, orgId, projectId, envId, tenantId) on tests and runs are
// plain fields that list filters match; tests also filter by any of several tags and sort.
import { describe, expect, it } from 'vitest';
import { at, createTest, newRun } from './_fixtures.js';
import type { CurrentStore } from './store-contract.js';

const PRODUCTS = { accountId: 'my-account', orgId: 'my-org', projectId: 'products-api', envId: 'vm-test' } as const;
const SEARCH = { accountId: 'my-account', orgId: 'my-org', projectId: 'search-api', envId: 'dev', tenantId: 'tenant-1' } as const;

export function describeScopeContract(subject: CurrentStore): void {
  describe('scope fields', () => {
    it('keeps a test’s scope as fields and filters tests by each of them', async () => {
      const { store } = subject();
      const products = (await createTest(store, { ...PRODUCTS, createdAt: at(1), updatedAt: at(1) })).test;
      const search = (await createTest(store, { ...SEARCH, createdAt: at(2), updatedAt: at(2) })).test;
      await createTest(store, { accountId: 'other-account', createdAt: at(3), updatedAt: at(3) });
      await createTest(store, { createdAt: at(4), updatedAt: at(4) });

      expect(await store.getLoadTest(products.id)).toMatchObject(PRODUCTS);
      expect(await store.getLoadTest(search.id)).toMatchObject(SEARCH);
      const ids = async (scope: Record<string, string>) => (await store.listLoadTests({ scope, limit: 10, offset: 0 })).items.map((test) => test.id);
      expect(await ids({ accountId: 'my-account' })).toEqual([search.id, products.id]);
      expect(await ids({ accountId: 'my-account', projectId: 'products-api' })).toEqual([products.id]);
      expect(await ids({ envId: 'dev' })).toEqual([search.id]);
      expect(await ids({ tenantId: 'tenant-1' })).toEqual([search.id]);
      expect(await ids({ orgId: 'my-org', envId: 'prod' })).toEqual([]);
      expect((await store.listLoadTests({ scope: { accountId: 'my-account' }, limit: 1, offset: 0 })).total).toBe(2);
    });

    it('filters runs by the scope they carry', async () => {
      const { store } = subject();
      const products = await createTest(store, PRODUCTS);
      const search = await createTest(store, SEARCH);
      const first = await store.createRun(newRun(products.test.id, products.revision.id, { ...PRODUCTS, createdAt: at(10) }));
      const second = await store.createRun(newRun(search.test.id, search.revision.id, { ...SEARCH, createdAt: at(11) }));
      const third = await store.createRun(newRun(products.test.id, products.revision.id, { ...PRODUCTS, createdAt: at(12) }));

      expect(await store.getRun(first.id)).toMatchObject(PRODUCTS);
      const ids = async (scope: Record<string, string>, sortOrder?: 'asc' | 'desc') =>
        (await store.listRuns({ scope, limit: 10, offset: 0, ...(sortOrder ? { sortOrder } : {}) })).items.map((run) => run.id);
      expect(await ids({ accountId: 'my-account' })).toEqual([third.id, second.id, first.id]);
      expect(await ids({ projectId: 'products-api' })).toEqual([third.id, first.id]);
      expect(await ids({ projectId: 'products-api' }, 'asc')).toEqual([first.id, third.id]);
      expect(await ids({ tenantId: 'tenant-1', envId: 'dev' })).toEqual([second.id]);
      expect(await ids({ envId: 'nowhere' })).toEqual([]);
    });

    it('sets and removes scope fields on update, and the filters follow', async () => {
      const { store } = subject();
      const { test } = await createTest(store, PRODUCTS);
      const moved = await store.updateLoadTest(test.id, { scope: { envId: 'prod', tenantId: 't-9', orgId: null }, updatedAt: at(50) });
      expect(moved).toMatchObject({ accountId: 'my-account', projectId: 'products-api', envId: 'prod', tenantId: 't-9' });
      expect(moved).not.toHaveProperty('orgId');
      expect(await store.getLoadTest(test.id)).toEqual(moved);
      expect((await store.listLoadTests({ scope: { envId: 'prod' }, limit: 10, offset: 0 })).total).toBe(1);
      expect((await store.listLoadTests({ scope: { envId: 'vm-test' }, limit: 10, offset: 0 })).total).toBe(0);
      expect((await store.listLoadTests({ scope: { orgId: 'my-org' }, limit: 10, offset: 0 })).total).toBe(0);
    });

    it('filters tests by any of several tags and sorts by updatedAt either way', async () => {
      const { store } = subject();
      const a = (await createTest(store, { tags: ['smoke'], createdAt: at(1), updatedAt: at(9) })).test;
      const b = (await createTest(store, { tags: ['nightly', 'shop'], createdAt: at(2), updatedAt: at(5) })).test;
      await createTest(store, { tags: ['other'], createdAt: at(3), updatedAt: at(7) });

      const anyOf = await store.listLoadTests({ tags: ['smoke', 'shop'], limit: 10, offset: 0 });
      expect(anyOf.items.map((test) => test.id)).toEqual([b.id, a.id]);
      expect(anyOf.total).toBe(2);
      const byUpdated = await store.listLoadTests({ tags: ['smoke', 'shop'], sortBy: 'updatedAt', limit: 10, offset: 0 });
      expect(byUpdated.items.map((test) => test.id)).toEqual([a.id, b.id]);
      const oldestFirst = await store.listLoadTests({ tags: ['smoke', 'shop'], sortOrder: 'asc', limit: 10, offset: 0 });
      expect(oldestFirst.items.map((test) => test.id)).toEqual([a.id, b.id]);
    });
  });
}
