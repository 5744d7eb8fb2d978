// What `loadctl run` bundles beside the script, on real folders.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collectBundle } from '../../../src/cli/bundle/collect-bundle.js';
import type { BundleSettings } from '../../../src/config/config.js';
import { LoadctlError } from '../../../src/domain/errors.js';

const AUTO: BundleSettings = { mode: 'auto', maxFiles: 200, maxBytes: 10 * 1024 * 1024 };

describe('collectBundle', () => {
  let root: string;
  const write = (path: string, text = 'x\n'): string => {
    const file = join(root, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    return file;
  };
  const pathsOf = (script: string, settings: BundleSettings = AUTO): string[] | 'single' => {
    const collected = collectBundle(script, settings);
    return collected.kind === 'single' ? 'single' : collected.entries.map((entry) => entry.path);
  };
  const refusal = (action: () => unknown): LoadctlError => {
    try {
      action();
    } catch (error) {
      if (error instanceof LoadctlError) return error;
      throw error;
    }
    throw new Error('expected a refusal');
  };

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'loadctl-collect-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('a script alone in its folder stays a single file (its revision is unchanged by bundles)', () => {
    const script = write('locustfile.py');
    write('__pycache__/locustfile.cpython-312.pyc');
    write('.git/config');
    expect(pathsOf(script)).toBe('single');
  });

  it('bundles the folder recursively, minus the always-ignored and the .gitignore’d', () => {
    const script = write('locustfile.py');
    write('common/__init__.py');
    write('common/paths.py');
    write('users.csv');
    write('.gitignore', 'results/\n*.log\n!keep.log\n');
    write('results/huge.csv');
    write('run.log');
    write('keep.log');
    write('.venv/bin/python');
    write('venv/lib/x.py');
    write('node_modules/a/index.js');
    write('common/__pycache__/paths.cpython-312.pyc');
    write('stray.pyc');
    expect(pathsOf(script)).toEqual(['.gitignore', 'common/__init__.py', 'common/paths.py', 'keep.log', 'locustfile.py', 'users.csv']);
  });

  it('honours .loadctlignore after .gitignore, and nested ignore files below their folder', () => {
    const script = write('locustfile.py');
    write('.gitignore', 'data/\n');
    write('.loadctlignore', '!data/\ndocs/\n');
    write('data/users.csv');
    write('data/.gitignore', 'private.csv\n');
    write('data/private.csv');
    write('docs/readme.md');
    expect(pathsOf(script)).toEqual(['.gitignore', '.loadctlignore', 'data/.gitignore', 'data/users.csv', 'locustfile.py']);
  });

  it('always keeps the script, even when an ignore file names it', () => {
    const script = write('locustfile.py');
    write('.loadctlignore', '*.py\n');
    write('helper.py');
    expect(pathsOf(script)).toEqual(['.loadctlignore', 'locustfile.py']);
  });

  it('--bundle DIR bundles that folder with the script’s path inside it; a script outside is refused', () => {
    const script = write('project/tests/locustfile.py');
    write('project/common/auth.py');
    const collected = collectBundle(script, { ...AUTO, mode: 'dir', dir: join(root, 'project') });
    expect(collected).toMatchObject({ kind: 'bundle', locustfile: 'tests/locustfile.py' });
    const outside = write('elsewhere/locustfile.py');
    expect(refusal(() => collectBundle(outside, { ...AUTO, mode: 'dir', dir: join(root, 'project') })).message).toContain('is not inside the bundle folder');
  });

  it('leaves out what loadctl writes itself (the data dir, this run’s reports), so the next run’s bundle is the same', () => {
    const script = write('locustfile.py');
    write('helper.py');
    write('store/loadctl.db');
    write('reports/run.json');
    write('reports/notes.txt');
    const collected = collectBundle(script, AUTO, [join(root, 'store'), join(root, 'reports/run.json')]);
    expect(collected.kind === 'bundle' && collected.entries.map((entry) => entry.path)).toEqual(['helper.py', 'locustfile.py', 'reports/notes.txt']);
  });

  it('--no-bundle uploads the script alone', () => {
    const script = write('locustfile.py');
    write('helper.py');
    expect(pathsOf(script, { ...AUTO, mode: 'off' })).toBe('single');
  });

  it('over the file limit: refused with the count, the crowded folders and the ways out', () => {
    const script = write('locustfile.py');
    for (let index = 0; index < 30; index += 1) write(`photos/p${index}.jpg`);
    write('notes.txt', 'n'.repeat(5000));
    const error = refusal(() => collectBundle(script, { ...AUTO, maxFiles: 20 }));
    expect(error.code).toBe('LOADCTL_BUNDLE_TOO_LARGE');
    expect(error.message).toContain('would bundle 32 files');
    expect(error.message).toContain('the limit is 20 files');
    expect(error.message).toContain('Biggest files: notes.txt (4.9 KiB)');
    expect(error.message).toContain('Most files in: photos/ (30 files)');
    expect(error.message).toContain(`${join(root, '.loadctlignore')}`);
    expect(error.message).toContain('--bundle DIR');
    expect(error.message).toContain('--no-bundle');
  });

  it('over the size limit: refused naming the biggest files', () => {
    const script = write('locustfile.py');
    write('data/big.csv', 'x'.repeat(3000));
    const error = refusal(() => collectBundle(script, { ...AUTO, maxBytes: 2048 }));
    expect(error.code).toBe('LOADCTL_BUNDLE_TOO_LARGE');
    expect(error.message).toMatch(/Biggest files: data\/big\.csv \(2\.9 KiB\)/);
  });

  it('a link to a file inside is bundled as that file; a link out of the project is refused', () => {
    const script = write('locustfile.py');
    write('data/users.csv', 'alice\n');
    symlinkSync(join(root, 'data/users.csv'), join(root, 'users.csv'));
    const collected = collectBundle(script, AUTO);
    expect(collected.kind === 'bundle' && collected.entries.map((entry) => [entry.path, Buffer.from(entry.content).toString()])).toContainEqual(['users.csv', 'alice\n']);
    symlinkSync('/etc/hostname', join(root, 'hostname'));
    const error = refusal(() => collectBundle(script, AUTO));
    expect(error.code).toBe('LOADCTL_BUNDLE_INVALID');
    expect(error.message).toContain('hostname is a symbolic link to');
    write('.loadctlignore', 'hostname\n');
    expect(collectBundle(script, AUTO).kind).toBe('bundle');
  });
});
