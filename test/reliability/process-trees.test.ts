// Locust's whole process tree goes with its run (issue 10, scenario 7): `-- --processes 2`
// forks workers into Locust's process group, a --locust-bin wrapper script that does not exec
// keeps itself between loadctl and Locust, and a loadctl that crashed leaves its run folder in
// the temp dir. Real `loadctl run` processes, a real Locust, the demo target; processes are
// read from /proc.
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoTarget, type DemoTarget } from '../../src/demo-target/index.js';
import type { Run } from '../../src/domain/types.js';
import { RUN_DIR_OWNER_FILE } from '../../src/orchestrator/run-dirs.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { REPO_ROOT, runCli, startCli } from '../support/cli.js';
import { locustBinForTests } from '../support/locust-runtime.js';
import { processesWithEnv } from '../support/processes.js';
import { waitFor } from '../support/serve.js';
import { MARKER_ENV, loadctlPid, locustPids, newMarker, workDir } from './_support.js';

const SCRIPT = join(REPO_ROOT, 'locust/examples/products.py');

/** Live (not zombie) processes whose process group is `pgid`. */
function groupMembers(pgid: number): number[] {
  const members: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'latin1');
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(pgrp) === pgid && state !== 'Z') members.push(Number(entry));
    } catch {
      // gone while we looked
    }
  }
  return members;
}

function pgidOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
}

async function onlyRun(dataDir: string): Promise<Run> {
  const store = new SqliteStore({ file: join(dataDir, 'loadctl.db') });
  await store.init();
  try {
    const { items } = await store.listRuns({ limit: 10, offset: 0 });
    expect(items).toHaveLength(1);
    return items[0]!;
  } finally {
    await store.close();
  }
}

