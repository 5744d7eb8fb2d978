// A store file written before bundles (fixtures/v1-scope-in-extra.db) upgrades on open: its
// revisions read as single files, and bundle revisions can be added beside them.
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bundleHash, describeEntries, packBundle } from '../../src/domain/bundle.js';
import type { SqliteStore } from '../../src/store/sqlite-store.js';
import { newRevision } from './_fixtures.js';
import { copySqliteFixture, type SqliteFixtureCopy } from './_legacy-fixture.js';

const V1_FILE = fileURLToPath(new URL('./fixtures/v1-scope-in-extra.db', import.meta.url));

describe('SqliteStore upgrading a file written before bundles', () => {
  let copy: SqliteFixtureCopy;
  let store: SqliteStore;
  beforeEach(async () => {
    copy = await copySqliteFixture(V1_FILE);
    store = await copy.open();
  });
  afterEach(() => copy.remove());

  it('reads old revisions as single files and adds a bundle revision after them', async () => {
    const old = await store.getScriptRevision('rev_products');
    expect(old).toMatchObject({ id: 'rev_products', loadTestId: 'lt_products', revision: 1 });
    expect(old).not.toHaveProperty('bundle');
    expect(old).not.toHaveProperty('files');

    const entries = [{ path: 'locustfile.py', content: Buffer.from('x = 1\n') }, { path: 'users.csv', content: Buffer.from('alice\n') }];
    const files = describeEntries(entries);
    const added = await store.addScriptRevision('lt_products', newRevision({ sha256: bundleHash(files), locustfile: 'locustfile.py', files, bundle: packBundle(entries) }));
    expect(added?.revision).toBe(2);
    expect((await store.getScriptRevisionByNumber('lt_products', 2))?.bundle).toBe(packBundle(entries));
    expect((await store.listScriptRevisions('lt_products')).map((revision) => [revision.revision, revision.files?.length ?? 1])).toEqual([
      [1, 1],
      [2, 2],
    ]);
  });
});
