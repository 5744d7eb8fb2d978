import { describe, expect, it } from 'vitest';
import { newerRun } from '../../web/src/run-order.js';
import type { Run } from '../../web/src/types.js';

const at = (second: number) => new Date(Date.UTC(2026, 10, 29, 20, 38, second)).toISOString();
const runWith = (...statuses: Run['status'][]): Run =>
  ({
    id: 'run_1',
    status: statusesLast(statuses),
    statusHistory: statuses.map((to, index) => ({ from: index === 0 ? null : statuses[index - 1]!, to, at: at(index) })),
  }) as unknown as Run;
const statusesLast = (statuses: Run['status'][]) => statuses[statuses.length - 1]!;

describe('the run page keeps the newer of two run views', () => {
  it('a stop answer that arrives after the stream ended the run does not bring Stopping back', () => {
    const ended = runWith('Pending', 'Starting', 'Running', 'Stopping', 'Stopped');
    const stopAnswer = runWith('Pending', 'Starting', 'Running', 'Stopping');
    expect(newerRun(ended, stopAnswer).status).toBe('Stopped');
  });

  it('takes a view as new as the one shown (a push changes numbers, not the history) or newer', () => {
    const running = runWith('Pending', 'Starting', 'Running');
    const pushed = { ...running, lastMetrics: { seq: 4 } } as unknown as Run;
    expect(newerRun(running, pushed)).toBe(pushed);
    const stopping = runWith('Pending', 'Starting', 'Running', 'Stopping');
    expect(newerRun(running, stopping)).toBe(stopping);
  });
});
