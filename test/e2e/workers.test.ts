// `loadctl run --workers 2`: a Locust master (only it reports) and two local worker processes,
// against a counting target whose paths carry the pid of the Locust process that sent them.
// One run ends normally; in the other a worker is killed mid-run and the run goes on; a third
// combines the workers with a bundle, --requirements and --stage.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli, startCli } from '../support/cli.js';
import { startCountingTarget, type CountingTarget } from '../support/counting-target.js';
import { locustBinForTests } from '../support/locust-runtime.js';
import { waitFor } from '../support/serve.js';
import type { JsonReport } from '../../src/cli/reports/json-report.js';
import type { MetricsSnapshot, Run } from '../../src/domain/types.js';

const SCRIPT = join(REPO_ROOT, 'test/e2e/fixtures/worker-counter.py');
const USERS = 4;

/** Requests the target saw, by the pid in their path (/hit/PID). */
function servedByPid(target: CountingTarget, from = 0): Map<string, number> {
  const counts = new Map<string, number>();
  for (const request of target.requests.slice(from)) {
    const pid = /^\/hit\/(\d+)/.exec(request.path)?.[1];
    if (pid) counts.set(pid, (counts.get(pid) ?? 0) + 1);
  }
  return counts;
}

// A project of several files: the helper imports a PyPI package (--requirements) and reads a
// data file by a relative path; the request path says both worked, on the worker that sent it.
const BUNDLE_LOCUSTFILE = `import os

from locust import HttpUser, constant, task
from helpers.naming import suffix


class Bundled(HttpUser):
    wait_time = constant(0.05)

    @task
    def ping(self):
        self.client.get(f"/hit/{os.getpid()}/{suffix()}", name="/hit")
`;
const BUNDLE_HELPER = `import inflection


def suffix():
    # Relative to the working directory: the bundle's folder on the worker too.
    with open("data/name.txt") as handle:
        return inflection.underscore(handle.read().strip())
`;

const seconds = (from: string, to: string): number => (Date.parse(to) - Date.parse(from)) / 1000;

