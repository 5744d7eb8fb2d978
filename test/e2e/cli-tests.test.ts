import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli, type CliResult } from '../support/cli.js';
import { locustBinForTests } from '../support/locust-runtime.js';
import { startServe, type ServeProcess } from '../support/serve.js';

// `loadctl tests …` as separate processes against a real `loadctl serve`: the whole life of a
// load test, the refusals, and the API token.
const SCRIPT = join(REPO_ROOT, 'locust/examples/products.py');
const SCRIPT_V2 = join(REPO_ROOT, 'locust/examples/starter.py');

const output = (result: CliResult): string => `exit ${result.exitCode}\n${result.stdout}\n${result.stderr}`;

describe('loadctl tests … against loadctl serve', () => {
  let workDir: string;
  let serve: ServeProcess;
  let id: string;
  const cli = (...args: string[]) => runCli([...args, '--server', serve.url]);

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'loadctl-cli-tests-'));
    serve = await startServe(['--port', '0', '--data-dir', join(workDir, 'serve'), '--locust-bin', locustBinForTests()]);
  });

  afterAll(async () => {
    await serve?.stop();
    rmSync(workDir, { recursive: true, force: true });
  });

  it('create prints the new id; --json prints the stored test', async () => {
    const created = await cli('tests', 'create', '--name', 'checkout-flow', '--script', SCRIPT, '--host', 'http://127.0.0.1:8000', '--users', '3', '--duration', '2m', '--tag', 'smoke', '--tag', 'nightly');
    expect(created.exitCode, output(created)).toBe(0);
    // execa drops the final newline: stdout is the id alone.
    expect(created.stdout).toMatch(/^lt_\w+$/);
    id = created.stdout.trim();

    const json = await cli('tests', 'create', '--name', 'search-only', '--script', SCRIPT, '--host', 'http://127.0.0.1:8000', '--json');
    expect(json.exitCode, output(json)).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ name: 'search-only', latestRevision: 1, recentRuns: [] });
  });

  it('list shows a table with the test; --json parses; --tag filters', async () => {
    const table = await cli('tests', 'list');
    expect(table.exitCode, output(table)).toBe(0);
    expect(table.stdout).toMatch(new RegExp(`${id} +│ checkout-flow +│ http://127\\.0\\.0\\.1:8000 +│ +1 │ never run`));

    const json = await cli('tests', 'list', '--json');
    expect(JSON.parse(json.stdout).items.map((test: { name: string }) => test.name).sort()).toEqual(['checkout-flow', 'search-only']);
    const tagged = await cli('tests', 'list', '--tag', 'nightly', '--json');
    expect(JSON.parse(tagged.stdout).items.map((test: { id: string }) => test.id)).toEqual([id]);
  });

  it('show prints the settings', async () => {
    const shown = await cli('tests', 'show', id);
    expect(shown.exitCode, output(shown)).toBe(0);
    expect(shown.stdout).toContain(`checkout-flow  ${id}`);
    expect(shown.stdout).toContain('Defaults  3 users');
    expect(shown.stdout).toContain('2m 00s');
    expect(shown.stdout).toContain('Tags      smoke, nightly');
  });

  it('update-script prints revision 2 and revisions lists both', async () => {
    const updated = await cli('tests', 'update-script', id, '--script', SCRIPT_V2);
    expect(updated.exitCode, output(updated)).toBe(0);
    expect(updated.stdout).toBe('2');

    const revisions = await cli('tests', 'revisions', id);
    expect(revisions.exitCode, output(revisions)).toBe(0);
    expect(revisions.stdout).toMatch(/│ +1 │ [0-9a-f]{12} +│/);
    expect(revisions.stdout).toMatch(/│ +2 │ [0-9a-f]{12} \(current\)/);
    const json = await cli('tests', 'revisions', id, '--json');
    expect(JSON.parse(json.stdout).items.map((revision: { revision: number }) => revision.revision)).toEqual([1, 2]);
  });

  it('delete without --yes is refused (exit 3) and keeps the test', async () => {
    const refused = await cli('tests', 'delete', id);
    expect(refused.exitCode, output(refused)).toBe(3);
    expect(refused.stderr).toContain(`loadctl tests delete ${id} --yes`);
    expect((await cli('tests', 'show', id)).exitCode).toBe(0);
  });

  it('delete --yes removes it; show then exits 3 with the server’s message', async () => {
    const deleted = await cli('tests', 'delete', id, '--yes');
    expect(deleted.exitCode, output(deleted)).toBe(0);
    expect(deleted.stdout).toContain(`Deleted load test "checkout-flow" (${id})`);

    const gone = await cli('tests', 'show', id);
    expect(gone.exitCode).toBe(3);
    expect(gone.stderr).toBe(`loadctl: No load test has id ${id}. List them with \`loadctl tests list\` or GET /v1/load-tests.`);
  });

  it('a bad flag is exit 3 before anything is sent', async () => {
    const bad = await cli('tests', 'create', '--name', 'x', '--script', SCRIPT, '--host', 'not-a-url');
    expect(bad.exitCode).toBe(3);
    expect(bad.stderr).toMatch(/^loadctl: --host: /);
  });

  it('an unreachable server is one line naming the URL, exit 2', async () => {
    const unreachable = await runCli(['tests', 'list', '--server', 'http://127.0.0.1:9']);
    expect(unreachable.exitCode).toBe(2);
    expect(unreachable.stderr).toMatch(/^loadctl: Cannot reach the loadctl control plane at http:\/\/127\.0\.0\.1:9: [^\n]*$/);
  });

  it('without --server works on the local store in-process', async () => {
    const local = ['--data-dir', join(workDir, 'local')];
    const env = { LOADCTL_LOCUST: locustBinForTests() };
    const created = await runCli(['tests', 'create', '--name', 'local-test', '--script', SCRIPT, '--host', 'http://127.0.0.1:8000', ...local], { env });
    expect(created.exitCode, output(created)).toBe(0);
    const listed = await runCli(['tests', 'list', '--json', ...local], { env });
    expect(JSON.parse(listed.stdout).items.map((test: { id: string }) => test.id)).toEqual([created.stdout.trim()]);
  });
});

