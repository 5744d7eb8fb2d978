// `loadctl runs show ID`: the run's summary and how its status changed.
import type { RunView } from '../../controlplane/views.js';
import type { StatusChange } from '../../domain/types.js';
import { useColor, widthOf } from '../io.js';
import { renderRunSummary } from '../render/index.js';
import { createPalette } from '../render/_palette.js';
import { renderVerdicts, verdictsOf } from './_run-outcome.js';
import { testNameOf } from './_test-name.js';
import { printJson, type CommandDeps } from './_with-client.js';

export async function showRun(options: { runId: string; json: boolean }, { client, io }: CommandDeps): Promise<number> {
  const run = await client.getRun(options.runId);
  if (options.json) {
    printJson(io, run);
    return 0;
  }
  const color = useColor(io);
  const testName = await testNameOf(client, run.loadTestId);
  const summary = renderRunSummary({ ...run, callbackToken: '' }, { color, testName, width: widthOf(io) });
  const thresholds = renderVerdicts(run, verdictsOf(run), io);
  const requirements = renderRequirements(run, { color });
  const locustArgs = run.locustArgs?.length ? `Locust arguments: ${run.locustArgs.map(quoteArgument).join(' ')}\n\n` : '';
  io.stdout.write(`${summary}\n\n${thresholds ? `${thresholds}\n\n` : ''}${requirements ? `${requirements}\n\n` : ''}${locustArgs}${renderStatusHistory(run, { color })}\n`);
  return 0;
}

/** The Python packages installed for the run besides Locust; empty when it had none. */
export function renderRequirements(run: Pick<RunView, 'requirements'>, options: { color: boolean }): string {
  if (!run.requirements) return '';
  const palette = createPalette(options.color);
  const lines = run.requirements.text.trimEnd().split('\n').map((line) => `  ${line}`);
  return [`${palette.bold('Python requirements')} (sha256 ${run.requirements.sha256.slice(0, 12)})`, ...lines].join('\n');
}

/** An argument as a shell would need it typed again: quoted when it holds spaces or quotes. */
function quoteArgument(argument: string): string {
  return /^[\w@%+=:,./-]+$/.test(argument) ? argument : `'${argument.replace(/'/g, `'\\''`)}'`;
}

/** One line per transition: local time, status, seconds since the run was created, reason. */
export function renderStatusHistory(run: Pick<RunView, 'statusHistory' | 'createdAt'>, options: { color: boolean }): string {
  const palette = createPalette(options.color);
  const start = Date.parse(run.createdAt);
  const width = Math.max(0, ...run.statusHistory.map((change) => change.to.length));
  const lines = run.statusHistory.map((change: StatusChange) => {
    const offset = (Date.parse(change.at) - start) / 1000;
    const status = palette.status(change.to, change.to.padEnd(width));
    return `  ${localTime(new Date(change.at))}  ${status}  +${offset.toFixed(1)}s${change.reason ? `  ${change.reason}` : ''}`.trimEnd();
  });
  return [palette.bold('Status history'), ...lines].join('\n');
}

/** "2026-11-28 10:01:02": seconds matter between transitions. */
function localTime(date: Date): string {
  const pad = (value: number): string => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}
