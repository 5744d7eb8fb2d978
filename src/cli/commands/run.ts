import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import type { LoadctlConfig } from '../../config/config.js';
import { LoadctlError } from '../../domain/errors.js';
import { checkScriptText, sha256Of } from '../../domain/script-source.js';
import type { ApiClient } from '../../controlplane/client.js';
import type { RunView } from '../../controlplane/views.js';
import { EXIT } from '../exit-codes.js';
import { useColor, widthOf, type CliIo } from '../io.js';
import { renderRunSummary } from '../render/index.js';
import { openSession } from '../session.js';
import { watchRun } from './watch-run.js';

export interface RunCommandOptions {
  config: LoadctlConfig;
  io: CliIo;
  /** Extra arguments for Locust (`loadctl run … -- --csv out`). */
  locustArgs?: readonly string[];
  quiet?: boolean;
  /** Where Ctrl+C / SIGTERM are subscribed; the process by default. */
  signals?: Pick<NodeJS.Process, 'on' | 'off'>;
}

/** `loadctl run`: upload the script, start a run, show it live, print the summary, return the exit code. */
export async function runLoadTest({ config, io, locustArgs, quiet = false, signals = process }: RunCommandOptions): Promise<number> {
  const { script, host } = requireScriptAndHost(config);
  const cleanScript = readScript(script);
  const testName = config.run.name ?? basename(script, extname(script));

  const session = await openSession(config, io, { ...(locustArgs ? { locustArgs } : {}) });
  let interrupted = false;
  let runId: string | undefined;
  const onSignal = (): void => {
    if (interrupted || !runId) return;
    interrupted = true;
    io.stderr.write('\nStopping the run (Ctrl+C again is not needed; it is being stopped cleanly)…\n');
    session.client.stopRun(runId).catch(() => {});
  };
  signals.on('SIGINT', onSignal);
  signals.on('SIGTERM', onSignal);
  try {
    const loadTestId = await upsertLoadTest(session.client, { name: testName, cleanScript, host, config });
    const run = await session.client.startRun(loadTestId, {
      targetUsers: config.run.users,
      spawnRate: config.run.spawnRate ?? config.run.users,
      durationSeconds: Math.round(config.run.durationSeconds),
      targetUrl: host,
    });
    runId = run.id;
    if (!quiet) io.stderr.write(`Run ${run.id} of "${testName}": ${run.targetUsers} users for ${run.durationSeconds}s against ${run.targetUrl}\n`);
    const final = await watchRun({ client: session.client, runId: run.id, testName, io, quiet });
    io.stdout.write(`${renderRunSummary(final as never, { color: useColor(io), testName, width: widthOf(io) })}\n`);
    return exitCodeFor(final, interrupted);
  } finally {
    signals.off('SIGINT', onSignal);
    signals.off('SIGTERM', onSignal);
    await session.close();
  }
}

export function exitCodeFor(run: Pick<RunView, 'status'>, interrupted: boolean): number {
  if (interrupted) return EXIT.INTERRUPTED;
  return run.status === 'Finished' ? EXIT.OK : EXIT.RUN_FAILED;
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

function readScript(path: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (cause) {
    throw new LoadctlError('LOADCTL_CONFIG_MISSING', `Cannot read the script ${path}: ${(cause as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (cause as Error).message}.`, { cause });
  }
  return checkScriptText(bytes);
}

/** Reuses the test with this name (adding a revision when the script changed) or creates it. */
async function upsertLoadTest(client: ApiClient, options: { name: string; cleanScript: string; host: string; config: LoadctlConfig }): Promise<string> {
  const scriptContent = Buffer.from(options.cleanScript, 'utf8').toString('base64');
  const { items } = await client.listLoadTests({ name: options.name, limit: 100 });
  const existing = items.find((test) => test.name === options.name);
  if (!existing) {
    const created = await client.createLoadTest({
      name: options.name,
      targetUrl: options.host,
      scriptContent,
      defaultUsers: options.config.run.users,
      defaultDurationSec: Math.round(options.config.run.durationSeconds),
      ...(options.config.run.spawnRate ? { defaultSpawnRate: options.config.run.spawnRate } : {}),
    });
    return created.id;
  }
  const revisions = await client.listRevisions(existing.id);
  const latest = revisions.items.find((revision) => revision.id === existing.latestRevisionId);
  if (latest?.sha256 !== sha256Of(options.cleanScript)) await client.updateScript(existing.id, scriptContent);
  return existing.id;
}
