// Contract: a load test's name is unique in its store, also when creators race.
import { describe, expect, it } from 'vitest';
import { at, createTest, newLoadTest, newRevision } from './_fixtures.js';
import type { CurrentStore } from './store-contract.js';

export function describeNameContract(subject: CurrentStore): void {
  describe('unique test names', () => {
    it('refuses a second test with a taken name, naming the holder, and writes nothing', async () => {
      const { store } = subject();
      const { test } = await createTest(store, { name: 'checkout' });
      const second = newLoadTest({ name: 'checkout' });
      const revision = newRevision();
      await expect(store.createLoadTest(second, revision)).rejects.toMatchObject({
        code: 'LOADCTL_TEST_NAME_TAKEN',
        details: { loadTestId: test.id },
      });
      expect(await store.getLoadTest(second.id)).toBeNull();
      expect(await store.getScriptRevision(revision.id)).toBeNull();
      expect((await store.listLoadTests({ limit: 10, offset: 0 })).items.map((item) => item.id)).toEqual([test.id]);
      // Exact names: another case is another name.
      expect((await createTest(store, { name: 'Checkout' })).test.name).toBe('Checkout');
    });

    it('lets exactly one of two instances create a new name at once', async () => {
      const { store, openSecondStore } = subject();
      if (!openSecondStore) throw new Error('the contract needs openSecondStore');
      const second = await openSecondStore();
      for (let round = 0; round < 5; round += 1) {
        const name = `race ${round}`;
        const results = await Promise.allSettled([createTest(store, { name }), createTest(second, { name })]);
        const created = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value.test] : []));
        expect(created, name).toHaveLength(1);
        const refused = results.find((result) => result.status === 'rejected');
        expect(refused?.reason, name).toMatchObject({ code: 'LOADCTL_TEST_NAME_TAKEN', details: { loadTestId: created[0]!.id } });
        expect((await store.listLoadTests({ name, limit: 10, offset: 0 })).items.map((item) => item.id)).toEqual([created[0]!.id]);
      }
    });

    it('refuses a rename to a taken name; a rename or a delete frees the old name', async () => {
      const { store } = subject();
      const a = (await createTest(store, { name: 'a' })).test;
      const b = (await createTest(store, { name: 'b', createdAt: at(1) })).test;
      await expect(store.updateLoadTest(b.id, { name: 'a', updatedAt: at(2) })).rejects.toMatchObject({
        code: 'LOADCTL_TEST_NAME_TAKEN',
        details: { loadTestId: a.id },
      });
      expect((await store.getLoadTest(b.id))?.name).toBe('b');
      // Keeping its own name is no conflict.
      expect((await store.updateLoadTest(a.id, { name: 'a', description: 'same', updatedAt: at(3) }))?.name).toBe('a');

      expect((await store.updateLoadTest(b.id, { name: 'c', updatedAt: at(4) }))?.name).toBe('c');
      expect((await createTest(store, { name: 'b' })).test.name).toBe('b');
      await expect(createTest(store, { name: 'c' })).rejects.toMatchObject({ code: 'LOADCTL_TEST_NAME_TAKEN', details: { loadTestId: b.id } });

      expect(await store.deleteLoadTest(a.id)).toBe(true);
      expect((await createTest(store, { name: 'a' })).test.name).toBe('a');
    });
  });
}
