// The verdict a run gets when nobody wrote one: a run that sent nothing, whose requests
// mostly failed, or whose tasks raised, is not a pass (plain Locust exits 1 there too).
import { parseThreshold } from './_threshold-syntax.js';
import type { Threshold } from './_threshold-types.js';

/** Judge a run that has no thresholds of its own. */
export const DEFAULT_THRESHOLDS_ALONE = ['requests>=1', 'error_rate<1%', 'exceptions==0'] as const;
/** Added to a run's own thresholds: those decide what is good enough, but a run where every request failed never is. */
export const DEFAULT_THRESHOLDS_WITH_OWN = ['error_rate<100%'] as const;

/**
 * The thresholds a new run is judged by: its own, then the defaults that apply (marked
 * `isDefault`). `enabled` false (--no-default-thresholds, defaultThresholds: false) adds none.
 */
export function withDefaultThresholds(own: readonly Threshold[], enabled: boolean): Threshold[] {
  if (!enabled) return [...own];
  const texts = own.length === 0 ? DEFAULT_THRESHOLDS_ALONE : DEFAULT_THRESHOLDS_WITH_OWN;
  return [...own, ...texts.map((text) => ({ ...parseThreshold(text), isDefault: true }))];
}

/** The user's own thresholds of a stored run, without the defaults added at its creation. */
export function ownThresholdsOf(thresholds: readonly Threshold[] | undefined): Threshold[] {
  return (thresholds ?? []).filter((threshold) => !threshold.isDefault);
}
