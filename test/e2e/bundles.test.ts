// A Locust project of several files, run as its user would: `loadctl run --script
// locustfile.py` in a folder with a helper package, a data file read by a relative path and
// a .gitignore'd folder. Real `loadctl` processes, real Locust, the counting target.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { startCountingTarget, type CountingTarget } from '../support/counting-target.js';
import { locustBinForTests } from '../support/locust-runtime.js';

const LOCUSTFILE = `from locust import HttpUser, constant, tag, task
from common.paths import user_path


class Reader(HttpUser):
    wait_time = constant(0.2)

    @tag("read")
    @task
    def read(self):
        self.client.get(user_path(), name="/users/[name]")

    @tag("write")
    @task
    def write(self):
        self.client.post("/write")
`;
const PATHS = `import csv


def user_path():
    # Relative to the working directory, as when the project is run by hand from its folder.
    with open("data/users.csv", newline="") as handle:
        name = next(csv.reader(handle))[0]
    return "/users/" + name
`;

describe('loadctl run of a project with several files', () => {
  let target: CountingTarget;
  let workDir: string;
  let project: string;
  let dataDir: string;
  const write = (path: string, text: string): void => {
    mkdirSync(dirname(join(project, path)), { recursive: true });
    writeFileSync(join(project, path), text);
  };
  // --data-dir before `--`: what follows it goes to Locust.
  const cli = (args: string[], cwd = project) => {
    const split = args.includes('--') ? args.indexOf('--') : args.length;
    return runCli([...args.slice(0, split), '--data-dir', dataDir, ...args.slice(split)], { cwd });
  };
  const runArgs = (extra: string[] = []) => ['run', '--script', 'locustfile.py', '--host', target.url, '--users', '2', '--duration', '2', '--metrics-interval', '1', '--locust-bin', locustBinForTests(), ...extra];
  const json = async (args: string[]) => {
    const result = await cli([...args, '--json']);
    expect(result.exitCode, result.stderr).toBe(0);
    return JSON.parse(result.stdout);
  };

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'loadctl-bundles-e2e-'));
    project = join(workDir, 'project');
    dataDir = join(workDir, 'data');
    target = await startCountingTarget();
    write('locustfile.py', LOCUSTFILE);
    write('common/__init__.py', '');
    write('common/paths.py', PATHS);
    write('data/users.csv', 'alice,1\nbob,2\n');
    write('.gitignore', 'results/\n');
    write('results/last-run.csv', 'kept out of the bundle\n');
  });
  afterAll(async () => {
    await target?.close();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('Finishes with the helper imported and the data file read; ignored files are not stored; the Locust arguments are kept', async () => {
    const report = join(workDir, 'run.json');
    const result = await cli([...runArgs(['--json', report]), '--', '--tags', 'read']);
    expect(result.exitCode, `${result.stderr}\n${result.stdout}`).toBe(0);
    expect(result.stderr).toContain(`Bundled 5 files`);

    // The helper read data/users.csv from the bundle's folder; --tags read left the write task out.
    const paths = new Set(target.requests.map((request) => `${request.method} ${request.path}`));
    expect([...paths]).toEqual(['GET /users/alice']);

    const [run] = (await json(['runs', 'list'])).items;
    expect(run).toMatchObject({ status: 'Finished', locustArgs: ['--tags', 'read'] });
    const shown = await cli(['runs', 'show', run.id]);
    expect(shown.stdout).toContain('Locust arguments: --tags read');
    expect(JSON.parse(readFileSync(report, 'utf8')).run.locustArgs).toEqual(['--tags', 'read']);

    const revisions = (await json(['tests', 'revisions', run.loadTestId])).items;
    expect(revisions).toHaveLength(1);
    expect(revisions[0].files.map((file: { path: string }) => file.path)).toEqual(['.gitignore', 'common/__init__.py', 'common/paths.py', 'data/users.csv', 'locustfile.py']);
    const table = await cli(['tests', 'revisions', run.loadTestId]);
    expect(table.stdout).toContain('Revision 1: a bundle of 5 files');
    expect(table.stdout).not.toContain('results/');
  }, 150_000);

  it('a changed helper makes a new revision with another hash', async () => {
    const testId = (await json(['tests', 'list'])).items[0]!.id;
    const before = (await json(['tests', 'revisions', testId])).items;
    write('common/paths.py', `${PATHS}\n# changed\n`);
    const result = await cli([...runArgs(['--duration', '1']), '--', '--tags', 'read']);
    expect(result.exitCode, result.stderr).toBe(0);
    const after = (await json(['tests', 'revisions', testId])).items;
    expect(after).toHaveLength(before.length + 1);
    expect(after.at(-1).sha256).not.toBe(before.at(-1).sha256);
  }, 120_000);

  it('a bundle over the limit is refused before any load, and nothing is stored', async () => {
    const crowded = join(workDir, 'crowded');
    mkdirSync(join(crowded, 'photos'), { recursive: true });
    writeFileSync(join(crowded, 'locustfile.py'), LOCUSTFILE);
    for (let index = 0; index < 12; index += 1) writeFileSync(join(crowded, 'photos', `p${index}.jpg`), 'jpeg');
    writeFileSync(join(crowded, 'loadctl.yaml'), 'bundle: { maxFiles: 10 }\n');
    const otherData = join(workDir, 'crowded-data');
    const requestsBefore = target.requests.length;
    const result = await runCli([...runArgs(), '--duration', '60', '--data-dir', otherData], { cwd: crowded });
    expect(result.exitCode, result.stderr).toBe(3);
    expect(result.stderr).toContain('would bundle 14 files');
    expect(result.stderr).toContain('the limit is 10 files');
    expect(result.stderr).toContain('Most files in: photos/ (12 files)');
    expect(result.stderr).toContain('.loadctlignore');
    expect(result.stderr).not.toMatch(/^Run \S+ of /m);
    expect(target.requests.length).toBe(requestsBefore);
    const tests = await runCli(['tests', 'list', '--json', '--data-dir', otherData]);
    expect(JSON.parse(tests.stdout).items).toEqual([]);
  }, 90_000);
});
