import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../src/controlplane/client.js';
import { startDemoTarget, type DemoTarget } from '../../src/demo-target/index.js';
import { REPO_ROOT, runCli, startCli, type CliResult } from '../support/cli.js';
import { locustBinForTests } from '../support/locust-runtime.js';
import { startServe, waitFor, type ServeProcess } from '../support/serve.js';

// `loadctl runs watch|stop|show` in processes of their own, following runs that another
// process (`loadctl run --server`) started on a real `loadctl serve` with a real Locust.
const SCRIPT = join(REPO_ROOT, 'locust/examples/products.py');
const METRICS_LINE = /^\[\d\d:\d\d\/\d\d:\d\d\] users \d+\/2 \| reqs [1-9]/m;

const output = (result: CliResult): string => `exit ${result.exitCode}\n${result.stdout}\n${result.stderr}`;

describe('loadctl runs watch / stop / show', () => {
  let workDir: string;
  let target: DemoTarget;
  let serve: ServeProcess;
  let client: ApiClient;

  /** `loadctl run --server …` in the background; resolves with its run id as soon as it prints it. */
  const startRun = async (duration: number) => {
    const child = startCli(['run', '--server', serve.url, '--script', SCRIPT, '--host', target.url, '--users', '2', '--duration', String(duration), '--name', `watched-${duration}`]);
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const runId = (await waitFor(async () => /Run (run_\w+) of/.exec(stderr)?.[1], Boolean, { timeoutMs: 30_000, what: `loadctl run to start a run; stderr so far:\n${stderr}` }))!;
    return { child, runId };
  };

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'loadctl-cli-runs-'));
    target = await startDemoTarget({ port: 0 });
    const config = join(workDir, 'loadctl.yaml');
    writeFileSync(config, 'metricsInterval: 1\n');
    serve = await startServe(['--port', '0', '--config', config, '--data-dir', join(workDir, 'data'), '--locust-bin', locustBinForTests()]);
    client = new ApiClient({ baseUrl: serve.url });
  });

  afterAll(async () => {
    await serve?.stop();
    await target?.close();
    rmSync(workDir, { recursive: true, force: true });
  });

  it('watch follows a run started elsewhere with plain lines and exits 0 when it Finishes', async () => {
    const { child, runId } = await startRun(3);
    const watched = await runCli(['runs', 'watch', runId, '--server', serve.url]);
    expect(watched.exitCode, output(watched)).toBe(0);
    expect(watched.stdout).toMatch(METRICS_LINE);
    expect(watched.stdout).toContain(`${runId} Finished`);
    expect(watched.stdout).toContain('Finished (stopped automatically when the duration elapsed)');
    expect(watched.stdout).toMatch(/│ Total +│ +[1-9]/);
    expect((await child).exitCode).toBe(0);
  });

  it('Ctrl+C on watch stops watching only (exit 130); stop ends the run within the deadline; show prints it', async () => {
    const { child: runner, runId } = await startRun(120);

    const watcher = startCli(['runs', 'watch', runId, '--server', serve.url]);
    let watchOut = '';
    watcher.stdout?.on('data', (chunk: Buffer) => (watchOut += chunk.toString()));
    await waitFor(async () => watchOut, (text) => METRICS_LINE.test(text), { timeoutMs: 60_000, what: `a metrics line from runs watch; so far:\n${watchOut}` });
    watcher.kill('SIGINT');
    const watched = await watcher;
    expect(watched.exitCode, String(watched.stderr)).toBe(130);
    expect(String(watched.stderr)).toContain('Stopped watching');
    expect((await client.getRun(runId)).status).toBe('Running');

    const started = Date.now();
    const stopped = await runCli(['runs', 'stop', runId, '--server', serve.url]);
    expect(stopped.exitCode, output(stopped)).toBe(0);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(stopped.stdout).toMatch(new RegExp(`^Run ${runId}: Stopped`));
    expect((await client.getRun(runId)).status).toBe('Stopped');
    // `loadctl run` watching the same run exits like a stopped run does.
    expect((await runner).exitCode).toBe(2);

    const shown = await runCli(['runs', 'show', runId, '--server', serve.url]);
    expect(shown.exitCode, output(shown)).toBe(0);
    expect(shown.stdout).toContain(`watched-120 · run ${runId}  Stopped (stopped on request before the duration elapsed)`);
    expect(shown.stdout).toMatch(/│ Total +│ +[1-9]/);
    expect(shown.stdout).toMatch(/Status history\n(.*\n)*.*Running .*\n(.*\n)*.*Stopped /);
    const json = await runCli(['runs', 'show', runId, '--json', '--server', serve.url]);
    expect(JSON.parse(json.stdout)).toMatchObject({ id: runId, status: 'Stopped', autoStopped: false });

    const again = await runCli(['runs', 'stop', runId, '--server', serve.url]);
    expect(again.exitCode, output(again)).toBe(0);
    expect(again.stderr).toContain('had already ended');
  });

  it('an unknown run id is exit 3 with the server’s message', async () => {
    for (const command of ['show', 'watch', 'stop']) {
      const missing = await runCli(['runs', command, 'run_nope', '--server', serve.url]);
      expect(missing.exitCode, `${command}: ${output(missing)}`).toBe(3);
      // execa drops the final newline.
      expect(missing.stderr).toBe('loadctl: No run has id run_nope. List them with `loadctl runs list`.');
    }
  });

  it('runs list takes --offset', async () => {
    const first = JSON.parse((await runCli(['runs', 'list', '--json', '--limit', '1', '--server', serve.url])).stdout);
    const second = JSON.parse((await runCli(['runs', 'list', '--json', '--limit', '1', '--offset', '1', '--server', serve.url])).stdout);
    expect(first.total).toBe(2);
    expect(second.items).toHaveLength(1);
    expect(second.items[0].id).not.toBe(first.items[0].id);
  });
});
