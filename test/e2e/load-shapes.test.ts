// Issue 12, load shapes end to end: real `loadctl run` processes, real Locust, a target that
// counts what it saw, the embedded store. A shape that ends by itself is a Finished run (exit 0),
// stages ramp the users without touching the script, a bad stage exits 3 before any load.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonReport } from '../../src/cli/reports/json-report.js';
import type { Run } from '../../src/domain/types.js';
import { REPO_ROOT, runCli, type CliResult } from '../support/cli.js';
import { startCountingTarget, type CountingTarget } from '../support/counting-target.js';
import { locustBinForTests } from '../support/locust-runtime.js';

const FIXTURES = join(REPO_ROOT, 'test/e2e/fixtures');
const SHAPE_SCRIPT = join(FIXTURES, 'shapes/up-down-shape.py');
const PLAIN_SCRIPT = join(FIXTURES, 'steady-counter.py');
const output = (result: CliResult): string => `exit ${result.exitCode}\n${result.stdout}\n${result.stderr}`;

/** Each push's users lie between the users planned at that push and at the one before: they follow the plan within one push. */
function expectUsersFollowThePlan(report: JsonReport): void {
  const points = report.timeline;
  expect(points.length).toBeGreaterThanOrEqual(3);
  points.forEach((point, index) => {
    expect(point.plannedUsers, `push ${index} has no planned users`).not.toBeNull();
    const before = index === 0 ? 0 : points[index - 1]!.plannedUsers!;
    const low = Math.min(before, point.plannedUsers!);
    const high = Math.max(before, point.plannedUsers!);
    expect(point.users, `push ${index} at ${point.elapsedSeconds}s: ${point.users} users, planned ${before} then ${point.plannedUsers}`).toBeGreaterThanOrEqual(low);
    expect(point.users).toBeLessThanOrEqual(high);
  });
}

