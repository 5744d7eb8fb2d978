// `loadctl report RUN_ID --html FILE`: the reports of `loadctl run` for any stored run.
import { LoadctlError } from '../../domain/errors.js';
import { checkReportPaths, type ReportPaths } from '../reports/index.js';
import { hasReports, verdictsOf, writeRunReports } from './_run-outcome.js';
import { testNameOf } from './_test-name.js';
import type { CommandDeps } from './_with-client.js';

/** Refuses the command without any output file, or with one that cannot be written, before a store is opened. */
export function validateReportPaths(paths: ReportPaths): void {
  if (!hasReports(paths)) {
    throw new LoadctlError('LOADCTL_CONFIG_INVALID', 'loadctl report needs at least one output: --json FILE, --junit FILE or --html FILE.', { details: { field: '--html' } });
  }
  checkReportPaths(paths);
}

/** Writes the reports from the run as stored, its thresholds' verdicts included; prints each path. */
export async function reportRun(options: { runId: string; paths: ReportPaths }, { client, io, now }: CommandDeps): Promise<number> {
  validateReportPaths(options.paths);
  const run = await client.getRun(options.runId);
  const testName = await testNameOf(client, run.loadTestId);
  const written = await writeRunReports({ client, run, testName, verdicts: verdictsOf(run), paths: options.paths, now });
  for (const path of written) io.stdout.write(`${path}\n`);
  return 0;
}
