import { describe, expect, it } from 'vitest';
import { connectedWorkers, mergeWorkers, parseMasterBind, resolveWorkerCount } from '../../src/domain/workers.js';

const A = { id: 'vm_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', host: 'vm', state: 'running', users: 2 };
const B = { id: 'ci.2_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb', host: 'ci.2', state: 'running', users: 2 };

describe('mergeWorkers', () => {
  it('adds workers as they join and keeps the most users each ran', () => {
    const first = mergeWorkers([], [{ ...A, state: 'ready', users: 0 }], 't1', { loadRunning: false });
    expect(first).toEqual({ workers: [{ id: A.id, host: 'vm', state: 'ready', users: 0, joinedAt: 't1' }], events: [] });
    const second = mergeWorkers(first.workers, [A, B], 't2', { loadRunning: true });
    const third = mergeWorkers(second.workers, [{ ...A, state: 'ready', users: 0 }, B], 't3', { loadRunning: true });
    expect(third.workers.map((worker) => [worker.state, worker.users, worker.joinedAt])).toEqual([['ready', 2, 't1'], ['running', 2, 't2']]);
    expect(third.events).toEqual([]);
  });

  it('marks a worker lost once, with an event, when it goes missing or leaves during the load', () => {
    const known = mergeWorkers([], [A, B], 't1', { loadRunning: true }).workers;
    const missing = mergeWorkers(known, [A, { ...B, state: 'missing' }], 't2', { loadRunning: true });
    expect(missing.workers[1]).toMatchObject({ state: 'lost', lostAt: 't2', users: 2 });
    expect(missing.events).toEqual([{ at: 't2', type: 'worker-lost', workerId: B.id, message: expect.stringContaining('ci.2') }]);
    expect(mergeWorkers(missing.workers, [A], 't3', { loadRunning: true }).events).toEqual([]);
    expect(mergeWorkers(known, [B], 't2', { loadRunning: true }).events[0]!.message).toContain('left the master');
  });

  it('is no loss when workers leave outside the load (start-up, stopping)', () => {
    const known = mergeWorkers([], [A, B], 't1', { loadRunning: true }).workers;
    expect(mergeWorkers(known, [], 't2', { loadRunning: false })).toEqual({ workers: known, events: [] });
  });
});

describe('connectedWorkers', () => {
  it('counts connected states only', () => {
    expect(connectedWorkers([A, { ...B, state: 'missing' }, { ...B, id: 'x', state: 'ready' }]).map((worker) => worker.id)).toEqual([A.id, 'x']);
  });
});

describe('parseMasterBind', () => {
  it('reads host and port, IPv6 in brackets, a bare port on every interface', () => {
    expect(parseMasterBind('10.200.1.1:5557')).toEqual({ host: '10.200.1.1', port: 5557 });
    expect(parseMasterBind('[::]:6000')).toEqual({ host: '::', port: 6000 });
    expect(parseMasterBind(':5557')).toEqual({ host: '0.0.0.0', port: 5557 });
    expect(parseMasterBind('master.local')).toEqual({ host: 'master.local' });
  });

  it('refuses what is not HOST:PORT', () => {
    for (const bad of ['host:99999', 'host:0', 'a b:1', 'host:port']) expect(() => parseMasterBind(bad), bad).toThrow(/HOST:PORT/);
  });
});

describe('resolveWorkerCount', () => {
  it('takes a whole number or auto (one per core)', () => {
    expect(resolveWorkerCount('2', 8)).toBe(2);
    expect(resolveWorkerCount(0, 8)).toBe(0);
    expect(resolveWorkerCount('auto', 8)).toBe(8);
    expect(resolveWorkerCount('AUTO', 0)).toBe(1);
    for (const bad of ['-1', '1.5', 'two', '', '999']) expect(() => resolveWorkerCount(bad, 2), bad).toThrow(/whole number/);
  });
});