describe('loadctl tests … against a serve that needs a token', () => {
  let workDir: string;
  let serve: ServeProcess;

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'loadctl-cli-token-'));
    serve = await startServe(['--host', '127.0.0.1', '--port', '0', '--token', 'secret', '--data-dir', workDir, '--locust-bin', locustBinForTests()]);
  });

  afterAll(async () => {
    await serve?.stop();
    rmSync(workDir, { recursive: true, force: true });
  });

  it('without the token: exit 3 and a message about the token', async () => {
    const denied = await runCli(['tests', 'list', '--server', serve.url]);
    expect(denied.exitCode).toBe(3);
    expect(denied.stderr).toMatch(/^loadctl: .*API token.*--token/);
    const wrong = await runCli(['tests', 'list', '--server', serve.url, '--token', 'guess']);
    expect(wrong.exitCode).toBe(3);
    expect(wrong.stderr).toContain('token is wrong');
  });

  it('with --token or LOADCTL_TOKEN it works', async () => {
    const created = await runCli(['tests', 'create', '--name', 'guarded', '--script', SCRIPT, '--host', 'http://127.0.0.1:8000', '--server', serve.url, '--token', 'secret']);
    expect(created.exitCode, output(created)).toBe(0);
    const listed = await runCli(['tests', 'list', '--json'], { env: { LOADCTL_SERVER: serve.url, LOADCTL_TOKEN: 'secret' } });
    expect(listed.exitCode, output(listed)).toBe(0);
    expect(JSON.parse(listed.stdout).items.map((test: { name: string }) => test.name)).toEqual(['guarded']);
  });
});
