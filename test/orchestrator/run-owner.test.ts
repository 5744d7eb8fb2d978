// What this host can tell about a process: real processes, no mocks.
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { judgeOwner } from '../../src/domain/run-owner.js';
import { probeProcess, thisProcessOwner } from '../../src/orchestrator/run-owner.js';

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
