// Each spawned Locust runs its script from a private 0700 folder in the temp dir. The folder
// names its owner (a pid file), so that a loadctl starting up can remove the folders a crashed
// one left behind without ever touching those of a loadctl that is still running.
import { lstat, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const RUN_DIR_PREFIX = 'loadctl-run-';
export const RUN_DIR_OWNER_FILE = 'owner.pid';
/** A folder without an owner file (written by an older loadctl) is removed only when this old. */
export const UNOWNED_RUN_DIR_MAX_AGE_MS = 24 * 3600 * 1000;

/** A new private run folder (mkdtemp makes it 0700) marked with this process's pid. */
export async function createRunDir(root: string = tmpdir()): Promise<string> {
  const dir = await mkdtemp(join(root, RUN_DIR_PREFIX));
  await writeFile(join(dir, RUN_DIR_OWNER_FILE), `${process.pid}\n`, { mode: 0o600 });
  return dir;
}

export interface SweepOptions {
  root?: string;
  isAlive?: (pid: number) => boolean;
  now?: () => number;
  log?: (message: string) => void;
}

/** Removes this user's run folders whose owner process is gone; returns the folders removed. */
export async function sweepOrphanRunDirs(options: SweepOptions = {}): Promise<string[]> {
  const root = options.root ?? tmpdir();
  const isAlive = options.isAlive ?? processIsAlive;
  const now = options.now ?? Date.now;
  const removed: string[] = [];
  for (const name of await readdir(root)) {
    if (!name.startsWith(RUN_DIR_PREFIX)) continue;
    const dir = join(root, name);
    try {
      const stats = await lstat(dir);
      // Another user's folder is not ours to judge (and a symlink is not a folder we made).
      if (!stats.isDirectory() || stats.uid !== process.getuid?.()) continue;
      const owner = await ownerOf(dir);
      const orphaned = owner === undefined ? now() - stats.mtimeMs > UNOWNED_RUN_DIR_MAX_AGE_MS : !isAlive(owner);
      if (!orphaned) continue;
      await rm(dir, { recursive: true, force: true });
      removed.push(dir);
    } catch (error) {
      options.log?.(`could not sweep ${dir}: ${(error as Error).message}`);
    }
  }
  if (removed.length > 0) options.log?.(`removed ${removed.length} run folder(s) left by a loadctl that is gone`);
  return removed;
}

async function ownerOf(dir: string): Promise<number | undefined> {
  try {
    const pid = Number((await readFile(join(dir, RUN_DIR_OWNER_FILE), 'utf8')).trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined; // no owner file: an older loadctl's folder, or one being created right now
  }
}

/** True while a process with that pid exists (EPERM: it exists, under another user). */
export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
