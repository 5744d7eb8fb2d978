// `loadctl runs stop ID`: ask the server to stop a run, then (by default) wait until it has ended.
import type { ControlPlaneApi } from '../../controlplane/client.js';
import type { RunView } from '../../controlplane/views.js';
import { isLoadctlError } from '../../domain/errors.js';
import { isTerminal } from '../../domain/run-state.js';
import { EXIT } from '../exit-codes.js';
import { useColor, type CliIo } from '../io.js';
import { createPalette } from '../render/_palette.js';
import { printJson, type CommandDeps } from './_with-client.js';
import { watchRun } from './watch-run.js';

export const DEFAULT_STOP_TIMEOUT_SECONDS = 30;

export interface StopRunOptions {
  runId: string;
  /** false: return as soon as the server accepted the request (--no-wait). */
  wait: boolean;
  timeoutSeconds: number;
  json: boolean;
}

/** Exits 0 once the run has ended (also when it had already ended), 2 when it is still going at the deadline. */
export async function stopRunCommand(options: StopRunOptions, { client, io }: CommandDeps): Promise<number> {
  const { run: requested, alreadyEnded } = await requestStop(client, options.runId);
  if (alreadyEnded) return report(requested, options.json, io, `Run ${requested.id} had already ended; nothing to stop.`);
  if (isTerminal(requested.status)) return report(requested, options.json, io);
  if (!options.wait) return report(requested, options.json, io, `Asked run ${requested.id} to stop; not waiting for it to end (\`loadctl runs watch ${requested.id}\` follows it).`);

  if (!options.json) io.stderr.write(`Stopping run ${requested.id} (waiting up to ${options.timeoutSeconds}s)…\n`);
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), options.timeoutSeconds * 1000);
  let final: RunView;
  try {
    final = await watchRun({ client, runId: requested.id, testName: requested.loadTestId, io, quiet: true, signal: deadline.signal });
  } finally {
    clearTimeout(timer);
  }
  if (!isTerminal(final.status)) {
    io.stderr.write(`loadctl: run ${final.id} is still ${final.status} after ${options.timeoutSeconds}s. Check it with \`loadctl runs show ${final.id}\`, or wait longer with --timeout.\n`);
    if (options.json) printJson(io, final);
    return EXIT.RUN_FAILED;
  }
  return report(final, options.json, io);
}

/** POST …/stop; a run that had already ended answers 409, which for `stop` is not a failure. */
async function requestStop(client: ControlPlaneApi, runId: string): Promise<{ run: RunView; alreadyEnded: boolean }> {
  try {
    return { run: await client.stopRun(runId), alreadyEnded: false };
  } catch (error) {
    if (!isLoadctlError(error) || error.code !== 'LOADCTL_RUN_CONFLICT') throw error;
    const run = await client.getRun(runId);
    if (!isTerminal(run.status)) throw error;
    return { run, alreadyEnded: true };
  }
}

function report(run: RunView, json: boolean, io: CliIo, note?: string): number {
  if (note && !json) io.stderr.write(`${note}\n`);
  if (json) {
    printJson(io, run);
    return EXIT.OK;
  }
  const palette = createPalette(useColor(io));
  const reason = run.statusHistory[run.statusHistory.length - 1]?.reason;
  io.stdout.write(`Run ${run.id}: ${palette.status(run.status)}${reason ? ` (${reason})` : ''}\n`);
  return EXIT.OK;
}
