import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleHash, checkBundlePath, composeBundle, describeEntries, importedSourcesOf, packBundle, unpackBundle, type BundleEntry } from '../../src/domain/bundle.js';
import { writeTar } from '../../src/domain/_tar.js';
import { LoadctlError } from '../../src/domain/errors.js';

const entry = (path: string, text: string): BundleEntry => ({ path, content: Buffer.from(text) });
const PROJECT = [entry('locustfile.py', 'from common.paths import p\n'), entry('common/__init__.py', ''), entry('common/paths.py', 'p = 1\n'), entry('users.csv', 'alice\n')];
const texts = (entries: BundleEntry[]) => Object.fromEntries(entries.map((e) => [e.path, Buffer.from(e.content).toString()]));

/** A tar whose one entry has a raw name and type, as a hostile or careless tool could write it. */
function rawTar(name: string, type = '0', content = 'x'): string {
  const tar = writeTar([{ path: 'placeholder', content: Buffer.from(content) }]);
  tar.fill(0, 0, 100);
  tar.write(name, 0, 100, 'utf8');
  tar.write(type, 156, 'ascii');
  tar.write('        ', 148, 'ascii');
  let sum = 0;
  for (let index = 0; index < 512; index += 1) sum += tar[index]!;
  tar.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return gzipSync(tar).toString('base64');
}

function codeOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    return error instanceof LoadctlError ? error.code : `not a LoadctlError: ${String(error)}`;
  }
  return undefined;
}

