// Contract: load tests and their script revisions.
import { describe, expect, it } from 'vitest';
import { at, createTest, newLoadTest, newRevision } from './_fixtures.js';
import type { CurrentStore } from './store-contract.js';

export function describeLoadTestContract(subject: CurrentStore): void {
  describe('load tests', () => {
    it('creates a test with revision 1 and reads both back exactly', async () => {
      const { store } = subject();
      const input = newLoadTest();
      const firstRevision = newRevision();
      const { test, revision } = await store.createLoadTest(input, firstRevision);

      expect(test).toEqual({ ...input, latestRevisionId: firstRevision.id, latestRevision: 1, recentRuns: [] });
      expect(revision).toEqual({ ...firstRevision, loadTestId: input.id, revision: 1 });
      expect(await store.getLoadTest(input.id)).toEqual(test);
      expect(await store.getScriptRevision(firstRevision.id)).toEqual(revision);
    });

    it('returns null for an unknown test or revision', async () => {
      const { store } = subject();
      await createTest(store);
      expect(await store.getLoadTest('lt_missing')).toBeNull();
      expect(await store.getScriptRevision('rev_missing')).toBeNull();
    });

    it('lists newest first, with the total and pages', async () => {
      const { store } = subject();
      const ids: string[] = [];
      for (const second of [3, 1, 4, 0, 2]) {
        ids[second] = (await createTest(store, { createdAt: at(second), updatedAt: at(second) })).test.id;
      }

      const first = await store.listLoadTests({ limit: 2, offset: 0 });
      expect(first.total).toBe(5);
      expect(first.items.map((test) => test.id)).toEqual([ids[4], ids[3]]);
      const second = await store.listLoadTests({ limit: 2, offset: 2 });
      expect(second.items.map((test) => test.id)).toEqual([ids[2], ids[1]]);
      const last = await store.listLoadTests({ limit: 2, offset: 4 });
      expect(last).toEqual({ total: 5, items: [expect.objectContaining({ id: ids[0] })] });
    });

    it('filters by a case-insensitive name substring and by tag, counting only matches', async () => {
      const { store } = subject();
      const checkout = (await createTest(store, { name: 'Checkout flow', tags: ['smoke', 'shop'], createdAt: at(1) })).test;
      const dotted = (await createTest(store, { name: 'checkout (v1.2)', tags: ['nightly'], createdAt: at(2) })).test;
      await createTest(store, { name: 'Search', tags: ['smoke'], createdAt: at(3) });

      const byName = await store.listLoadTests({ name: 'CHECKOUT', limit: 10, offset: 0 });
      expect(byName.total).toBe(2);
      expect(byName.items.map((test) => test.id)).toEqual([dotted.id, checkout.id]);
      // Regex characters in the filter are literal text, not patterns.
      expect((await store.listLoadTests({ name: '(v1.2)', limit: 10, offset: 0 })).total).toBe(1);
      expect((await store.listLoadTests({ name: 'v1x2', limit: 10, offset: 0 })).total).toBe(0);

      const byTag = await store.listLoadTests({ tag: 'smoke', limit: 10, offset: 0 });
      expect(byTag.total).toBe(2);
      expect(byTag.items.map((test) => test.name).sort()).toEqual(['Checkout flow', 'Search']);
      expect((await store.listLoadTests({ tag: 'sho', limit: 10, offset: 0 })).total).toBe(0);

      const both = await store.listLoadTests({ name: 'check', tag: 'smoke', limit: 10, offset: 0 });
      expect(both).toEqual({ total: 1, items: [expect.objectContaining({ id: checkout.id })] });
    });

    it('refuses a second test with the same id and keeps the first one intact', async () => {
      const { store } = subject();
      const { test, revision } = await createTest(store);
      await expect(store.createLoadTest({ ...newLoadTest(), id: test.id, name: 'Impostor' }, newRevision())).rejects.toThrow();
      expect(await store.getLoadTest(test.id)).toEqual(test);
      expect(await store.listScriptRevisions(test.id)).toEqual([revision]);
    });

    it('writes no test when its first revision cannot be written', async () => {
      const { store } = subject();
      const { revision } = await createTest(store);
      const orphan = newLoadTest();
      // The revision id is already taken, so the revision write fails.
      await expect(store.createLoadTest(orphan, newRevision({ id: revision.id }))).rejects.toThrow();
      expect(await store.getLoadTest(orphan.id)).toBeNull();
      expect(await store.listScriptRevisions(orphan.id)).toEqual([]);
      expect((await store.listLoadTests({ limit: 10, offset: 0 })).total).toBe(1);
    });
  });

  describe('script revisions', () => {
    it('numbers revisions 1, 2, 3, lists them oldest first and makes the newest the latest', async () => {
      const { store } = subject();
      const { test, revision: first } = await createTest(store);
      const second = await store.addScriptRevision(test.id, newRevision({ createdAt: at(5) }));
      const third = await store.addScriptRevision(test.id, newRevision({ createdAt: at(9) }));

      expect(second?.revision).toBe(2);
      expect(third?.revision).toBe(3);
      expect(third?.loadTestId).toBe(test.id);
      expect(await store.listScriptRevisions(test.id)).toEqual([first, second, third]);
      expect(await store.getScriptRevision(second!.id)).toEqual(second);
      expect(await store.getLoadTest(test.id)).toEqual({
        ...test,
        latestRevisionId: third!.id,
        latestRevision: 3,
        updatedAt: at(9),
      });
    });

    it('numbers each test on its own', async () => {
      const { store } = subject();
      const a = (await createTest(store)).test;
      const b = (await createTest(store)).test;
      await store.addScriptRevision(a.id, newRevision());
      const bSecond = await store.addScriptRevision(b.id, newRevision());
      expect(bSecond?.revision).toBe(2);
      expect((await store.listScriptRevisions(a.id)).map((revision) => revision.revision)).toEqual([1, 2]);
    });

    it('gives concurrent additions distinct numbers and ends on the highest', async () => {
      const { store } = subject();
      const { test } = await createTest(store);
      const added = await Promise.all([1, 2, 3, 4].map(() => store.addScriptRevision(test.id, newRevision())));

      expect(added.map((revision) => revision?.revision).sort()).toEqual([2, 3, 4, 5]);
      const latest = await store.getLoadTest(test.id);
      expect(latest?.latestRevision).toBe(5);
      expect(latest?.latestRevisionId).toBe(added.find((revision) => revision?.revision === 5)?.id);
    });

    it('returns null for a missing test and writes nothing', async () => {
      const { store } = subject();
      const revision = newRevision();
      expect(await store.addScriptRevision('lt_missing', revision)).toBeNull();
      expect(await store.getScriptRevision(revision.id)).toBeNull();
      expect(await store.listScriptRevisions('lt_missing')).toEqual([]);
    });

    it('finds a revision by its number within its own test only', async () => {
      const { store } = subject();
      const { test, revision: first } = await createTest(store);
      const other = await createTest(store);
      const second = await store.addScriptRevision(test.id, newRevision({ createdAt: at(5) }));

      expect(await store.getScriptRevisionByNumber(test.id, 1)).toEqual(first);
      expect(await store.getScriptRevisionByNumber(test.id, 2)).toEqual(second);
      expect(await store.getScriptRevisionByNumber(test.id, 3)).toBeNull();
      expect(await store.getScriptRevisionByNumber(other.test.id, 2)).toBeNull();
      expect(await store.getScriptRevisionByNumber('lt_missing', 1)).toBeNull();
    });
  });
}
