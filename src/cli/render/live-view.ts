import type { RunShape } from '../../domain/load-shape.js';
import type { MetricsSnapshot, RunStatus } from '../../domain/types.js';

/** What the live display knows about a run at one moment; built by the `run` command. */
export interface LiveView {
  runId: string;
  testName: string;
  status: RunStatus;
  targetUsers: number;
  /** The planned length: a shape's plan within the duration bound, else the duration. */
  durationSeconds: number;
  elapsedSeconds: number;
  /** The load shape driving the users, once known. */
  shape?: RunShape;
  /** Absent until Locust's first metrics push. */
  metrics?: MetricsSnapshot;
}
