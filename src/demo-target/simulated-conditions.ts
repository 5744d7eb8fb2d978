// Makes the demo target behave like a real service under load: some latency on every API
// request and, optionally, a share of failures.
import { setTimeout as sleep } from 'node:timers/promises';

export interface SimulatedOutcome {
  latencyMs: number;
  fail: boolean;
}

export interface SimulatedConditions {
  /** Draws the latency first, then the failure, so an injected `random` sees a fixed order. */
  draw(): SimulatedOutcome;
  wait(latencyMs: number): Promise<void>;
}

export function createSimulatedConditions(options: {
  latencyMs: readonly [number, number];
  errorRate: number;
  random: () => number;
}): SimulatedConditions {
  const [min, max] = options.latencyMs;
  return {
    draw() {
      const latencyMs = Math.round(min + options.random() * (max - min));
      // Math.random() is < 1, so errorRate 1 always fails and errorRate 0 never does.
      const fail = options.random() < options.errorRate;
      return { latencyMs, fail };
    },
    async wait(latencyMs) {
      if (latencyMs > 0) await sleep(latencyMs);
    },
  };
}
