import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { Command, CommanderError, Option } from 'commander';
import type { LoadctlConfig } from '../config/config.js';
import { loadConfig, type ConfigFlags } from '../config/load-config.js';
import { parseDurationSeconds } from '../domain/duration.js';
import { LoadctlError, isLoadctlError } from '../domain/errors.js';
import { EXIT, EXIT_CODES_HELP, exitCodeOf } from './exit-codes.js';
import type { CliIo } from './io.js';
import type { CommandDeps } from './commands/_with-client.js';
import type { BaselineOption } from './commands/_baseline.js';
import type { ReportPaths } from './reports/index.js';

const DEFAULT_MAX_REGRESSION = '10%';

const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

function readFileOrNull(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new LoadctlError('LOADCTL_CONFIG_INVALID', `Cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
}

// Commands are imported when they run: `--help` or `init` should not load Fastify or a database driver.
const commands = {
  run: () => import('./commands/run.js'),
  demo: () => import('./commands/demo.js'),
  runsList: () => import('./commands/runs-list.js'),
  runsShow: () => import('./commands/runs-show.js'),
  runsWatch: () => import('./commands/runs-watch.js'),
  runsStop: () => import('./commands/runs-stop.js'),
  runsCompare: () => import('./commands/runs-compare.js'),
  report: () => import('./commands/report.js'),
  tests: () => import('./commands/tests.js'),
  withClient: () => import('./commands/_with-client.js'),
  serve: () => import('./commands/serve.js'),
  worker: () => import('./commands/worker.js'),
  setup: () => import('./commands/setup.js'),
  doctor: () => import('./commands/doctor.js'),
  init: () => import('./commands/init.js'),
};

/** Builds the program; each action stores its exit code in `result.code`. */
export function buildProgram(io: CliIo, result: { code: number }): Command {
  const configOf = (flags: ConfigFlags): LoadctlConfig => loadConfig({ flags, env: io.env, cwd: io.cwd, homeDir: io.homeDir, readFile: readFileOrNull });
  const program = new Command('loadctl')
    .description('Run Locust load tests end to end: live table, stored runs, CI exit codes.')
    .version(VERSION)
    .addHelpText('after', EXIT_CODES_HELP)
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) })
    .exitOverride();

  const common = (command: Command): Command =>
    command
      .option('--config <file>', 'YAML config file (default: ./loadctl.yaml when present)')
      .option('--data-dir <dir>', 'where the embedded store and the Locust venv live (env LOADCTL_DATA_DIR)')
      .option('--mongo-uri <uri>', 'store in MongoDB instead of the embedded store (env LOADCTL_MONGODB_URI)')
      .option('--mongo-database <name>', 'MongoDB database name (default load_testing)');

  // Commands that only talk to the API: a running `loadctl serve`, else an in-process control plane over the local store.
  const api = (command: Command): Command =>
    common(command)
      .option('--server <url>', 'use a running `loadctl serve` (env LOADCTL_SERVER); default: the local store')
      .option('--token <token>', 'API token for --server (env LOADCTL_TOKEN)')
      .option('--json', "print the API's JSON");
  // Read-only commands (access 'read') never write and never settle another process's runs.
  // What goes with --script (`bundle:` of the YAML, --bundle DIR, --no-bundle), as for `run`.
  const bundleOf = (flags: { config?: string; bundle?: string | false }) => configOf({ config: flags.config, bundle: flags.bundle }).run.bundle;
  const withClient = async (flags: ConfigFlags, action: (deps: CommandDeps) => Promise<number>, access: 'read' | 'write' = 'write'): Promise<number> => {
    const { config, dataDir, mongoUri, mongoDatabase, server, token } = flags;
    return (await commands.withClient()).withClient(configOf({ config, dataDir, mongoUri, mongoDatabase, server, token }), io, action, access);
  };

  // What `run` and `demo` judge the run by and write afterwards.
  const outputs = (command: Command): Command =>
    command
      .option('--threshold <rule>', 'pass/fail rule, repeatable: p95<500ms, error_rate<1%, rps>=50, exceptions==0, "GET /api/products: p95<300ms" (adds to thresholds: in the YAML)', collect)
      .option('--no-default-thresholds', 'judge the run by its own thresholds only (default: also requests>=1, error_rate<1%, exceptions==0; with thresholds of its own: error_rate<100%)')
      .option('--json <file>', 'write the JSON report (schema: src/cli/reports/json-report.schema.json)')
      .option('--junit <file>', 'write a JUnit XML report: one test case per threshold')
      .option('--html <file>', 'write a self-contained HTML report with charts')
      .option('--baseline <run>', 'a run id or "last-passed": a regression against it fails like a threshold')
      .option('--max-regression <percent>', 'how much worse than --baseline rps, p50, p95, p99 and error rate may get (default 10%)')
      .option('--quiet', 'no live output, only the summary')
      .addHelpText('after', EXIT_CODES_HELP);

  common(
    outputs(
      program
        .command('run')
        .description('run a load test, show it live, print the summary and thresholds; exits 0 when Finished and every threshold passed')
      .option('--script <file>', 'the Locust script; the files beside it (its folder, minus .gitignore/.loadctlignore) go with it')
      .option('--bundle <dir>', 'upload this folder with the script (default: the script’s folder)')
      .option('--no-bundle', 'upload the script alone')
      .option('--host <url>', 'the system under test, e.g. http://127.0.0.1:8000')
      .option('--duration <time>', 'how long the load lasts: 30, 30s, 5m, 1h (default 30s); under a load shape an upper bound (default: the shape ends the run)')
      .option('--users <n>', 'simulated users (default 5); a load shape decides them instead')
      .option('--spawn-rate <n>', 'users started per second (default: all at once); a load shape decides it instead')
      .option('--stage <duration:users>', 'a k6-like stage, repeatable: --stage 30s:10 --stage 1m:10 --stage 20s:0 ramps to 10 users over 30 s, holds 1 min, ramps down (adds a load shape; the script stays as it is)', collect)
      .option('--name <name>', 'test name runs are grouped under (default: script file name)')
      .option('--metrics-interval <seconds>', 'seconds between metrics pushes (default 2)')
      .option('--requirements <file>', 'a requirements file of Python packages the script imports besides Locust; installed once per content, beside Locust (replaces requirements: in the YAML)')
      .option('--locust-bin <path>', 'use this Locust instead of the managed one (env LOADCTL_LOCUST)')
      .option('--workers <n>', "Locust's distributed mode: a master and N local worker processes; auto = one per core (default: one process)")
      .option('--expect-remote-workers <n>', 'also wait for N workers from other machines (`loadctl worker --master`) before the load starts')
      .option('--master-bind <host:port>', 'where the master listens for workers (default: a free loopback port; 0.0.0.0 with remote workers)')
      .option('--server <url>', 'use a running `loadctl serve` (env LOADCTL_SERVER)')
      .option('--token <token>', 'API token for --server (env LOADCTL_TOKEN)')
      .option('--ui', 'print the web console’s live page of the run (served by this process while it runs, or by --server)')
      .argument('[locustArgs...]', 'after --, extra arguments passed to Locust'),
    ),
  ).action(async (locustArgs: string[], options) => {
    const config = configOf({ ...options, targetHost: options.host, host: undefined, thresholds: options.threshold, stages: options.stage });
    result.code = await (await commands.run()).runLoadTest({ config, io, ui: Boolean(options.ui), ...(locustArgs.length ? { locustArgs } : {}), ...runOutputsOf(options) });
  });

  common(
    outputs(
      program
        .command('demo')
        .description('start the built-in demo Products API and run locust/examples/products.py against it')
        .option('--duration <time>', 'how long the load lasts (default 30s)')
        .option('--users <n>', 'simulated users (default 5)')
        .option('--spawn-rate <n>', 'users started per second')
        .option('--error-rate <ratio>', 'share of demo requests that fail, 0..1 (default 0: the demo passes its default thresholds)', '0')
        .option('--metrics-interval <seconds>', 'seconds between metrics pushes (default 2)')
        .option('--locust-bin <path>', 'use this Locust instead of the managed one')
        .argument('[locustArgs...]', 'after --, extra arguments passed to Locust'),
    ),
  ).action(async (locustArgs: string[], options) => {
    const config = configOf({ ...options, thresholds: options.threshold });
    result.code = await (await commands.demo()).demo({ config, io, errorRate: parseRatio(options.errorRate), ...(locustArgs.length ? { locustArgs } : {}), ...runOutputsOf(options) });
  });

  common(
    program
      .command('report')
      .description('write the reports of `loadctl run` (--json, --junit, --html) for a stored run')
      .argument('<id>', 'run id')
      .option('--json <file>', 'write the JSON report')
      .option('--junit <file>', 'write a JUnit XML report: one test case per threshold')
      .option('--html <file>', 'write a self-contained HTML report with charts')
      .option('--server <url>', 'use a running `loadctl serve` (env LOADCTL_SERVER); default: the local store')
      .option('--token <token>', 'API token for --server (env LOADCTL_TOKEN)'),
  ).action(async (runId: string, options) => {
    const { reportRun, validateReportPaths } = await commands.report();
    const paths = reportPathsOf(options);
    validateReportPaths(paths);
    result.code = await withClient(options, (deps) => reportRun({ runId, paths }, deps), 'read');
  });

  const runs = program.command('runs').description('stored runs');
  withScopeOptions(
    common(
      runs
        .command('list')
        .description('list runs, newest first')
        .option('--json', 'print JSON')
        .option('--limit <n>', 'how many', '20')
        .option('--offset <n>', 'skip this many first', '0')
        .option('--status <list>', 'only these statuses, e.g. Finished,Failed')
        .addOption(new Option('--verdict <verdict>', 'only runs whose thresholds passed, failed, or none (not judged)').choices(['passed', 'failed', 'none']))
        .option('--since <time>', 'only runs created at or after: 30m, 2h, 7d (ago), 2026-11-29, 2026-11-29T10:00Z')
        .option('--until <time>', 'only runs created before (same forms)')
        .option('--test <id>', 'only runs of this load test')
        .option('--server <url>', 'ask a running `loadctl serve`')
        .option('--token <token>', 'API token for --server'),
    ),
    'runs',
  ).action(async (options) => {
    result.code = await (await commands.runsList()).listRuns({ config: configOf(options), io, json: Boolean(options.json), limit: parseCount(options.limit, '--limit'), offset: parseCount(options.offset, '--offset', 0), status: options.status, verdict: options.verdict, since: options.since, until: options.until, loadTestId: options.test, scope: scopeOf(options) });
  });

  api(runs.command('show').description('a run\'s summary and status history').argument('<id>', 'run id')).action(async (runId: string, options) => {
    const { showRun } = await commands.runsShow();
    result.code = await withClient(options, (deps) => showRun({ runId, json: Boolean(options.json) }, deps), 'read');
  });

  api(runs.command('watch').description('follow a run started elsewhere live; exits like `run` (0 Finished and thresholds passed, 1 a threshold failed, 2 Failed/Stopped); Ctrl+C stops watching, not the run (130)').argument('<id>', 'run id')).action(
    async (runId: string, options) => {
      const { watchRunCommand } = await commands.runsWatch();
      result.code = await withClient(options, (deps) => watchRunCommand({ runId, json: Boolean(options.json) }, deps), 'read');
    },
  );

  api(
    runs
      .command('stop')
      .description('stop a run and wait until it has ended')
      .argument('<id>', 'run id')
      .option('--timeout <time>', 'how long to wait for the run to end: 30, 30s, 5m', '30s')
      .option('--no-wait', 'return once the stop is requested'),
  ).action(async (runId: string, options) => {
    const { stopRunCommand } = await commands.runsStop();
    const timeoutSeconds = parseDuration(options.timeout, '--timeout');
    result.code = await withClient(options, (deps) => stopRunCommand({ runId, wait: Boolean(options.wait), timeoutSeconds, json: Boolean(options.json) }, deps));
  });

  api(
    runs
      .command('compare')
      .description('per endpoint, how rps, p50, p95, p99 and error rate moved from a baseline run to another; exit 0 (informational)')
      .argument('<baseline>', 'the baseline run id')
      .argument('<run>', 'the run id to compare with it')
      .option('--tolerance <percent>', 'changes within this are not marked as worse', '10%')
      .option('--fail-on-regression', 'exit 1 when anything is worse than the tolerance'),
  ).action(async (baselineRunId: string, currentRunId: string, options) => {
    const { compareRunsCommand } = await commands.runsCompare();
    const input = { baselineRunId, currentRunId, tolerancePercent: parsePercent(options.tolerance, '--tolerance'), json: Boolean(options.json), failOnRegression: Boolean(options.failOnRegression) };
    result.code = await withClient(options, (deps) => compareRunsCommand(input, deps), 'read');
  });

  const tests = program.command('tests').description('stored load tests and their script revisions');
  api(
    tests
      .command('create')
      .description('store a load test; prints its id')
      .requiredOption('--name <name>', 'test name')
      .requiredOption('--script <file>', 'the Locust script; the files beside it go with it, as for `run`')
      .option('--bundle <dir>', 'upload this folder with the script (default: the script’s folder)')
      .option('--no-bundle', 'upload the script alone')
      .requiredOption('--host <url>', 'the system under test, e.g. http://127.0.0.1:8000')
      .option('--users <n>', 'default simulated users')
      .option('--spawn-rate <n>', 'default users started per second')
      .option('--duration <time>', 'default duration: 30, 30s, 5m, 1h')
      .option('--description <text>', 'what the test is for')
      .option('--tag <tag>', 'a tag (repeat for more)', (tag: string, previous: string[]) => [...previous, tag], [] as string[]),
  ).action(async (options) => {
    const { createTest, parseCreateTestFlags } = await commands.tests();
    const input = { ...parseCreateTestFlags(options), bundle: bundleOf(options) };
    result.code = await withClient(options, (deps) => createTest(input, deps));
  });

  withScopeOptions(
    api(
      tests
        .command('list')
        .description('list load tests, newest first')
        .option('--name <text>', 'only tests whose name contains this (any case)')
        .option('--tag <tag>', 'only tests with this tag')
        .option('--limit <n>', 'how many', '50')
        .option('--offset <n>', 'skip this many first', '0'),
    ),
    'tests',
  ).action(async (options) => {
    const { listTests } = await commands.tests();
    const input = { name: options.name, tag: options.tag, scope: scopeOf(options), limit: parseCount(options.limit, '--limit'), offset: parseCount(options.offset, '--offset', 0), json: Boolean(options.json) };
    result.code = await withClient(options, (deps) => listTests(input, deps), 'read');
  });

  api(tests.command('show').description('a load test\'s settings and recent runs').argument('<id>', 'load test id')).action(async (id: string, options) => {
    const { showTest } = await commands.tests();
    result.code = await withClient(options, (deps) => showTest({ id, json: Boolean(options.json) }, deps), 'read');
  });

  api(
    tests
      .command('update-script')
      .description('upload a new script revision; prints its number')
      .argument('<id>', 'load test id')
      .requiredOption('--script <file>', 'the new Locust script; the files beside it go with it, as for `run`')
      .option('--bundle <dir>', 'upload this folder with the script (default: the script’s folder)')
      .option('--no-bundle', 'upload the script alone'),
  ).action(
    async (id: string, options) => {
      const { updateTestScript } = await commands.tests();
      const bundle = bundleOf(options);
      result.code = await withClient(options, (deps) => updateTestScript({ id, script: options.script, json: Boolean(options.json), bundle }, deps));
    },
  );

  api(tests.command('revisions').description('list a load test\'s script revisions').argument('<id>', 'load test id')).action(async (id: string, options) => {
    const { listTestRevisions } = await commands.tests();
    result.code = await withClient(options, (deps) => listTestRevisions({ id, json: Boolean(options.json) }, deps), 'read');
  });

  api(tests.command('delete').description('delete a load test with its revisions and runs (needs --yes)').argument('<id>', 'load test id').option('--yes', 'really delete it')).action(async (id: string, options) => {
    const { deleteTest } = await commands.tests();
    result.code = await withClient(options, (deps) => deleteTest({ id, yes: Boolean(options.yes), json: Boolean(options.json) }, deps));
  });

  common(
    program
      .command('serve')
      .description('run the control plane (HTTP API + store) in the foreground')
      .option('--host <address>', 'listen address (default 127.0.0.1)')
      .option('--port <port>', 'listen port (default 8080)')
      .option('--token <token>', 'require this API token (env LOADCTL_TOKEN)')
      .option('--no-default-thresholds', 'runs started through the API without "defaultThresholds" get no default thresholds')
      .option('--locust-bin <path>', 'use this Locust instead of the managed one'),
  ).action(async (options) => {
    result.code = await (await commands.serve()).serve({ config: configOf(options), io });
  });

  common(
    program
      .command('worker')
      .description("join a run's Locust master from this machine as a worker: the run's script comes from the control plane; exits when the master ends")
      .requiredOption('--master <host[:port]>', "the run's Locust master (port default 5557)")
      .option('--server <url>', 'the `loadctl serve` that holds the run (env LOADCTL_SERVER)')
      .option('--token <token>', 'API token for --server (env LOADCTL_TOKEN)')
      .option('--run <id>', 'the run to work for (default: the newest run waiting for remote workers)')
      .option('--wait <seconds>', 'without --run: how long to wait for such a run (default 120)')
      .option('--locust-bin <path>', 'use this Locust instead of the managed one (env LOADCTL_LOCUST)'),
  ).action(async (options) => {
    const { config, dataDir, mongoUri, mongoDatabase, server, token, locustBin } = options;
    result.code = await (await commands.worker()).runWorker({
      config: configOf({ config, dataDir, mongoUri, mongoDatabase, server, token, locustBin }),
      io,
      master: options.master,
      ...(options.run ? { runId: options.run } : {}),
      ...(options.wait === undefined ? {} : { waitSeconds: parseCount(options.wait, '--wait', 0) }),
    });
  });

  common(program.command('setup').description('create the Python environment with Locust (done by `run` the first time)').option('--force', 'recreate it')).action(async (options) => {
    result.code = await (await commands.setup()).setup({ config: configOf(options), io, force: Boolean(options.force) });
  });

  common(program.command('doctor').description('show what loadctl found and what is missing').option('--json', 'print JSON').option('--locust-bin <path>', 'check this Locust')).action(async (options) => {
    result.code = await (await commands.doctor()).doctor({ config: configOf(options), io, json: Boolean(options.json) });
  });

  program
    .command('init')
    .description('write a commented loadctl.yaml and a starter locustfile.py here')
    .option('--force', 'overwrite existing files')
    .action(async (options) => {
      result.code = (await commands.init()).init({ io, force: Boolean(options.force) });
    });

  program
    .command('demo-target')
    .description('run only the demo Products API in the foreground')
    .addOption(new Option('--port <port>', 'listen port (0 = any free one)').default('8000'))
    .option('--error-rate <ratio>', 'share of requests that fail, 0..1', '0')
    .action(async (options) => {
      result.code = await (await commands.demo()).demoTarget({ io, port: parseCount(options.port, '--port', 0), errorRate: parseRatio(options.errorRate) });
    });

  return program;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function reportPathsOf(options: { json?: string; junit?: string; html?: string }): ReportPaths {
  return { ...(options.json ? { json: options.json } : {}), ...(options.junit ? { junit: options.junit } : {}), ...(options.html ? { html: options.html } : {}) };
}

/** The report files, baseline and quietness of `run` and `demo`, from their flags. */
function runOutputsOf(options: { json?: string; junit?: string; html?: string; baseline?: string; maxRegression?: string; quiet?: boolean }): {
  reports: ReportPaths;
  baseline?: BaselineOption;
  quiet: boolean;
} {
  if (options.maxRegression !== undefined && options.baseline === undefined) {
    throw new LoadctlError('LOADCTL_CONFIG_INVALID', '--max-regression needs --baseline RUN_ID (or --baseline last-passed) to compare with.');
  }
  const baseline = options.baseline === undefined ? undefined : { run: options.baseline, maxRegressionPercent: parsePercent(options.maxRegression ?? DEFAULT_MAX_REGRESSION, '--max-regression') };
  return { reports: reportPathsOf(options), ...(baseline ? { baseline } : {}), quiet: Boolean(options.quiet) };
}

/** "10%" or "10" → 10. */
function parsePercent(value: string, flag: string): number {
  const match = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*%?\s*$/.exec(value);
  if (!match) throw new LoadctlError('LOADCTL_CONFIG_INVALID', `${flag}: expected a percentage such as 10% or 2.5%, got "${value}"`);
  return Number(match[1]);
}

// The replaced system's scope, one flag per field: `tests list --account-id my-account --env-id dev`.
const SCOPE_FLAGS = [
  ['accountId', '--account-id <id>'],
  ['orgId', '--org-id <id>'],
  ['projectId', '--project-id <id>'],
  ['envId', '--env-id <id>'],
  ['tenantId', '--tenant-id <id>'],
] as const;

function withScopeOptions(command: Command, what: 'tests' | 'runs'): Command {
  for (const [field, flag] of SCOPE_FLAGS) command.option(flag, `only ${what} whose ${field} is this`);
  return command;
}

function scopeOf(options: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(SCOPE_FLAGS.filter(([field]) => typeof options[field] === 'string').map(([field]) => [field, options[field] as string]));
}

function parseCount(value: string, flag: string, min = 1): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < min) throw new LoadctlError('LOADCTL_CONFIG_INVALID', `${flag}: expected a whole number of at least ${min}, got "${value}"`);
  return number;
}

function parseDuration(value: string, flag: string): number {
  const seconds = parseDurationSeconds(value);
  if (seconds === null || seconds <= 0) throw new LoadctlError('LOADCTL_CONFIG_INVALID', `${flag}: expected a duration such as 30, 30s or 5m, got "${value}"`);
  return seconds;
}

function parseRatio(value: string): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number < 0 || number > 1) throw new LoadctlError('LOADCTL_CONFIG_INVALID', `--error-rate: expected a number from 0 to 1, got "${value}"`);
  return number;
}

/** Runs the CLI and returns the exit code; the only place errors become exit codes. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const result = { code: EXIT.OK as number };
  const program = buildProgram(io, result);
  try {
    await program.parseAsync(argv as string[], { from: 'user' });
    return result.code;
  } catch (error) {
    return reportError(error, io);
  }
}

export function reportError(error: unknown, io: CliIo): number {
  if (error instanceof CommanderError) {
    // Commander already printed the message; --help and --version are not failures.
    return error.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
  }
  if (isLoadctlError(error)) {
    io.stderr.write(`loadctl: ${error.message}\n`);
    return exitCodeOf(error.exitCategory);
  }
  io.stderr.write(`loadctl: unexpected error (a bug; please report it with this text):\n${(error as Error)?.stack ?? String(error)}\n`);
  return EXIT.RUN_FAILED;
}

export function defaultIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd(), homeDir: homedir() };
}
