// Script uploads with a bundle (base64 .tar.gz beside scriptContent): stored as the revision,
// readable back whole (as remote workers will fetch it), refused with a 4xx and nothing stored
// when the archive is malformed, escapes its folder or is over the limits.
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BUNDLE_LIMITS, bundleHash, describeEntries, packBundle, unpackBundle } from '../../src/domain/bundle.js';
import { writeTar } from '../../src/domain/_tar.js';
import { SHOP_SCRIPT, base64, createTestViaApi, expectError, json, startHarness, storeContents, type CreatedTest, type Harness } from './_harness.js';

const HELPER_SCRIPT = SHOP_SCRIPT.replace('from locust import', 'from common.paths import product_path\nfrom locust import');
const file = (path: string, text: string) => ({ path, content: Buffer.from(text) });
const HELPERS = [file('common/__init__.py', ''), file('common/paths.py', 'def product_path():\n    return "/products"\n'), file('users.csv', 'alice\n')];
const tarOf = (entries: { path: string; content: Buffer }[]) => gzipSync(writeTar(entries)).toString('base64');

let h: Harness;

async function createWithBundle(bundle: string, extra: Record<string, unknown> = {}): Promise<CreatedTest> {
  return createTestViaApi(h, { scriptContent: base64(HELPER_SCRIPT), bundle, ...extra });
}

describe('a load test created with a bundle', () => {
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  it('stores the revision with its files, hash and size, and gives the archive back', async () => {
    const test = await createWithBundle(tarOf(HELPERS));
    const listed = json(await h.app.inject({ method: 'GET', url: `/v1/load-tests/${test.id}/script/revisions` })).items;
    const all = [...HELPERS, file('locustfile.py', HELPER_SCRIPT)];
    const files = describeEntries(all);
    expect(listed).toEqual([
      expect.objectContaining({ revision: 1, locustfile: 'locustfile.py', files, sha256: bundleHash(files), sizeBytes: files.reduce((sum, f) => sum + f.sizeBytes, 0) }),
    ]);
    expect(listed[0]).not.toHaveProperty('bundle');

    const revision = json(await h.app.inject({ method: 'GET', url: `/v1/load-tests/${test.id}/script/revisions/1` }));
    expect(revision).toMatchObject({ locustfile: 'locustfile.py', files, scriptContent: base64(HELPER_SCRIPT) });
    expect(Object.fromEntries(unpackBundle(revision.bundle).map((e) => [e.path, Buffer.from(e.content).toString()]))).toEqual(Object.fromEntries(all.map((e) => [e.path, e.content.toString()])));
    // By id too, as a worker given the run's scriptRevisionId asks for it.
    expect(json(await h.app.inject({ method: 'GET', url: `/v1/load-tests/${test.id}/script/revisions/${test.latestRevisionId}` })).bundle).toBe(revision.bundle);
  });

  it('takes the script at another path inside the bundle, and the bundle’s own copy when equal', async () => {
    const test = await createWithBundle(tarOf([...HELPERS, file('tests/load.py', HELPER_SCRIPT)]), { locustfile: 'tests/load.py' });
    const revision = json(await h.app.inject({ method: 'GET', url: `/v1/load-tests/${test.id}/script/revisions/1` }));
    expect(revision.locustfile).toBe('tests/load.py');
    expect(revision.files.map((f: { path: string }) => f.path)).toEqual(['common/__init__.py', 'common/paths.py', 'tests/load.py', 'users.csv']);
  });

  it('a new revision through PUT …/script: its hash changes when a helper changes, not otherwise', async () => {
    const test = await createWithBundle(tarOf(HELPERS));
    const first = json(await h.app.inject({ method: 'GET', url: `/v1/load-tests/${test.id}/script/revisions/1` }));
    const upload = async (entries: typeof HELPERS) => {
      const response = await h.app.inject({ method: 'PUT', url: `/v1/load-tests/${test.id}/script`, payload: { scriptContent: base64(HELPER_SCRIPT), bundle: tarOf(entries) } });
      expect(response.statusCode, response.body).toBe(201);
      return json(response);
    };
    expect((await upload([...HELPERS].reverse())).sha256).toBe(first.sha256);
    const changed = await upload(HELPERS.map((e) => (e.path === 'common/paths.py' ? file(e.path, 'def product_path():\n    return "/products?page=2"\n') : e)));
    expect(changed.revision).toBe(3);
    expect(changed.sha256).not.toBe(first.sha256);
  });

  it('thresholds may name endpoints the imported helpers request, not those of other scripts beside it', async () => {
    const helpers = [
      file('common/__init__.py', ''),
      file('common/paths.py', 'def product_path():\n    return "/products"\n\ndef browse(client):\n    client.get("/cart")\n'),
      file('other_script.py', 'def f(client):\n    client.get("/admin")\n'),
    ];
    const test = await createWithBundle(tarOf(helpers));
    const start = (threshold: string) => h.app.inject({ method: 'POST', url: `/v1/load-tests/${test.id}/runs`, payload: { thresholds: [threshold] } });
    const accepted = await start('GET /cart: p95<500ms');
    expect(accepted.statusCode, accepted.body).toBe(201);
    expect(json(accepted).thresholds).toContainEqual(expect.objectContaining({ endpoint: 'GET /cart' }));
    expectError(await start('GET /admin: p95<500ms'), 400, 'LOADCTL_THRESHOLD_INVALID');
  });

  it('the single-file API is unchanged: no bundle fields', async () => {
    const test = await createTestViaApi(h);
    const revision = json(await h.app.inject({ method: 'GET', url: `/v1/load-tests/${test.id}/script/revisions/1` }));
    expect(revision).not.toHaveProperty('bundle');
    expect(revision).not.toHaveProperty('files');
  });
});

