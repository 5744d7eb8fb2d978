import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { withEnvLock } from '../../src/locust/_env-lock.js';

const dir = mkdtempSync(join(tmpdir(), 'loadctl-env-lock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('withEnvLock', () => {
  it('builds holding the lock and removes it after, also when the build fails', async () => {
    const lock = join(dir, 'a.lock');
    expect(await withEnvLock(lock, async () => (existsSync(lock) ? 'built under the lock' : 'no lock'), { ready: () => false, onWait: () => {}, staleMs: 60_000 })).toBe('built under the lock');
    expect(existsSync(lock)).toBe(false);
    await expect(withEnvLock(lock, async () => Promise.reject(new Error('pip failed')), { ready: () => false, onWait: () => {}, staleMs: 60_000 })).rejects.toThrow('pip failed');
    expect(existsSync(lock)).toBe(false);
  });

  it('waits while a live process holds the lock, and answers ready once the environment exists', async () => {
    const lock = join(dir, 'b.lock');
    writeFileSync(lock, JSON.stringify({ host: hostname(), pid: process.pid }));
    let waits = 0;
    let polls = 0;
    const outcome = await withEnvLock(lock, async () => 'built', { ready: () => ++polls > 3, onWait: () => waits++, staleMs: 60_000, pollMs: 5 });
    expect(outcome).toBe('ready');
    expect(waits).toBe(1);
    expect(existsSync(lock)).toBe(true); // not ours to remove
  });

  it('takes over a lock whose process on this machine is gone', async () => {
    const lock = join(dir, 'c.lock');
    const child = execa('true');
    const pid = child.pid;
    await child;
    writeFileSync(lock, JSON.stringify({ host: hostname(), pid }));
    expect(await withEnvLock(lock, async () => 'built', { ready: () => false, onWait: () => {}, staleMs: 60_000, pollMs: 5 })).toBe('built');
  });
});