describe('loadctl run --workers 2', () => {
  let target: CountingTarget;
  let workDir: string;

  const runArgs = (dataDir: string, duration: number, extra: string[] = []) => [
    'run', '--script', SCRIPT, '--host', target.url, '--users', String(USERS), '--duration', String(duration), '--workers', '2',
    '--metrics-interval', '1', '--data-dir', dataDir, '--locust-bin', locustBinForTests(), ...extra,
  ];
  const storedRun = async (dataDir: string, runId: string): Promise<Run> => {
    const shown = await runCli(['runs', 'show', runId, '--json', '--data-dir', dataDir]);
    expect(shown.exitCode, shown.stderr).toBe(0);
    const parsed = JSON.parse(shown.stdout) as { run?: Run } & Run;
    return parsed.run ?? parsed;
  };

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'loadctl-workers-'));
    target = await startCountingTarget();
  });

  afterAll(async () => {
    await target?.close();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('splits the users across the workers, stores exact totals and the load’s duration', async () => {
    const dataDir = join(workDir, 'two');
    const report = join(workDir, 'two.json');
    const before = target.requests.length;
    const result = await runCli(runArgs(dataDir, 5, ['--json', report, '--quiet']), { timeoutMs: 90_000 });
    expect(result.exitCode, result.stderr).toBe(0);

    const served = servedByPid(target, before);
    const json = JSON.parse(readFileSync(report, 'utf8')) as { run: Run & { id: string } };
    const run = await storedRun(dataDir, json.run.id);
    const final = run.finalMetrics as MetricsSnapshot;
    // Only the master reports, with every worker's requests: the target's count, less the
    // requests in flight when the users were stopped (at most one per user).
    const total = [...served.values()].reduce((sum, count) => sum + count, 0);
    expect(total - final.totalRequests).toBeGreaterThanOrEqual(0);
    expect(total - final.totalRequests).toBeLessThanOrEqual(USERS);
    expect(final.requestStats['GET /hit']?.numRequests).toBe(final.totalRequests);
    // Two Locust processes sent load (the workers), never the master.
    expect(served.size).toBe(2);
    expect(run.workers).toBe(2);
    expect(run.workerNodes).toHaveLength(2);
    expect(run.workerNodes!.map((worker) => worker.users).sort()).toEqual([2, 2]);
    expect(run.workerNodes!.every((worker) => worker.host !== '' && worker.id.startsWith(worker.host))).toBe(true);
    expect(run.events ?? []).toEqual([]);
    // The stored duration is the load's, not the master's stop (which waits for worker reports).
    expect(Math.abs(seconds(run.startedAt!, run.finishedAt!) - 5)).toBeLessThanOrEqual(0.5);
    expect(json.run.workerNodes).toHaveLength(2);
  }, 120_000);

  it('runs a bundle with --requirements and --stage on two workers: Finished, exact totals, users following the stages', async () => {
    const project = join(workDir, 'bundle-project');
    mkdirSync(join(project, 'helpers'), { recursive: true });
    mkdirSync(join(project, 'data'));
    writeFileSync(join(project, 'locustfile.py'), BUNDLE_LOCUSTFILE);
    writeFileSync(join(project, 'helpers/__init__.py'), '');
    writeFileSync(join(project, 'helpers/naming.py'), BUNDLE_HELPER);
    writeFileSync(join(project, 'data/name.txt'), 'BundledProject\n');
    writeFileSync(join(workDir, 'bundle-requirements.txt'), 'inflection==0.5.1\n');
    const dataDir = join(workDir, 'bundle');
    const report = join(workDir, 'bundle.json');
    const before = target.requests.length;
    const result = await runCli(
      [
        'run', '--script', 'locustfile.py', '--host', target.url, '--workers', '2', '--requirements', join(workDir, 'bundle-requirements.txt'),
        '--stage', '2s:4', '--stage', '3s:4', '--stage', '1s:0', '--metrics-interval', '1', '--data-dir', dataDir, '--locust-bin', locustBinForTests(), '--json', report, '--quiet',
      ],
      { cwd: project, timeoutMs: 150_000 },
    );
    expect(result.exitCode, `${result.stderr}\n${result.stdout}`).toBe(0);

    const json = JSON.parse(readFileSync(report, 'utf8')) as JsonReport & { run: Run };
    const run = await storedRun(dataDir, json.run.id);
    expect(run.status).toBe('Finished');
    expect(run.statusHistory.at(-1)!.reason).toMatch(/^the load shape ended/);
    expect(run.requirements?.text).toBe('inflection==0.5.1\n');
    expect(run.shape?.kind).toBe('stages');
    // Every request came from a worker that imported the helper, the package and read the data file.
    const paths = target.requests.slice(before).map((request) => request.path);
    expect(paths.length).toBeGreaterThan(0);
    expect(paths.every((path) => /^\/hit\/\d+\/bundled_project$/.test(path)), paths.slice(0, 3).join(', ')).toBe(true);
    const served = servedByPid(target, before);
    expect(served.size).toBe(2);
    const final = run.finalMetrics as MetricsSnapshot;
    expect(paths.length - final.totalRequests).toBeGreaterThanOrEqual(0);
    expect(paths.length - final.totalRequests).toBeLessThanOrEqual(4);
    // The shape runs on the master, which spreads the stage's users over the workers.
    // Users never run ahead of the plan (the workers' counts reach the master with their
    // heartbeats, so they may trail it by a push): a ramp up to the peak of 4.
    const points = json.timeline;
    expect(Math.max(...points.map((point) => point.plannedUsers ?? 0))).toBe(4);
    expect(Math.max(...points.map((point) => point.users))).toBe(4);
    expect(points[0]!.users).toBeLessThan(4);
    points.forEach((point, index) => {
      const ceiling = Math.max(index === 0 ? 0 : points[index - 1]!.plannedUsers!, point.plannedUsers!);
      expect(point.users, `push ${index} at ${point.elapsedSeconds}s`).toBeLessThanOrEqual(ceiling);
    });
  }, 180_000);

  it('goes on when a worker is killed mid-run, stores the loss as an event, totals exact for what the others sent', async () => {
    const dataDir = join(workDir, 'killed');
    const report = join(workDir, 'killed.json');
    const before = target.requests.length;
    const child = startCli(runArgs(dataDir, 10, ['--json', report]), { timeoutMs: 90_000 });
    // Both workers are sending: kill one (its pid is in its paths) without a chance to say goodbye.
    const pids = await waitFor(async () => servedByPid(target, before), (counts) => counts.size === 2 && [...counts.values()].every((count) => count > 20), {
      timeoutMs: 60_000,
      what: 'both workers to send load',
    });
    const [victim, survivor] = [...pids.keys()];
    process.kill(Number(victim), 'SIGKILL');
    const result = await child;
    expect(result.exitCode, String(result.stderr)).toBe(0);

    const json = JSON.parse(readFileSync(report, 'utf8')) as { run: Run };
    const run = await storedRun(dataDir, json.run.id);
    expect(run.status).toBe('Finished');
    const lost = run.workerNodes!.filter((worker) => worker.state === 'lost');
    expect(lost).toHaveLength(1);
    expect(run.events).toEqual([expect.objectContaining({ type: 'worker-lost', workerId: lost[0]!.id })]);
    expect(run.events![0]!.message).toContain('lost mid-run');
    // Said live (a plain line while it ran) and by `runs show`.
    expect(String(result.stderr)).toContain(run.events![0]!.message);
    const shown = await runCli(['runs', 'show', run.id, '--data-dir', dataDir]);
    expect(shown.stdout).toMatch(/Workers\s+2 local/);
    expect(shown.stdout).toContain(run.events![0]!.message);

    const served = servedByPid(target, before);
    const final = run.finalMetrics as MetricsSnapshot;
    // The survivor's requests are all there (less its users in flight at the stop); of the
    // killed worker's, what it reported before it died: never more than it sent.
    const fromSurvivor = served.get(survivor!) ?? 0;
    const fromVictim = served.get(victim!) ?? 0;
    expect(final.totalRequests).toBeGreaterThanOrEqual(fromSurvivor - USERS / 2);
    expect(final.totalRequests - fromSurvivor).toBeLessThanOrEqual(fromVictim);
    expect(final.requestStats['GET /hit']?.numRequests).toBe(final.totalRequests);
    // The run went on: the survivor kept sending until the end.
    const lastFromSurvivor = Math.max(...target.requests.filter((request) => request.path === `/hit/${survivor}`).map((request) => request.at));
    expect(Math.abs(lastFromSurvivor - Date.parse(run.finishedAt!))).toBeLessThan(3_000);
  }, 120_000);
});
