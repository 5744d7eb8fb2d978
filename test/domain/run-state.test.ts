import { describe, expect, it } from 'vitest';
import { ACTIVE_STATUSES, TERMINAL_STATUSES, canTransition, isTerminal, sourcesOf } from '../../src/domain/run-state.js';
import { RUN_STATUSES, type RunStatus } from '../../src/domain/types.js';

// DESIGN.md "Run status": Pending → Starting → Running → Stopping → Finished | Stopped | Failed.
const FORWARD: [RunStatus, RunStatus][] = [
  ['Pending', 'Starting'],
  ['Starting', 'Running'],
  ['Running', 'Stopping'],
  ['Stopping', 'Finished'],
  ['Stopping', 'Stopped'],
  ['Stopping', 'Failed'],
];
// Also allowed, and why: test-stop can arrive before anyone marked the run Stopping; a stop
// request can come before Locust answered; anything not yet terminal can fail.
const SHORTCUTS: [RunStatus, RunStatus][] = [
  ['Running', 'Finished'],
  ['Running', 'Stopped'],
  ['Running', 'Failed'],
  ['Starting', 'Stopping'],
  ['Starting', 'Stopped'],
  ['Starting', 'Failed'],
  ['Pending', 'Stopped'],
  ['Pending', 'Failed'],
];
const ALLOWED = [...FORWARD, ...SHORTCUTS];
const ORDER: Record<RunStatus, number> = { Pending: 0, Starting: 1, Running: 2, Stopping: 3, Finished: 4, Stopped: 4, Failed: 4 };

const allPairs = RUN_STATUSES.flatMap((from) => RUN_STATUSES.map((to): [RunStatus, RunStatus] => [from, to]));

describe('run state machine', () => {
  it.each(FORWARD)('allows the designed step %s → %s', (from, to) => {
    expect(canTransition(from, to)).toBe(true);
  });

  it.each(SHORTCUTS)('allows the shortcut %s → %s', (from, to) => {
    expect(canTransition(from, to)).toBe(true);
  });

  it('allows nothing else', () => {
    const allowed = new Set(ALLOWED.map(([from, to]) => `${from}→${to}`));
    const unexpected = allPairs.filter(([from, to]) => canTransition(from, to) && !allowed.has(`${from}→${to}`));
    expect(unexpected).toEqual([]);
  });

  it.each(['Finished', 'Stopped', 'Failed'] as RunStatus[])('lets nothing leave the terminal status %s', (from) => {
    expect(isTerminal(from)).toBe(true);
    expect(RUN_STATUSES.filter((to) => canTransition(from, to))).toEqual([]);
  });

  it('refuses every backward move and staying in place', () => {
    const backwardOrSame = allPairs.filter(([from, to]) => ORDER[to] <= ORDER[from]);
    expect(backwardOrSame.length).toBeGreaterThan(0);
    for (const [from, to] of backwardOrSame) expect(canTransition(from, to), `${from} → ${to}`).toBe(false);
  });

  it('never skips Starting: a Pending run cannot be Running or Finished', () => {
    expect(canTransition('Pending', 'Running')).toBe(false);
    expect(canTransition('Pending', 'Stopping')).toBe(false);
    expect(canTransition('Pending', 'Finished')).toBe(false);
    expect(canTransition('Starting', 'Finished')).toBe(false);
  });

  it('splits the statuses into active and terminal, with no overlap', () => {
    expect([...ACTIVE_STATUSES].sort()).toEqual(['Pending', 'Running', 'Starting', 'Stopping']);
    expect([...TERMINAL_STATUSES].sort()).toEqual(['Failed', 'Finished', 'Stopped']);
    for (const status of ACTIVE_STATUSES) expect(isTerminal(status)).toBe(false);
  });

  it('sourcesOf(to) holds exactly the statuses from which canTransition(from, to)', () => {
    for (const to of RUN_STATUSES) {
      const expected = RUN_STATUSES.filter((from) => canTransition(from, to));
      expect([...sourcesOf(to)].sort(), `sources of ${to}`).toEqual([...expected].sort());
    }
  });

  it('gives the sources a conditional update needs for the main moves', () => {
    expect(sourcesOf('Pending')).toEqual([]);
    expect(sourcesOf('Starting')).toEqual(['Pending']);
    expect(sourcesOf('Running')).toEqual(['Starting']);
    expect([...sourcesOf('Failed')].sort()).toEqual(['Pending', 'Running', 'Starting', 'Stopping']);
    expect([...sourcesOf('Finished')].sort()).toEqual(['Running', 'Stopping']);
  });
});
