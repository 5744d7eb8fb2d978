import { describe, expect, it } from 'vitest';
import { logRunTransitions } from '../../../src/cli/commands/_run-transition-log.js';
import type { Run } from '../../../src/domain/types.js';
import { RunEventBus } from '../../../src/orchestrator/run-events.js';

const base: Run = {
  id: 'run_a',
  loadTestId: 'lt_a',
  scriptRevisionId: 'rev_a',
  status: 'Starting',
  statusHistory: [{ from: 'Pending', to: 'Starting', at: '2026-01-01T00:00:00Z', reason: 'launching Locust' }],
  targetUsers: 3,
  spawnRate: 3,
  durationSeconds: 30,
  targetUrl: 'http://127.0.0.1:8000',
  createdAt: '2026-01-01T00:00:00Z',
  autoStopped: false,
};

describe('serve logs run transitions', () => {
  it('one line per status change of any run; pushes that keep the status log nothing', () => {
    const bus = new RunEventBus();
    const lines: string[] = [];
    const stop = logRunTransitions((listener) => bus.subscribeAll(listener), (line) => lines.push(line));
    bus.publish(base);
    bus.publish({ ...base, status: 'Running', statusHistory: [...base.statusHistory, { from: 'Starting', to: 'Running', at: '2026-01-01T00:00:02Z' }] });
    bus.publish({ ...base, status: 'Running', statusHistory: [...base.statusHistory, { from: 'Starting', to: 'Running', at: '2026-01-01T00:00:02Z' }] });
    bus.publish({ ...base, status: 'Finished', verdict: 'passed', statusHistory: [{ from: 'Running', to: 'Finished', at: '2026-01-01T00:00:32Z', reason: 'duration of 30s elapsed' }] });
    stop();
    bus.publish({ ...base, id: 'run_b' });
    expect(lines).toEqual([
      'run run_a of test lt_a: Pending → Starting (launching Locust), 3 users for 30 s against http://127.0.0.1:8000',
      'run run_a of test lt_a: Starting → Running',
      'run run_a of test lt_a: Running → Finished (duration of 30s elapsed), verdict passed',
    ]);
  });
});
