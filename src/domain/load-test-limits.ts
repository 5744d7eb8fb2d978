import { LoadctlError } from './errors.js';

/**
 * A test's default run must fit under its own cap, or starting it with the defaults would be
 * refused later. Raises LOADCTL_BAD_REQUEST naming `field`, the one the caller changed.
 */
export function validateDurationLimits(
  limits: { defaultDurationSec: number; maxDurationSec?: number },
  field: 'defaultDurationSec' | 'maxDurationSec',
): void {
  if (limits.maxDurationSec !== undefined && limits.defaultDurationSec > limits.maxDurationSec) {
    throw new LoadctlError(
      'LOADCTL_BAD_REQUEST',
      `defaultDurationSec (${limits.defaultDurationSec}) is above maxDurationSec (${limits.maxDurationSec}); lower the default or raise the cap.`,
      { details: { field } },
    );
  }
}
