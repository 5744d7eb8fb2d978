// `loadctl runs watch ID`: the live view of `loadctl run` for a run started elsewhere.
import { isTerminal } from '../../domain/run-state.js';
import { EXIT } from '../exit-codes.js';
import { useColor, widthOf } from '../io.js';
import { renderRunSummary } from '../render/index.js';
import { exitCodeFor, renderVerdicts, verdictsOf } from './_run-outcome.js';
import { testNameOf } from './_test-name.js';
import { printJson, type CommandDeps } from './_with-client.js';
import { watchRun } from './watch-run.js';

export interface WatchRunCommandOptions {
  runId: string;
  json: boolean;
  /** Where Ctrl+C / SIGTERM are subscribed; the process by default. */
  signals?: Pick<NodeJS.Process, 'on' | 'off'>;
}

/**
 * Follows the run until it ends and exits like `loadctl run` (0 Finished with its thresholds
 * passed, 1 a threshold failed, 2 Failed or Stopped).
 * Ctrl+C only stops watching: the run goes on, and the exit code is 130.
 */
export async function watchRunCommand({ runId, json, signals = process }: WatchRunCommandOptions, { client, io }: CommandDeps): Promise<number> {
  const run = await client.getRun(runId);
  const testName = await testNameOf(client, run.loadTestId);
  const watching = new AbortController();
  const onSignal = (): void => watching.abort();
  signals.on('SIGINT', onSignal);
  signals.on('SIGTERM', onSignal);
  try {
    if (!json && !isTerminal(run.status)) io.stderr.write(`Watching run ${run.id} of "${testName}" (Ctrl+C stops watching, not the run)\n`);
    const final = await watchRun({ client, runId, testName, io, quiet: json, signal: watching.signal });
    if (!isTerminal(final.status)) {
      io.stderr.write(`\nStopped watching; run ${final.id} is still ${final.status}. Follow it again with \`loadctl runs watch ${final.id}\`, stop it with \`loadctl runs stop ${final.id}\`.\n`);
      return EXIT.INTERRUPTED;
    }
    const verdicts = verdictsOf(final);
    if (json) printJson(io, final);
    else {
      const thresholds = renderVerdicts(final, verdicts, io);
      io.stdout.write(`${renderRunSummary({ ...final, callbackToken: '' }, { color: useColor(io), testName, width: widthOf(io) })}\n${thresholds ? `\n${thresholds}\n` : ''}`);
    }
    return exitCodeFor(final, false, verdicts);
  } finally {
    signals.off('SIGINT', onSignal);
    signals.off('SIGTERM', onSignal);
  }
}
