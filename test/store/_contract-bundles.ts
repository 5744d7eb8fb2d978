// Contract: script revisions that are bundles (the locustfile with the files beside it).
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BUNDLE_LIMITS, bundleHash, describeEntries, packBundle, unpackBundle } from '../../src/domain/bundle.js';
import type { NewScriptRevision } from '../../src/store/store.js';
import { createTest, newLoadTest, newRevision } from './_fixtures.js';
import type { CurrentStore } from './store-contract.js';

function bundleRevision(files: Record<string, string | Buffer>): NewScriptRevision {
  const entries = Object.entries(files).map(([path, content]) => ({ path, content: Buffer.from(content) }));
  const described = describeEntries(entries);
  const locustfile = String(files['locustfile.py'] ?? '');
  return newRevision({
    cleanScript: locustfile,
    injectedScript: `import loadctl_plugin\n${locustfile}`,
    sha256: bundleHash(described),
    sizeBytes: described.reduce((sum, file) => sum + file.sizeBytes, 0),
    locustfile: 'locustfile.py',
    files: described,
    bundle: packBundle(entries),
  });
}

export function describeBundleContract(subject: CurrentStore): void {
  describe('bundle revisions', () => {
    it('keep the file list and the archive, read back by id and by number; a list leaves the archive out', async () => {
      const { store } = subject();
      const first = bundleRevision({ 'locustfile.py': 'from common.paths import p\n', 'common/paths.py': 'p = 1\n', 'users.csv': 'alice\n' });
      const { test, revision } = await store.createLoadTest(newLoadTest(), first);
      expect(revision).toEqual({ ...first, loadTestId: test.id, revision: 1 });
      expect(await store.getScriptRevision(first.id)).toEqual(revision);
      expect(await store.getScriptRevisionByNumber(test.id, 1)).toEqual(revision);
      expect(unpackBundle((await store.getScriptRevision(first.id))!.bundle!).map((entry) => entry.path)).toEqual(['common/paths.py', 'locustfile.py', 'users.csv']);

      const single = newRevision();
      await store.addScriptRevision(test.id, single);
      const { bundle: _archive, ...listed } = revision;
      expect(await store.listScriptRevisions(test.id)).toEqual([listed, { ...single, loadTestId: test.id, revision: 2 }]);
    });

    it('a single-file revision has no bundle fields', async () => {
      const { store } = subject();
      const { revision } = await createTest(store);
      const read = await store.getScriptRevision(revision.id);
      expect(read).not.toHaveProperty('bundle');
      expect(read).not.toHaveProperty('files');
      expect(read).not.toHaveProperty('locustfile');
    });

    it('stores an archive at the control plane’s compressed limit', async () => {
      const { store } = subject();
      // Random bytes do not compress: the archive is about as big as the limit allows.
      const data = randomBytes(BUNDLE_LIMITS.maxArchiveBytes - 64 * 1024);
      const big = bundleRevision({ 'locustfile.py': 'x = 1\n', 'data.bin': data });
      expect(Buffer.byteLength(big.bundle!, 'base64')).toBeLessThanOrEqual(BUNDLE_LIMITS.maxArchiveBytes);
      const { revision } = await store.createLoadTest(newLoadTest(), big);
      const read = await store.getScriptRevision(revision.id);
      expect(read?.bundle).toBe(big.bundle);
    });
  });
}
