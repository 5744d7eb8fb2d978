import { basename, extname, resolve } from 'node:path';
import type { LoadctlConfig } from '../../config/config.js';
import { LoadctlError } from '../../domain/errors.js';
import { prepareScriptUpload } from '../bundle/script-upload.js';
import { formatBytes } from '../../domain/bundle.js';
import type { ControlPlaneApi } from '../../controlplane/client.js';
import { endpointsFromScript, thresholdInputOf, validateThresholdEndpoints } from '../../domain/thresholds.js';
import { useColor, widthOf, type CliIo } from '../io.js';
import { createMessageLine, formatDuration, plural, renderRunSummary } from '../render/index.js';
import { checkReportPaths, type ReportPaths } from '../reports/index.js';
import type { Session } from '../session.js';
import { startRunHeadStart, type RunHeadStart } from './_run-head-start.js';
import { LAST_PASSED, resolveBaseline, type BaselineOption } from './_baseline.js';
import { exitCodeFor, renderVerdicts, verdictsOf, writeRunReports } from './_run-outcome.js';
import { EXIT } from '../exit-codes.js';
import { watchRun } from './watch-run.js';
import { upsertLoadTest } from './_upsert-load-test.js';
import { planLoadShape } from './_load-shape-plan.js';

export interface RunCommandOptions {
  config: LoadctlConfig;
  io: CliIo;
  /** Extra arguments for Locust (`loadctl run … -- --csv out`). */
  locustArgs?: readonly string[];
  quiet?: boolean;
  /** --ui: print the web console's live page of the run. */
  ui?: boolean;
  /** --json / --junit / --html report files, written once the run has ended. */
  reports?: ReportPaths;
  /** --baseline with --max-regression: a regression against that run fails like a threshold. */
  baseline?: BaselineOption;
  /** Where Ctrl+C / SIGTERM are subscribed; the process by default. */
  signals?: Pick<NodeJS.Process, 'on' | 'off'>;
  now?: () => Date;
}

/**
 * `loadctl run`: upload the script, start a run, show it live, print the summary and the
 * thresholds, write the reports, return the exit code.
 */
