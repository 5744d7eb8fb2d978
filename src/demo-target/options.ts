// The one place demo-target options get their defaults and are checked.
import { LoadctlError } from '../domain/errors.js';

export interface DemoTargetOptions {
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Probability (0..1) that an API request answers 500. */
  errorRate?: number;
  /** Each API request waits a latency drawn uniformly from [min, max] milliseconds. */
  latencyMs?: readonly [number, number];
  /** Source of randomness in [0, 1); injected by tests to make latency and failures predictable. */
  random?: () => number;
}

export type NormalisedDemoTargetOptions = Readonly<Required<DemoTargetOptions>>;

export function normaliseDemoTargetOptions(options: DemoTargetOptions = {}): NormalisedDemoTargetOptions {
  const normalised = {
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
    errorRate: options.errorRate ?? 0,
    latencyMs: options.latencyMs ?? ([2, 15] as const),
    random: options.random ?? Math.random,
  };
  validatePort(normalised.port);
  validateErrorRate(normalised.errorRate);
  validateLatency(normalised.latencyMs);
  return Object.freeze(normalised);
}

function validatePort(port: number): void {
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw invalid('port', `port must be an integer from 0 to 65535, got ${port}`);
  }
}

function validateErrorRate(errorRate: number): void {
  if (!Number.isFinite(errorRate) || errorRate < 0 || errorRate > 1) {
    throw invalid('errorRate', `errorRate must be a number from 0 to 1, got ${errorRate}`);
  }
}

function validateLatency([min, max]: readonly [number, number]): void {
  if (!Number.isFinite(min) || !Number.isFinite(max) || min < 0 || max < min) {
    throw invalid('latencyMs', `latencyMs must be [min, max] with 0 <= min <= max, got [${min}, ${max}]`);
  }
}

function invalid(field: string, message: string): LoadctlError {
  return new LoadctlError('LOADCTL_CONFIG_INVALID', `Demo target: ${message}.`, { details: { field } });
}
