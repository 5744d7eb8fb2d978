import { describe, expect, it } from 'vitest';
import { judgeOwner, OWNER_STALE_MS } from '../../src/domain/run-owner.js';
import type { RunOwner } from '../../src/domain/types.js';

const now = new Date('2026-11-29T12:00:00.000Z');
const here = { host: 'ci-1', pid: 100, startedAt: '2026-11-29T11:00:00.000Z' };
const owner = (fields: Partial<RunOwner>): RunOwner => ({ host: 'ci-1', pid: 200, startedAt: '2026-11-29T11:30:00.000Z', heartbeatAt: now.toISOString(), ...fields });

describe('judgeOwner', () => {
  it('this very process is itself, not gone', () => {
    expect(judgeOwner(owner({ pid: 100, startedAt: '2026-11-29T11:00:00.400Z' }), here, { alive: true }, now)).toBe('self');
  });

  it('same host: a dead pid is gone; a live pid with its start time is alive', () => {
    expect(judgeOwner(owner({}), here, { alive: false }, now)).toBe('gone');
    expect(judgeOwner(owner({}), here, { alive: true, startedAt: '2026-11-29T11:30:01.000Z' }, now)).toBe('alive');
  });

  it('same host: a pid reused by a process that started at another time is gone', () => {
    expect(judgeOwner(owner({}), here, { alive: true, startedAt: '2026-11-29T11:45:00.000Z' }, now)).toBe('gone');
  });

  it('same host, start time unknown: alive (never taken on a guess)', () => {
    expect(judgeOwner(owner({}), here, { alive: true }, now)).toBe('alive');
    expect(judgeOwner(owner({}), here, undefined, now)).toBe('alive');
  });

  it('another host: gone only after a long silence of its heartbeat, whatever its pid does here', () => {
    const old = new Date(now.getTime() - OWNER_STALE_MS - 1).toISOString();
    const recent = new Date(now.getTime() - 60_000).toISOString();
    expect(judgeOwner(owner({ host: 'ci-2', heartbeatAt: recent }), here, undefined, now)).toBe('alive');
    expect(judgeOwner(owner({ host: 'ci-2', heartbeatAt: old }), here, undefined, now)).toBe('gone');
  });
});