export async function runLoadTest(options: RunCommandOptions): Promise<number> {
  const { config, io, locustArgs, quiet = false, ui = false, reports = {}, baseline, signals = process, now = () => new Date() } = options;
  const { script, host } = requireScriptAndHost(config);
  // The script with the files beside it it needs; refused here (exit 3) when over the limits.
  // Not what loadctl writes itself: a report or the store inside the project would change every run's bundle.
  const written = [config.dataDir, reports.json, reports.junit, reports.html].filter((path): path is string => path !== undefined).map((path) => resolve(io.cwd, path));
  const upload = prepareScriptUpload(script, config.run.bundle, written);
  const testName = config.run.name ?? basename(script, extname(script));
  // Checked here too (the server checks again), so a typo exits 3 before anything starts.
  validateThresholdEndpoints(config.run.thresholds, endpointsFromScript(upload.pythonSources));
  // A report that cannot be written exits 3 now, not after minutes of load.
  checkReportPaths(reports);
  // Stages against a script with its own shape exit 3 here, before anything starts.
  const shapePlan = planLoadShape(config.run, upload.pythonSources);

  // Control plane logs and signal messages go above the live view while it is drawn.
  const messages = createMessageLine(io.stderr);
  let interrupted = false;
  let runId: string | undefined;
  let session: Session | undefined;
  const stopRun = (id: string): void => void session?.client.stopRun(id).catch(() => {});
  // Ctrl+C at any moment cancels: before the run exists nothing is started (or the run, once
  // created, is stopped at once); after, the run is stopped cleanly. Either way the exit is 130.
  const onSignal = (): void => {
    if (interrupted) return;
    interrupted = true;
    messages.say(runId ? '\nStopping the run (Ctrl+C again is not needed; it is being stopped cleanly)…' : '\nCancelling: the run will not start (or is stopped as soon as it exists)…');
    if (runId) stopRun(runId);
  };
  signals.on('SIGINT', onSignal);
  signals.on('SIGTERM', onSignal);
  let early: RunHeadStart | undefined;
  try {
    // Started first, they run while the control plane loads (the session module loads Fastify).
    // Only a lone script with nothing to install or distribute: what the orchestrator adopts.
    const startsEarly = !config.remoteServer && !upload.bundled && !config.run.requirements && !config.run.workers && !config.run.expectRemoteWorkers;
    if (startsEarly) early = await startRunHeadStart(config, io, upload.cleanScript, host, locustArgs);
    const { openSession } = await import('../session.js');
    session = await openSession(config, io, { ...(locustArgs ? { locustArgs } : {}), log: (message) => messages.say(message), ...(early ?? {}) });
    if (interrupted) return EXIT.INTERRUPTED;
    const client = session.client;
    const loadTestId = await upsertLoadTest(client, { name: testName, upload, host, config });
    // Said once the upload is accepted: a refused script's reason stays the first line.
    if (upload.bundled && !quiet) io.stderr.write(`Bundled ${plural(upload.bundled.files, 'file')} (${formatBytes(upload.bundled.bytes)}) from ${upload.bundled.root}\n`);
    const baselineRun = baseline ? await resolveBaseline(client, baseline.run, loadTestId) : null;
    if (baseline && !baselineRun) io.stderr.write(`No earlier run of "${testName}" passed yet: no regression check this time (--baseline ${LAST_PASSED}).\n`);
    if (interrupted) return EXIT.INTERRUPTED;
    const run = await client.startRun(loadTestId, {
      ...shapePlan.start,
      targetUrl: host,
      ...(config.run.thresholds.length > 0 ? { thresholds: config.run.thresholds.map(thresholdInputOf) } : {}),
      // Sent either way: the CLI's config decides, also against a `serve` configured otherwise.
      defaultThresholds: config.run.defaultThresholds,
      ...(config.run.requirements ? { requirements: config.run.requirements.text } : {}),
      ...(config.run.workers ? { workers: config.run.workers } : {}),
      ...(config.run.expectRemoteWorkers ? { expectRemoteWorkers: config.run.expectRemoteWorkers } : {}),
      ...(config.run.masterBind ? { masterBind: config.run.masterBind } : {}),
    });
    runId = run.id;
    // Interrupted while the start request was on its way: the run exists now, stop it.
    if (interrupted) stopRun(run.id);
    if (!quiet) {
      const against = baselineRun ? `; baseline ${baselineRun.id} (max regression ${baseline!.maxRegressionPercent}%)` : '';
      const load = shapePlan.note ? 'load shape' : `${plural(run.targetUsers, 'user')} for ${formatDuration(run.durationSeconds)}`;
      io.stderr.write(`Run ${run.id} of "${testName}": ${load} against ${run.targetUrl}${against}\n`);
      if (shapePlan.note) io.stderr.write(`${shapePlan.note}\n`);
    }
    if (ui) io.stderr.write(`Live page: ${consoleRunUrl(session.controlPlane?.url ?? config.remoteServer ?? '', run.id)}\n`);
    const final = await watchRun({ client, runId: run.id, testName, io, quiet, messages });
    const verdicts = verdictsOf(final, baselineRun && { run: baselineRun, maxRegressionPercent: baseline!.maxRegressionPercent });
    const thresholds = renderVerdicts(final, verdicts, io);
    io.stdout.write(`${renderRunSummary(final as never, { color: useColor(io), testName, width: widthOf(io) })}\n${thresholds ? `\n${thresholds}\n` : ''}`);
    const written = await writeRunReports({ client, run: final, testName, verdicts, paths: reports, now });
    if (!quiet) for (const path of written) io.stderr.write(`Wrote ${path}\n`);
    return exitCodeFor(final, interrupted, verdicts);
  } finally {
    signals.off('SIGINT', onSignal);
    signals.off('SIGTERM', onSignal);
    await session?.close();
    await early?.headStart.discard();
  }
}

/** The console's page of a run on the control plane at `base`. */
export function consoleRunUrl(base: string, runId: string): string {
  return `${base.replace(/\/+$/, '')}/#/runs/${encodeURIComponent(runId)}`;
}

function requireScriptAndHost(config: LoadctlConfig): { script: string; host: string } {
  const missing: string[] = [];
  if (!config.run.script) missing.push('a Locust script (--script FILE or `script:` in loadctl.yaml)');
  if (!config.run.host) missing.push('the target host (--host URL or `host:` in loadctl.yaml)');
  if (missing.length > 0) {
    const where = config.configFile ? `${config.configFile} does not set it` : 'no loadctl.yaml was found in this directory';
    throw new LoadctlError(
      'LOADCTL_CONFIG_MISSING',
      `loadctl run needs ${missing.join(' and ')}; ${where}.\n  Fix: loadctl run --script locustfile.py --host http://127.0.0.1:8000 --duration 30 --users 5\n   or: loadctl init   (writes loadctl.yaml and a starter locustfile here)\n   or: loadctl demo   (runs against the built-in demo API)`,
    );
  }
  return { script: config.run.script!, host: config.run.host! };
}