describe('load shapes end to end', () => {
  let target: CountingTarget;
  let boundedTarget: CountingTarget;
  let workDir: string;
  let dataDir: string;
  // The short run bounded by --duration goes on beside the first test's run: the file stays fast.
  let bounded: Promise<CliResult>;

  const run = (script: string, args: string[], host = target.url, store = dataDir) =>
    runCli(['run', '--script', script, '--host', host, '--metrics-interval', '1', '--data-dir', store, '--locust-bin', locustBinForTests(), ...args]);

  const runIdOf = (result: CliResult): string => {
    const match = /^Run (\S+) of /m.exec(result.stderr);
    expect(match, output(result)).not.toBeNull();
    return match![1]!;
  };

  const storedRun = async (id: string, store = dataDir): Promise<Run> => {
    const shown = await runCli(['runs', 'show', id, '--json', '--data-dir', store]);
    expect(shown.exitCode, shown.stderr).toBe(0);
    return JSON.parse(shown.stdout) as Run;
  };

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'loadctl-shapes-'));
    dataDir = join(workDir, 'data');
    target = await startCountingTarget();
    boundedTarget = await startCountingTarget();
    bounded = run(SHAPE_SCRIPT, ['--duration', '2'], boundedTarget.url, join(workDir, 'bounded-data'));
  });

  afterAll(async () => {
    await target?.close();
    await boundedTarget?.close();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it("a script's shape that ends by itself: Finished (exit 0), the shape recorded, users per push following it", async () => {
    const report = join(workDir, 'script-shape.json');
    const seenBefore = target.requests.length;
    const result = await run(SHAPE_SCRIPT, ['--duration', '30', '--users', '1', '--json', report]);
    expect(result.exitCode, output(result)).toBe(0);
    expect(result.stderr).toContain("the script's UpDownShape decides the users");
    expect(result.stderr).toContain('--users is ignored');
    // the live lines show the shape's target, not "6/1"
    expect(result.stdout).toMatch(/users 6 \(shape target 6\)/);
    expect(result.stdout).not.toMatch(/users \d+\/1\b/);
    const stored = await storedRun(runIdOf(result));
    expect(stored.status).toBe('Finished');
    expect(stored.autoStopped).toBe(true);
    expect(stored.statusHistory.at(-1)!.reason).toMatch(/^the load shape ended/);
    expect(stored.shape).toEqual({ kind: 'script', name: 'UpDownShape' });
    // it ended with the shape (6 s), well before the 30 s bound
    const seconds = (Date.parse(stored.finishedAt!) - Date.parse(stored.startedAt!)) / 1000;
    expect(seconds).toBeLessThan(12);
    const json = JSON.parse(readFileSync(report, 'utf8')) as JsonReport;
    expect(json.summary.endedBy).toBe('shape');
    expect(json.run.shape).toEqual({ kind: 'script', name: 'UpDownShape' });
    expect(json.timeline.map((point) => point.plannedUsers)).toEqual(expect.arrayContaining([2, 6, 3]));
    expectUsersFollowThePlan(json);
    expect(Math.max(...json.timeline.map((point) => point.users))).toBe(6);
    // what the target saw is what was stored (a request in flight at the stop may be missing)
    const seen = target.requests.length - seenBefore;
    expect(json.summary.requests).toBeLessThanOrEqual(seen);
    expect(json.summary.requests).toBeGreaterThanOrEqual(seen - 6);
  }, 60_000);

  it('a shape bounded by a shorter --duration: Finished at the duration (exit 0)', async () => {
    const result = await bounded;
    expect(result.exitCode, output(result)).toBe(0);
    expect(result.stderr).toContain('--duration 2s is an upper bound');
    const stored = await storedRun(runIdOf(result), join(workDir, 'bounded-data'));
    expect(stored.status).toBe('Finished');
    expect(stored.statusHistory.at(-1)!.reason).toMatch(/^duration of 2s elapsed/);
    const seconds = (Date.parse(stored.finishedAt!) - Date.parse(stored.startedAt!)) / 1000;
    expect(seconds).toBeLessThan(4);
    expect(stored.shape?.kind).toBe('script');
  }, 60_000);

  it('--stage ramps the users of a plain script, and the stored users follow the stages', async () => {
    const report = join(workDir, 'stages.json');
    const result = await run(PLAIN_SCRIPT, ['--stage', '2s:4', '--stage', '2s:4', '--stage', '2s:0', '--json', report]);
    expect(result.exitCode, output(result)).toBe(0);
    expect(result.stderr).toContain('Load shape: stages 2s:4, 2s:4, 2s:0 (6s planned, the sum of the stages)');
    expect(result.stdout).toMatch(/users \d+ \(shape target \d+, stage [123]\/3\)/);
    const stored = await storedRun(runIdOf(result));
    expect(stored.status).toBe('Finished');
    expect(stored.statusHistory.at(-1)!.reason).toMatch(/^the load shape ended/);
    expect(stored.shape).toEqual({ kind: 'stages', name: 'stages', stages: [{ durationSeconds: 2, users: 4 }, { durationSeconds: 2, users: 4 }, { durationSeconds: 2, users: 0 }], plannedSeconds: 6 });
    const json = JSON.parse(readFileSync(report, 'utf8')) as JsonReport;
    expect(json.summary.plannedDurationSeconds).toBe(6);
    const planned = json.timeline.map((point) => point.plannedUsers!);
    // a ramp: some push planned fewer than the peak on the way up, the peak held, then down
    expect(Math.max(...planned)).toBe(4);
    expect(planned.slice(0, 2).some((users) => users < 4)).toBe(true);
    expectUsersFollowThePlan(json);
  }, 60_000);

  it('a bad stage exits 3 naming it, before any load; stages beside a script shape too', async () => {
    const seenBefore = target.requests.length;
    const bad = await run(PLAIN_SCRIPT, ['--stage', '30s:10', '--stage', '1x:5']);
    expect(bad.exitCode, output(bad)).toBe(3);
    expect(bad.stderr).toContain('--stage "1x:5"');
    const config = join(workDir, 'loadctl.yaml');
    writeFileSync(config, 'stages:\n  - 30s:10\n  - {duration: 1m, users: -2}\n');
    const badFile = await run(PLAIN_SCRIPT, ['--config', config]);
    expect(badFile.exitCode, output(badFile)).toBe(3);
    expect(badFile.stderr).toContain('stages[1]');
    const both = await run(SHAPE_SCRIPT, ['--stage', '10s:2']);
    expect(both.exitCode, output(both)).toBe(3);
    expect(both.stderr).toContain('class UpDownShape');
    expect(target.requests.length).toBe(seenBefore);
  }, 60_000);
});
