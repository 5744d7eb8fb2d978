import type { MetricsSnapshot, RunStatus } from '../../domain/types.js';

/** What the live display knows about a run at one moment; built by the `run` command. */
export interface LiveView {
  runId: string;
  testName: string;
  status: RunStatus;
  targetUsers: number;
  durationSeconds: number;
  elapsedSeconds: number;
  /** Absent until Locust's first metrics push. */
  metrics?: MetricsSnapshot;
}