describe('a bad bundle is refused with a 4xx and nothing is stored', () => {
  // One control plane and test for all the refusals: each checks the store is unchanged.
  let test: CreatedTest;
  beforeAll(async () => {
    h = await startHarness();
    test = await createTestViaApi(h);
  });
  afterAll(async () => {
    await h.close();
  });

  /** A one-entry tar.gz with a raw name and type, as a hostile tool could write it. */
  function rawTar(name: string, type = '0'): string {
    const tar = writeTar([{ path: 'placeholder', content: Buffer.from('x') }]);
    tar.fill(0, 0, 100);
    tar.write(name, 0, 100, 'utf8');
    tar.write(type, 156, 'ascii');
    tar.write('        ', 148, 'ascii');
    let sum = 0;
    for (let index = 0; index < 512; index += 1) sum += tar[index]!;
    tar.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
    return gzipSync(tar).toString('base64');
  }

  it.each([
    ['a path going up', { bundle: rawTar('../../etc/cron.d/x') }, 400, 'LOADCTL_BUNDLE_INVALID'],
    ['an absolute path', { bundle: rawTar('/tmp/x.py') }, 400, 'LOADCTL_BUNDLE_INVALID'],
    ['a symbolic link', { bundle: rawTar('evil', '2') }, 400, 'LOADCTL_BUNDLE_INVALID'],
    ['not base64', { bundle: '%%%' }, 400, 'LOADCTL_BUNDLE_INVALID'],
    ['not an archive', { bundle: base64('just text') }, 400, 'LOADCTL_BUNDLE_INVALID'],
    ['a locustfile that differs from scriptContent', { bundle: tarOf([file('locustfile.py', 'other = 1\n')]) }, 400, 'LOADCTL_BUNDLE_INVALID'],
    ['a locustfile path going up', { bundle: tarOf(HELPERS), locustfile: '../x.py' }, 400, 'LOADCTL_BUNDLE_INVALID'],
    ['locustfile without a bundle', { locustfile: 'x.py' }, 400, 'LOADCTL_BAD_REQUEST'],
    ['too many files', { bundle: tarOf(Array.from({ length: BUNDLE_LIMITS.maxFiles + 1 }, (_, index) => file(`f${index}.txt`, ''))) }, 413, 'LOADCTL_BUNDLE_TOO_LARGE'],
  ])('%s', async (_what, fields, status, code) => {
    const before = await storeContents(h.store);
    expectError(await h.app.inject({ method: 'POST', url: '/v1/load-tests', payload: { name: 'bundled', targetUrl: 'http://127.0.0.1:8000', scriptContent: base64(HELPER_SCRIPT), ...fields } }), status, code);
    expectError(await h.app.inject({ method: 'PUT', url: `/v1/load-tests/${test.id}/script`, payload: { scriptContent: base64(HELPER_SCRIPT), ...fields } }), status, code);
    expect(await storeContents(h.store)).toEqual(before);
  });

  it('a compressed archive over the limit', async () => {
    const before = await storeContents(h.store);
    const big = packBundle([file('noise.bin', randomBytes(BUNDLE_LIMITS.maxArchiveBytes + 1024).toString('latin1'))]);
    expectError(await h.app.inject({ method: 'POST', url: '/v1/load-tests', payload: { name: 'big', targetUrl: 'http://127.0.0.1:8000', scriptContent: base64(HELPER_SCRIPT), bundle: big } }), 413, 'LOADCTL_BUNDLE_TOO_LARGE');
    expect(await storeContents(h.store)).toEqual(before);
  });
});
