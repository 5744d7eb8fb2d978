/**
 * When a Running run has gone silent: the plugin pushes every interval and sends test-stop
 * when the duration elapses. A run that misses both must be ended, or `loadctl run` waits
 * forever (issue 10, scenario 1). Pure: the orchestrator passes the clock in.
 */
export interface WatchdogLimits {
  /** The least silence that counts: a slow push can take a few intervals (retries). */
  silenceFloorMs: number;
  /** How long after the duration the test-stop may take (users finishing, retries). */
  durationGraceMs: number;
}

export interface RunHeard {
  nowMs: number;
  /** When the last callback of the run arrived. */
  lastHeardMs: number;
  /** When the test started (the plugin's test-start, or the first callback). */
  startedMs: number;
  durationSeconds?: number;
  intervalSeconds: number;
}

/** No push for max(3 × interval, the floor). */
export function silenceLimitMs(intervalSeconds: number, limits: WatchdogLimits): number {
  return Math.max(3 * intervalSeconds * 1000, limits.silenceFloorMs);
}

/** Why the run is overdue, in words for its status history; null while it is not. */
export function overdueReason(heard: RunHeard, limits: WatchdogLimits): string | null {
  const silentMs = heard.nowMs - heard.lastHeardMs;
  const limitMs = silenceLimitMs(heard.intervalSeconds, limits);
  if (silentMs >= limitMs) return `no push from the Locust plugin for ${seconds(silentMs)}s (limit ${seconds(limitMs)}s)`;
  if (heard.durationSeconds !== undefined) {
    const overMs = heard.nowMs - heard.startedMs - heard.durationSeconds * 1000;
    if (overMs >= limits.durationGraceMs) return `no test-stop ${seconds(overMs)}s after the duration of ${heard.durationSeconds}s`;
  }
  return null;
}

function seconds(ms: number): string {
  return (Math.round(ms / 100) / 10).toString();
}