describe('bundle archives', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('round-trips files, and packs the same files to the same bytes whatever their order', () => {
    const packed = packBundle(PROJECT);
    expect(texts(unpackBundle(packed))).toEqual(texts(PROJECT));
    expect(packBundle([...PROJECT].reverse())).toBe(packed);
  });

  it('hashes (path, content): same files same hash, a changed helper or a renamed file another', () => {
    const hash = bundleHash(describeEntries(PROJECT));
    expect(bundleHash(describeEntries([...PROJECT].reverse()))).toBe(hash);
    const changed = PROJECT.map((e) => (e.path === 'common/paths.py' ? entry(e.path, 'p = 2\n') : e));
    expect(bundleHash(describeEntries(changed))).not.toBe(hash);
    const renamed = PROJECT.map((e) => (e.path === 'users.csv' ? entry('users2.csv', 'alice\n') : e));
    expect(bundleHash(describeEntries(renamed))).not.toBe(hash);
  });

  it('keeps paths longer than 100 bytes (ustar prefix)', () => {
    const long = `${'folder-name-'.repeat(12)}/${'file-'.repeat(15)}.py`;
    expect(unpackBundle(packBundle([entry(long, 'x')])).map((e) => e.path)).toEqual([long]);
  });

  it('accepts what GNU tar makes: ./ prefixes, folders, long names', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loadctl-tar-'));
    dirs.push(dir);
    const deep = join(dir, 'a'.repeat(60), 'b'.repeat(60));
    mkdirSync(deep, { recursive: true });
    writeFileSync(join(deep, 'c'.repeat(90) + '.py'), 'deep = 1\n');
    writeFileSync(join(dir, 'locustfile.py'), 'x = 1\n');
    const { stdout } = await execa('tar', ['czf', '-', '-C', dir, '.'], { encoding: 'buffer' });
    const paths = unpackBundle(Buffer.from(stdout).toString('base64')).map((e) => e.path).sort();
    expect(paths).toEqual([`${'a'.repeat(60)}/${'b'.repeat(60)}/${'c'.repeat(90)}.py`, 'locustfile.py']);
  });

  it('refuses paths that would leave the folder: .., absolute, backslashes, drive letters', () => {
    for (const name of ['../evil.py', 'a/../../evil.py', '/etc/passwd', 'C:/x.py', 'a\\..\\x.py', 'a//b.py']) {
      expect(codeOf(() => unpackBundle(rawTar(name))), name).toBe('LOADCTL_BUNDLE_INVALID');
    }
    expect(() => checkBundlePath('../x')).toThrow(/goes up with/);
    expect(checkBundlePath('./a/b.py')).toBe('a/b.py');
  });

  it('refuses symbolic and hard links, devices, duplicates', () => {
    expect(codeOf(() => unpackBundle(rawTar('link', '2')))).toBe('LOADCTL_BUNDLE_INVALID');
    expect(() => unpackBundle(rawTar('link', '2'))).toThrow(/symbolic link \(link\)/);
    expect(codeOf(() => unpackBundle(rawTar('hard', '1')))).toBe('LOADCTL_BUNDLE_INVALID');
    expect(codeOf(() => unpackBundle(rawTar('dev', '3')))).toBe('LOADCTL_BUNDLE_INVALID');
    const twice = gzipSync(writeTar([{ path: 'a.py', content: Buffer.from('1') }, { path: './a.py', content: Buffer.from('2') }])).toString('base64');
    expect(() => unpackBundle(twice)).toThrow(/a\.py twice/);
  });

  it('refuses what GNU tar writes for a symlink pointing outside', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loadctl-tar-'));
    dirs.push(dir);
    symlinkSync('/etc/passwd', join(dir, 'passwd'));
    const { stdout } = await execa('tar', ['czf', '-', '-C', dir, '.'], { encoding: 'buffer' });
    expect(codeOf(() => unpackBundle(Buffer.from(stdout).toString('base64')))).toBe('LOADCTL_BUNDLE_INVALID');
  });

  it('refuses what is not base64, gzip or tar', () => {
    expect(codeOf(() => unpackBundle('not base64!'))).toBe('LOADCTL_BUNDLE_INVALID');
    expect(codeOf(() => unpackBundle(Buffer.from([0x1f, 0x8b, 1, 2, 3]).toString('base64')))).toBe('LOADCTL_BUNDLE_INVALID');
    expect(codeOf(() => unpackBundle(Buffer.from('plain text, no tar').toString('base64')))).toBe('LOADCTL_BUNDLE_INVALID');
  });

  it('refuses more files or bytes than the limits, and a zip bomb before it is inflated whole', () => {
    const many = Array.from({ length: 11 }, (_, index) => entry(`f${index}.txt`, 'x'));
    expect(codeOf(() => unpackBundle(packBundle(many), { maxFiles: 10, maxBytes: 1000 }))).toBe('LOADCTL_BUNDLE_TOO_LARGE');
    const zeros = Buffer.alloc(8 * 1024 * 1024);
    const bomb = gzipSync(writeTar([{ path: 'zeros.bin', content: zeros }]), { level: 1 }).toString('base64');
    expect(Buffer.byteLength(bomb, 'base64')).toBeLessThan(100_000);
    expect(() => unpackBundle(bomb, { maxFiles: 10, maxBytes: 1024 * 1024 })).toThrow(/more than 1\.0 MiB unpacked; the limit is 10 files and 1\.0 MiB/);
  });

  it('composes the uploaded script at its path: added when missing, refused when different', () => {
    const others = PROJECT.filter((e) => e.path !== 'locustfile.py');
    const added = composeBundle('from common.paths import p\n', packBundle(others));
    expect(added.locustfile).toBe('locustfile.py');
    expect(texts(added.entries)).toEqual(texts(PROJECT));
    expect(composeBundle('from common.paths import p\n', packBundle(PROJECT)).entries).toHaveLength(4);
    expect(codeOf(() => composeBundle('other = 1\n', packBundle(PROJECT)))).toBe('LOADCTL_BUNDLE_INVALID');
    expect(codeOf(() => composeBundle('x = 1\n', packBundle(others), '../locustfile.py'))).toBe('LOADCTL_BUNDLE_INVALID');
    expect(composeBundle('x = 1\n', packBundle(others), 'tests/load.py').locustfile).toBe('tests/load.py');
  });

  it('looks for endpoints in the locustfile and the modules it imports, not in other scripts beside it', () => {
    const entries = [
      entry('locustfile.py', 'from common.auth import login\nimport helpers, json\n'),
      entry('common/auth.py', 'from common import tokens\ndef login(c): c.post("/login")\n'),
      entry('common/tokens.py', 'T = 1\n'),
      entry('helpers.py', 'def h(c): c.get("/h")\n'),
      entry('other_script.py', 'self.client.get("/unrelated")\n'),
    ];
    const sources = importedSourcesOf(entries, 'locustfile.py');
    expect(sources).toContain('/login');
    expect(sources).toContain('/h');
    expect(sources).toContain('T = 1');
    expect(sources).not.toContain('/unrelated');
  });
});
