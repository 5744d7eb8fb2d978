import type { ExitCategory } from '../domain/errors.js';

/** What a CI step can act on; documented in `loadctl --help` and README.md. */
export const EXIT = {
  OK: 0,
  THRESHOLD_FAILED: 1,
  RUN_FAILED: 2,
  USAGE: 3,
  INTERRUPTED: 130,
} as const;

export const EXIT_CODES_HELP = `
Exit codes:
  0    the run finished and every threshold passed (or the command succeeded)
  1    a threshold failed: --threshold / thresholds:, a regression beyond --max-regression,
       or a run stopped early by an abortOnFail threshold
  2    the run failed (Locust, the script, or the infrastructure) or was stopped before its duration,
       or a report file could not be written after the run (its path was checked before)
  3    bad usage or configuration, a threshold that does not parse or names an unknown endpoint,
       a report path (--json/--junit/--html) that cannot be written (checked before any load)
  130  interrupted (Ctrl+C): the run was stopped cleanly and stored as Stopped`;

export function exitCodeOf(category: ExitCategory): number {
  return category === 'usage' ? EXIT.USAGE : EXIT.RUN_FAILED;
}
