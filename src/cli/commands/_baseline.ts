// --baseline RUN_ID|last-passed: the run a new one is held against. Found before the new run
// starts, so a wrong id exits 3 before any load is sent.
import type { ControlPlaneApi } from '../../controlplane/client.js';
import type { RunView } from '../../controlplane/views.js';
import { LoadctlError } from '../../domain/errors.js';
import { resultMetricsOf } from '../../domain/summary.js';

export const LAST_PASSED = 'last-passed';
const PAGE = 100;

export interface BaselineOption {
  /** A run id, or "last-passed". */
  run: string;
  maxRegressionPercent: number;
}

/**
 * The baseline run: the one named, or for "last-passed" the newest Finished run of the test
 * whose thresholds passed or that had none. Null when "last-passed" finds none yet (the first
 * run of a pipeline has nothing to be compared with).
 */
export async function resolveBaseline(client: ControlPlaneApi, spec: string, loadTestId: string): Promise<RunView | null> {
  if (spec !== LAST_PASSED) {
    const run = await client.getRun(spec);
    if (!resultMetricsOf(run)) {
      throw new LoadctlError('LOADCTL_CONFIG_INVALID', `--baseline ${spec}: that run has no metrics to compare with (it is ${run.status}). Choose a run that sent load, or use --baseline last-passed.`, {
        details: { field: '--baseline' },
      });
    }
    return run;
  }
  for (let offset = 0; ; offset += PAGE) {
    const page = await client.listRuns({ loadTestId, status: 'Finished', limit: PAGE, offset });
    const found = page.items.find((run) => run.verdict !== 'failed' && resultMetricsOf(run));
    if (found) return found;
    if (page.items.length < PAGE || offset + PAGE >= page.total) return null;
  }
}
