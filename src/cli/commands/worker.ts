// `loadctl worker --master HOST[:PORT] --server URL`: a Locust worker on this machine for a run
// whose master runs elsewhere. The script is the run's revision, fetched from the control
// plane (with the plugin import loadctl injected), a bundle unpacked as the orchestrator does;
// the run's Python requirements are installed into (or reused from) this machine's data dir.
// The plugin is on PYTHONPATH, so this machine needs only loadctl (it prepares its own Locust
// venv). Locust decides the rest: the worker exits when its master quits, and reconnects as Locust does.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoadctlConfig } from '../../config/config.js';
import { ApiClient } from '../../controlplane/client.js';
import type { RunView } from '../../controlplane/views.js';
import { LoadctlError } from '../../domain/errors.js';
import { isTerminal } from '../../domain/run-state.js';
import { parseMasterBind } from '../../domain/workers.js';
import { spawnLocustWorker, type LocustWorkerSpawner } from '../../locust/locust-process.js';
import { prepareRequirementsEnv } from '../../locust/requirements-env.js';
import { lastMeaningfulLine } from '../../orchestrator/orchestrator.js';
import { locustPlacement, writeRevisionFiles, type RevisionFiles } from '../../orchestrator/write-revision.js';
import { ensureLocustRuntime } from '../ensure-runtime.js';
import { EXIT } from '../exit-codes.js';
import type { CliIo } from '../io.js';

/** Locust's default master port (--master-port). */
export const DEFAULT_MASTER_PORT = 5557;

export interface WorkerCommandOptions {
  config: LoadctlConfig;
  io: CliIo;
  master: string;
  runId?: string;
  /** How long to wait for a run that expects remote workers (without --run). */
  waitSeconds?: number;
  spawn?: LocustWorkerSpawner;
  signals?: Pick<NodeJS.Process, 'on' | 'off'>;
}

export async function runWorker(options: WorkerCommandOptions): Promise<number> {
  const { config, io, signals = process, spawn = spawnLocustWorker } = options;
  if (!config.remoteServer) {
    throw new LoadctlError('LOADCTL_CONFIG_MISSING', 'loadctl worker needs the control plane that holds the run: --server URL (a `loadctl serve` this machine can reach).');
  }
  const { host: masterHost, port } = parseMasterBind(options.master);
  const masterPort = port ?? DEFAULT_MASTER_PORT;
  const client = new ApiClient({ baseUrl: config.remoteServer, ...(config.security.apiToken ? { token: config.security.apiToken } : {}) });
  const run = options.runId ? await client.getRun(options.runId) : await waitForRemoteRun(client, (options.waitSeconds ?? 120) * 1000);
  if (isTerminal(run.status)) throw new LoadctlError('LOADCTL_RUN_CONFLICT', `Run ${run.id} has already ended (${run.status}); start the run first, then its workers.`);
  const revision = await fetchRunRevision(client, run);
  const runtime = await ensureLocustRuntime(config, io);
  // The master imports the same packages: a worker without them would fail at its first import.
  const requirements = await prepareRequirementsEnv({ dataDir: config.dataDir, runtime, requirements: run.requirements?.text ?? '', onStep: (message) => io.stderr.write(`${message}\n`) });
  const workDir = await mkdtemp(join(tmpdir(), 'loadctl-worker-'));
  try {
    const written = await writeRevisionFiles(workDir, revision).catch((cause: unknown) => {
      throw new LoadctlError('LOADCTL_BUNDLE_INVALID', `The bundle of script revision ${run.scriptRevisionId} (run ${run.id}) cannot be unpacked here: ${(cause as Error).message}`, { cause });
    });
    const placement = locustPlacement(written, workDir, requirements.pythonPath);
    const what = written.projectDir ? `bundle, ${revision.locustfile}` : 'single file';
    io.stderr.write(`Worker for run ${run.id} (script revision ${run.scriptRevisionId}, ${what}): joining the Locust master at ${masterHost}:${masterPort}\n`);
    const locust = spawn({
      runtime,
      scriptPath: written.scriptPath,
      workDir: placement.workDir,
      masterHost,
      masterPort,
      ...(placement.pythonPath.length > 0 ? { pythonPath: placement.pythonPath } : {}),
      // As the master's local workers get them: `-- --tags read` selects tasks on every worker.
      ...(run.locustArgs?.length ? { extraArgs: run.locustArgs } : {}),
    });
    let interrupted = false;
    const onSignal = (): void => {
      interrupted = true;
      void locust.terminate();
    };
    signals.on('SIGINT', onSignal);
    signals.on('SIGTERM', onSignal);
    try {
      const exit = await locust.exited;
      const line = lastMeaningfulLine(exit.outputTail);
      io.stderr.write(`Locust worker exited (${exit.signal ? `signal ${exit.signal}` : `exit code ${exit.exitCode ?? 'unknown'}`})${line ? `: ${line}` : ''}\n`);
      if (interrupted) return EXIT.INTERRUPTED;
      return exit.exitCode === 0 ? EXIT.OK : EXIT.RUN_FAILED;
    } finally {
      signals.off('SIGINT', onSignal);
      signals.off('SIGTERM', onSignal);
      await locust.terminate();
    }
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

/** Without --run: the newest run that is starting and expects remote workers, waited for up to `timeoutMs`. */
async function waitForRemoteRun(client: ApiClient, timeoutMs: number): Promise<RunView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { items } = await client.listRuns({ status: 'Pending,Starting', limit: 50 });
    const found = items.find((run) => (run.expectRemoteWorkers ?? 0) > 0);
    if (found) return found;
    if (Date.now() >= deadline) {
      throw new LoadctlError('LOADCTL_RUN_NOT_FOUND', `No run waiting for remote workers appeared within ${timeoutMs / 1000}s; start one with \`loadctl run --server URL --expect-remote-workers N --master-bind HOST:PORT\`, or name it with --run ID.`);
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

/** The run's own script revision: the locustfile with the plugin import loadctl injected, and a bundle's archive. */
export async function fetchRunRevision(client: Pick<ApiClient, 'listRevisions' | 'getRevision'>, run: Pick<RunView, 'id' | 'loadTestId' | 'scriptRevisionId'>): Promise<RevisionFiles> {
  const { items } = await client.listRevisions(run.loadTestId);
  const summary = items.find((revision) => revision.id === run.scriptRevisionId);
  if (!summary) throw new LoadctlError('LOADCTL_REVISION_NOT_FOUND', `Load test ${run.loadTestId} has no script revision ${run.scriptRevisionId} (run ${run.id}).`);
  const revision = await client.getRevision(run.loadTestId, summary.revision);
  if (revision.locustfile !== undefined && revision.bundle === undefined) {
    // A bundle's locustfile alone would fail at its first import of a helper: say why instead.
    throw new LoadctlError('LOADCTL_BUNDLE_INVALID', `Script revision ${revision.id} is a bundle but the control plane sent no archive (an older \`loadctl serve\`?); update it to the version of this loadctl.`);
  }
  return {
    id: revision.id,
    injectedScript: Buffer.from(revision.injectedScriptContent, 'base64').toString('utf8'),
    ...(revision.bundle === undefined ? {} : { bundle: revision.bundle }),
    ...(revision.locustfile === undefined ? {} : { locustfile: revision.locustfile }),
  };
}
