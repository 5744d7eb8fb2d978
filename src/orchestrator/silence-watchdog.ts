import { overdueReason, type WatchdogLimits } from '../domain/run-watchdog.js';
import type { Run } from '../domain/types.js';
import type { CallbackPayload } from './callbacks.js';

export interface SilenceWatchdogDeps {
  limits: WatchdogLimits;
  intervalSeconds: number;
  everyMs: number;
  now: () => Date;
  getRun: (runId: string) => Promise<Run | null>;
  /** Ends the overdue run: fetch its final report from Locust, record it, or fail it. */
  settle: (run: Run, why: string) => Promise<void>;
  log: (message: string) => void;
}

/**
 * Watches one Running run of this process: each callback resets its silence; once the run is
 * overdue (no push for max(3 × interval, floor), or the duration plus a grace without test-stop)
 * it is settled once. Returns the timer (the orchestrator clears it with the run's others).
 */
export class SilenceWatchdog {
  readonly #deps: SilenceWatchdogDeps;
  readonly #runId: string;
  #lastHeardMs: number;
  #firstHeardMs: number;
  #settling = false;
  readonly timer: NodeJS.Timeout;

  constructor(runId: string, deps: SilenceWatchdogDeps) {
    this.#deps = deps;
    this.#runId = runId;
    this.#lastHeardMs = this.#firstHeardMs = deps.now().getTime();
    this.timer = setInterval(() => void this.#check().catch((error: unknown) => deps.log(`run ${runId}: silence check failed: ${(error as Error).message}`)), deps.everyMs);
    this.timer.unref();
  }

  heard(): void {
    this.#lastHeardMs = this.#deps.now().getTime();
  }

  async #check(): Promise<void> {
    if (this.#settling) return;
    const run = await this.#deps.getRun(this.#runId);
    if (!run || run.status !== 'Running') return;
    const startedMs = run.startedAt ? Date.parse(run.startedAt) : this.#firstHeardMs;
    const why = overdueReason(
      {
        nowMs: this.#deps.now().getTime(),
        lastHeardMs: this.#lastHeardMs,
        startedMs: Number.isFinite(startedMs) ? startedMs : this.#firstHeardMs,
        durationSeconds: run.durationSeconds,
        intervalSeconds: this.#deps.intervalSeconds,
      },
      this.#deps.limits,
    );
    if (!why) return;
    this.#settling = true;
    clearInterval(this.timer);
    await this.#deps.settle(run, why);
  }
}

/** The plugin's answer as a test-stop callback; refused when it is not this run's or has no numbers. */
export function reportAsTestStop(run: Run, report: Record<string, unknown>): CallbackPayload {
  if (report.runId !== run.id) throw new Error(`the final report is for run ${String(report.runId)}, not ${run.id}`);
  if (typeof report.seq !== 'number' || typeof report.timestamp !== 'string' || typeof report.totalRequests !== 'number') {
    throw new Error('the final report has no seq, timestamp or totals');
  }
  return { requestStats: {}, errors: [], histogram: {}, ...report } as unknown as CallbackPayload;
}
