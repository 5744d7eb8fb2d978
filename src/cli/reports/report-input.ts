import type { ThresholdVerdict } from '../../domain/thresholds.js';
import type { MetricsSnapshot, Run } from '../../domain/types.js';

/** A run as the API returns it (RunView): everything but its secrets. */
export type ReportRun = Omit<Run, 'callbackToken' | 'callbackTokenHash' | 'launchToken'>;

/** Everything a report is made from; every renderer is a pure function of this. */
export interface ReportInput {
  run: ReportRun;
  testName: string;
  /** The run's metrics pushes, in any order (sorted by seq here). */
  pushes: readonly MetricsSnapshot[];
  verdicts: readonly ThresholdVerdict[];
  /** When the report was made (ISO 8601), shown in it; passed in so rendering needs no clock. */
  generatedAt?: string;
}
