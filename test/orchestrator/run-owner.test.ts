// What this host can tell about a process: real processes, no mocks.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { judgeOwner } from '../../src/domain/run-owner.js';
import { probeProcess, startOwnerHeartbeat, thisProcessOwner } from '../../src/orchestrator/run-owner.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { waitFor } from '../support/serve.js';
import { createTestAndRun } from '../store/_fixtures.js';

describe('probeProcess', () => {
  it('reads this process as alive, started when Node says it started', () => {
    const probe = probeProcess(process.pid);
    expect(probe.alive).toBe(true);
    expect(Math.abs(Date.parse(probe.startedAt!) - performance.timeOrigin)).toBeLessThan(3_000);
    const me = thisProcessOwner(new Date());
    expect(judgeOwner({ ...me, pid: process.pid }, { ...me, pid: process.pid + 1 }, probe, new Date())).toBe('alive');
  });

  it('an exited process is gone; its pid now held by a later process (other start time) is gone too', async () => {
    const child = await execa(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    const pid = Number(child.stdout);
    expect(probeProcess(pid).alive).toBe(false);
    const me = thisProcessOwner(new Date());
    const earlier = new Date(Date.parse(me.startedAt) - 60_000).toISOString();
    // This process standing in for a pid reused since an owner that started a minute earlier.
    expect(judgeOwner({ ...me, startedAt: earlier }, { ...me, pid: process.pid + 1 }, probeProcess(process.pid), new Date())).toBe('gone');
  });
});

describe('startOwnerHeartbeat', () => {
  it('rewrites the heartbeat of the runs this process drives, and stops when told', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loadctl-heartbeat-'));
    const store = new SqliteStore({ file: join(dir, 'loadctl.db') });
    await store.init();
    try {
      const first = thisProcessOwner(new Date(Date.now() - 60_000));
      const run = await createTestAndRun(store, { owner: first });
      const stop = startOwnerHeartbeat({ store, owner: () => thisProcessOwner(new Date()), activeRunIds: () => [run.id], intervalMs: 50, log: () => {} });
      const beaten = await waitFor(async () => (await store.getRun(run.id))!.owner!, (owner) => owner.heartbeatAt > first.heartbeatAt, { timeoutMs: 5_000, what: 'a newer heartbeat' });
      expect(beaten).toMatchObject({ host: first.host, pid: process.pid, startedAt: first.startedAt });
      stop();
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