describe('Locust process trees', () => {
  let target: DemoTarget;
  let work: ReturnType<typeof workDir>;

  beforeAll(async () => {
    work = workDir('trees');
    mkdirSync(join(work.dir, 'tmp'));
    target = await startDemoTarget({ port: 0 });
  });
  afterAll(async () => {
    await target?.close();
    work?.remove();
  });

  /** A long `loadctl run` under `marker`; resolves once it is Running with numbers and `ready` holds. */
  async function startLongRun(dataDir: string, marker: string, locustBin: string, extra: readonly string[], ready: () => boolean, tempDir = join(work.dir, 'tmp')) {
    const child = startCli(['run', '--script', SCRIPT, '--host', target.url, '--duration', '120', '--users', '4', '--metrics-interval', '0.5', '--data-dir', dataDir, '--locust-bin', locustBin, ...extra], {
      env: { [MARKER_ENV]: marker, TMPDIR: tempDir, REAL_LOCUST: locustBinForTests() },
    });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await waitFor(async () => output, (text) => /Running/.test(text) && /reqs [1-9]/.test(text) && ready(), { timeoutMs: 90_000, what: `the run to be Running with load; output so far:\n${output}` });
    return { child, output: () => output };
  }

  /** The Locust master (the group leader loadctl spawned) and its group, once both workers are forked. */
  function processesTwoGroup(marker: string): { leader: number; members: number[] } | undefined {
    const pids = locustPids(marker);
    const leader = pids.find((pid) => {
      try {
        return pgidOf(pid) === pid;
      } catch {
        return false;
      }
    });
    if (leader === undefined) return undefined;
    const members = groupMembers(leader);
    return members.length >= 3 ? { leader, members } : undefined;
  }

  it('-- --processes 2, stopped with Ctrl+C: Stopped, and no process of Locust’s group is left', async () => {
    const dataDir = join(work.dir, 'processes-stop');
    const marker = newMarker('processes-stop');
    let group: { leader: number; members: number[] } | undefined;
    const { child, output } = await startLongRun(dataDir, marker, locustBinForTests(), ['--', '--processes', '2'], () => (group = processesTwoGroup(marker)) !== undefined);
    console.log(`[reliability] --processes 2: Locust group ${group!.leader} has ${group!.members.length} processes while running`);
    child.kill('SIGINT');
    const result = await child;
    const exitedAt = Date.now();
    expect(result.exitCode, output()).toBe(130);
    expect((await onlyRun(dataDir)).status).toBe('Stopped');
    await waitFor(async () => groupMembers(group!.leader), (members) => members.length === 0, { timeoutMs: 10_000, what: `no process left in group ${group!.leader}` });
    console.log(`[reliability] --processes 2, Ctrl+C: group empty ${Date.now() - exitedAt} ms after loadctl exited`);
    expect(processesWithEnv(MARKER_ENV, marker)).toEqual([]);
  });

  it('-- --processes 2, the Locust master killed with SIGKILL: Failed, and its forked workers are killed too', async () => {
    const dataDir = join(work.dir, 'processes-kill');
    const marker = newMarker('processes-kill');
    let group: { leader: number; members: number[] } | undefined;
    const { child, output } = await startLongRun(dataDir, marker, locustBinForTests(), ['--', '--processes', '2'], () => (group = processesTwoGroup(marker)) !== undefined);
    const workers = group!.members.filter((pid) => pid !== group!.leader);
    expect(workers.length).toBeGreaterThanOrEqual(2);
    const killedAt = Date.now();
    process.kill(group!.leader, 'SIGKILL');
    const result = await child;
    expect(result.exitCode, output()).toBe(2);
    console.log(`[reliability] --processes 2, master SIGKILLed: loadctl exited ${result.exitCode} ${Date.now() - killedAt} ms after the kill`);
    const run = await onlyRun(dataDir);
    expect(run.status).toBe('Failed');
    expect(run.error).toMatch(/signal SIGKILL/);
    // Left alone, the workers would wait for their master for a minute or more.
    await waitFor(async () => groupMembers(group!.leader), (members) => members.length === 0, { timeoutMs: 10_000, what: `the forked workers ${workers.join(', ')} to be gone` });
    console.log(`[reliability] --processes 2, master SIGKILLed: loadctl exit ${result.exitCode}, group empty ${Date.now() - killedAt} ms after the kill`);
    expect(processesWithEnv(MARKER_ENV, marker)).toEqual([]);
  });

  it('a --locust-bin wrapper that does not exec, and loadctl killed with SIGKILL: Locust exits; the next loadctl removes the dead one’s run folder only', async () => {
    const dataDir = join(work.dir, 'wrapper');
    const marker = newMarker('wrapper');
    const binDir = join(work.dir, 'wrapper-bin');
    mkdirSync(binDir);
    const wrapper = join(binDir, 'locust-wrapper.sh');
    // TMPDIR of these loadctl processes: their run folders land here, not in the shared /tmp.
    const tempDir = join(work.dir, 'wrapper-tmp');
    mkdirSync(tempDir);
    // Not `exec`: the shell stays Locust's parent, so loadctl is Locust's grandparent.
    writeFileSync(wrapper, '#!/bin/sh\n"$REAL_LOCUST" "$@"\n', { mode: 0o755 });
    symlinkSync(join(dirname(locustBinForTests()), 'python'), join(binDir, 'python')); // for loadctl's script check

    let locust: number | undefined;
    const { child } = await startLongRun(dataDir, marker, wrapper, [], () => {
      locust = locustPids(marker).find((pid) => !readFileSync(`/proc/${pid}/cmdline`, 'latin1').includes('locust-wrapper.sh'));
      return locust !== undefined;
    }, tempDir);
    const shell = Number(readFileSync(`/proc/${locust!}/stat`, 'latin1').split(') ')[1]!.split(' ')[1]);
    expect(readFileSync(`/proc/${shell}/cmdline`, 'latin1')).toContain('locust-wrapper.sh'); // the wrapper is Locust's parent
    const loadctl = loadctlPid(marker, 'run');
    const runDirs = readdirSync(tempDir).filter((name) => name.startsWith('loadctl-run-'));
    expect(runDirs).toHaveLength(1);
    expect(readFileSync(join(tempDir, runDirs[0]!, RUN_DIR_OWNER_FILE), 'utf8').trim()).toBe(String(loadctl));

    const killedAt = Date.now();
    child.kill('SIGKILL');
    await child;
    await waitFor(async () => processesWithEnv(MARKER_ENV, marker), (pids) => pids.length === 0, { timeoutMs: 15_000, what: 'Locust and its wrapper to exit after loadctl was killed' });
    console.log(`[reliability] wrapper --locust-bin, loadctl SIGKILLed: Locust and the wrapper gone ${Date.now() - killedAt} ms after the kill`);

    // The dead loadctl's folder is still there; a live one's and a fresh unmarked one must survive the sweep.
    const orphan = join(tempDir, runDirs[0]!);
    expect(existsSync(orphan)).toBe(true);
    const live = join(tempDir, 'loadctl-run-live01');
    mkdirSync(live, { mode: 0o700 });
    writeFileSync(join(live, RUN_DIR_OWNER_FILE), `${process.pid}\n`);
    const unmarked = join(tempDir, 'loadctl-run-fresh1');
    mkdirSync(unmarked, { mode: 0o700 });
    const next = await runCli(['runs', 'list', '--json', '--data-dir', dataDir], { env: { TMPDIR: tempDir } });
    expect(next.exitCode, next.stderr).toBe(0);
    expect(existsSync(orphan)).toBe(false);
    expect(existsSync(live)).toBe(true);
    expect(existsSync(unmarked)).toBe(true);
  });
});
