import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LAUNCH_SECRET_FILE, loadLaunchSecret } from '../../src/cli/launch-secret.js';
import { deriveLaunchToken } from '../../src/domain/run-secrets.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'loadctl-launch-secret-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the launch secret', () => {
  it('is created once in the data folder, readable by its owner only, and read back the same', () => {
    const dataDir = join(dir, 'data');
    const first = loadLaunchSecret({ dataDir, security: {} });
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(statSync(join(dataDir, LAUNCH_SECRET_FILE)).mode & 0o777).toBe(0o600);
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(loadLaunchSecret({ dataDir, security: {} })).toBe(first);
  });

  it('narrows a file others could read to 0600', () => {
    const file = join(dir, LAUNCH_SECRET_FILE);
    writeFileSync(file, `${'ab'.repeat(32)}\n`);
    chmodSync(file, 0o644);
    expect(loadLaunchSecret({ dataDir: dir, security: {} })).toBe('ab'.repeat(32));
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('prefers security.launchSecret and then writes no file', () => {
    expect(loadLaunchSecret({ dataDir: dir, security: { launchSecret: 'c'.repeat(40) } })).toBe('c'.repeat(40));
    expect(() => readFileSync(join(dir, LAUNCH_SECRET_FILE))).toThrow();
  });

  it('refuses a truncated file with a message that says what to do', () => {
    writeFileSync(join(dir, LAUNCH_SECRET_FILE), 'short\n', { mode: 0o600 });
    expect(() => loadLaunchSecret({ dataDir: dir, security: {} })).toThrow(/launch-secret.*delete it/);
  });

  it('derives a different launch token per run, the same for the same run and secret', () => {
    const secret = 'd'.repeat(64);
    expect(deriveLaunchToken(secret, 'run_a')).toBe(deriveLaunchToken(secret, 'run_a'));
    expect(deriveLaunchToken(secret, 'run_a')).not.toBe(deriveLaunchToken(secret, 'run_b'));
    expect(deriveLaunchToken(secret, 'run_a')).not.toBe(deriveLaunchToken('e'.repeat(64), 'run_a'));
    expect(deriveLaunchToken(secret, 'run_a')).not.toContain('run_a');
  });
});
