import { readFileSync, statSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';

export interface EnvLockOptions {
  /** True once the environment exists (built by whoever held the lock). */
  ready: () => boolean;
  /** Said once when another process is building the same environment. */
  onWait: () => void;
  /** A lock older than this is taken over (its holder hung or its machine died). */
  staleMs: number;
  pollMs?: number;
}

/**
 * Runs `build` holding `lockFile`, so two processes do not both run pip for the same
 * environment; while another process holds it, waits until the environment is ready
 * ('ready') or the lock is gone. Correctness does not rest on it: builds are renamed into
 * place atomically; the lock only saves the second pip run.
 */
export async function withEnvLock<T>(lockFile: string, build: () => Promise<T>, options: EnvLockOptions): Promise<T | 'ready'> {
  const { ready, onWait, staleMs, pollMs = 250 } = options;
  let waited = false;
  for (;;) {
    if (ready()) return 'ready';
    try {
      await writeFile(lockFile, JSON.stringify({ host: hostname(), pid: process.pid, at: new Date().toISOString() }), { flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (isStale(lockFile, staleMs)) {
        await rm(lockFile, { force: true });
        continue;
      }
      if (!waited) onWait();
      waited = true;
      await new Promise((resolve) => setTimeout(resolve, pollMs));
      continue;
    }
    try {
      return await build();
    } finally {
      await rm(lockFile, { force: true });
    }
  }
}

/** Held by a process of this machine that is gone, or older than `staleMs`. */
function isStale(lockFile: string, staleMs: number): boolean {
  let holder: { host?: string; pid?: number } = {};
  let mtimeMs: number;
  try {
    mtimeMs = statSync(lockFile).mtimeMs;
    holder = JSON.parse(readFileSync(lockFile, 'utf8')) as typeof holder;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false; // released meanwhile: try again
    mtimeMs ??= Date.now(); // half-written by its holder this instant: judged by its age alone
  }
  if (holder.host === hostname() && typeof holder.pid === 'number' && !isAlive(holder.pid)) return true;
  return Date.now() - mtimeMs > staleMs;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
