// The start-up sweep of run folders a crashed loadctl left in the temp dir, on a real file system
// with real processes: only folders whose owner is gone are removed.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { RUN_DIR_OWNER_FILE, createRunDir, processIsAlive, sweepOrphanRunDirs } from '../../src/orchestrator/run-dirs.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'loadctl-sweep-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function runDir(name: string, owner?: number): string {
  const dir = join(root, name);
  mkdirSync(dir, { mode: 0o700 });
  writeFileSync(join(dir, 'locustfile.py'), 'print(1)\n');
  if (owner !== undefined) writeFileSync(join(dir, RUN_DIR_OWNER_FILE), `${owner}\n`);
  return dir;
}

it('creates a private folder marked with this process', async () => {
  const dir = await createRunDir(root);
  expect(statSync(dir).mode & 0o777).toBe(0o700);
  expect(statSync(join(dir, RUN_DIR_OWNER_FILE)).mode & 0o777).toBe(0o600);
  expect(await sweepOrphanRunDirs({ root })).toEqual([]);
  expect(existsSync(dir)).toBe(true);
});

it('removes the folders of dead owners and old unmarked ones, and nothing else', async () => {
  const deadPid = spawnSync('true').pid!; // exited and reaped
  expect(processIsAlive(deadPid)).toBe(false);
  const other = spawn('sleep', ['60'], { stdio: 'ignore' }); // another live process, not this one
  try {
    const dead = runDir('loadctl-run-dead01', deadPid);
    const otherLive = runDir('loadctl-run-live01', other.pid!);
    const own = runDir('loadctl-run-mine01', process.pid);
    const freshUnmarked = runDir('loadctl-run-fresh1');
    const oldUnmarked = runDir('loadctl-run-old001');
    const twoDaysAgo = new Date(Date.now() - 48 * 3600 * 1000);
    utimesSync(oldUnmarked, twoDaysAgo, twoDaysAgo);
    const garbled = runDir('loadctl-run-garbl1');
    writeFileSync(join(garbled, RUN_DIR_OWNER_FILE), 'not a pid\n'); // treated as unmarked (fresh): kept
    const unrelated = runDir('someone-else-dead', deadPid);
    writeFileSync(join(root, 'loadctl-run-file01'), 'a file, not a folder');
    const target = runDir('target-of-link', deadPid);
    symlinkSync(target, join(root, 'loadctl-run-link01'));

    const logs: string[] = [];
    const removed = await sweepOrphanRunDirs({ root, log: (line) => logs.push(line) });
    expect(removed.sort()).toEqual([dead, oldUnmarked].sort());
    for (const kept of [otherLive, own, freshUnmarked, garbled, unrelated, target, join(root, 'loadctl-run-file01'), join(root, 'loadctl-run-link01')]) {
      expect(existsSync(kept), kept).toBe(true);
    }
    expect(logs).toEqual(['removed 2 run folder(s) left by a loadctl that is gone']);
  } finally {
    other.kill('SIGKILL');
  }
});
