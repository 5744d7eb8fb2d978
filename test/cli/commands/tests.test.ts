import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTest, deleteTest, listTestRevisions, listTests, parseCreateTestFlags, showTest, updateTestScript } from '../../../src/cli/commands/tests.js';
import { ApiClient } from '../../../src/controlplane/client.js';
import { SHOP_SCRIPT, startHarness, type Harness } from '../../controlplane/_harness.js';
import { makeRun } from '../render/_fixtures.js';
import { captureIo } from './_io.js';

// The commands against a real control plane app (real store, real validation) over HTTP.
describe('loadctl tests …', () => {
  let harness: Harness;
  let client: ApiClient;
  let dir: string;

  beforeAll(async () => {
    harness = await startHarness();
    await harness.app.listen({ host: '127.0.0.1', port: 0 });
    const address = harness.app.server.address();
    client = new ApiClient({ baseUrl: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` });
    dir = mkdtempSync(join(tmpdir(), 'loadctl-tests-cmd-'));
    writeFileSync(join(dir, 'shop.py'), SHOP_SCRIPT);
    writeFileSync(join(dir, 'shop-v2.py'), `${SHOP_SCRIPT}\n# v2\n`);
  });

  afterAll(async () => {
    await harness?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const exec = async (command: (deps: { client: ApiClient; io: ReturnType<typeof captureIo>['io']; now: () => Date }) => Promise<number>) => {
    const captured = captureIo();
    captured.io.cwd = dir;
    const code = await command({ client, io: captured.io, now: () => new Date() });
    return { code, stdout: captured.stdout(), stderr: captured.stderr() };
  };
  const create = (flags: Record<string, unknown>) => exec((deps) => createTest(parseCreateTestFlags({ script: 'shop.py', host: 'http://127.0.0.1:8000', tag: [], ...flags }), deps));

  it('checks the create flags before anything is sent', () => {
    expect(parseCreateTestFlags({ name: 'shop', script: 'shop.py', host: 'http://x.test:8000/', duration: '5m', users: '3', spawnRate: '1.5', tag: ['a', 'b'] })).toEqual({
      name: 'shop',
      script: 'shop.py',
      targetUrl: 'http://x.test:8000',
      durationSeconds: 300,
      users: 3,
      spawnRate: 1.5,
      tags: ['a', 'b'],
      json: false,
    });
    expect(() => parseCreateTestFlags({ name: 'shop', script: 'shop.py', host: 'x.test' })).toThrow(/--host/);
    expect(() => parseCreateTestFlags({ name: 'shop', script: 'shop.py', host: 'http://x.test', users: '0' })).toThrow(/--users: expected a whole number/);
    expect(() => parseCreateTestFlags({ name: 'shop', script: 'shop.py', host: 'http://x.test', duration: 'soon' })).toThrow(/--duration/);
  });

  it('creates a test and prints only its id on stdout; --json prints the test', async () => {
    const plain = await create({ name: 'shop-plain', users: '4', duration: '90s', description: 'browse', tag: ['smoke'] });
    expect(plain.code).toBe(0);
    expect(plain.stdout).toMatch(/^lt_[a-z0-9]+\n$/);
    expect(plain.stderr).toContain('Created load test "shop-plain" with script revision 1');
    const stored = await client.getLoadTest(plain.stdout.trim());
    expect(stored).toMatchObject({ name: 'shop-plain', defaultUsers: 4, defaultDurationSec: 90, description: 'browse', tags: ['smoke'] });

    const json = await create({ name: 'shop-json', json: true });
    expect(JSON.parse(json.stdout)).toMatchObject({ name: 'shop-json', targetUrl: 'http://127.0.0.1:8000', latestRevision: 1 });
  });

  it('refuses a missing script file by name', async () => {
    await expect(create({ name: 'nope', script: 'missing.py' })).rejects.toThrow(/missing\.py: no such file/);
  });

  it('lists tests as a table, filters by name and tag, and says when nothing matches', async () => {
    const all = await exec((deps) => listTests({ limit: 50, offset: 0, json: false }, deps));
    expect(all.stdout).toMatch(/│ ID +│ Name +│ Target +│ Rev │ Last run +│ Created/);
    expect(all.stdout).toMatch(/shop-plain .*http:\/\/127\.0\.0\.1:8000 .*never run/);
    const byTag = await exec((deps) => listTests({ tag: 'smoke', limit: 50, offset: 0, json: true }, deps));
    expect(JSON.parse(byTag.stdout).items.map((test: { name: string }) => test.name)).toEqual(['shop-plain']);
    const none = await exec((deps) => listTests({ name: 'no-such-test', limit: 50, offset: 0, json: false }, deps));
    expect(none.stdout).toBe('No load tests match.\n');
    const page = await exec((deps) => listTests({ limit: 1, offset: 0, json: false }, deps));
    expect(page.stdout).toMatch(/\(1–1 of \d+ load tests; use --limit and --offset to see more\)/);
  });

  it('shows a test with its settings and recent runs', async () => {
    const id = (await create({ name: 'shop-show', users: '2', duration: '45', tag: ['x', 'y'] })).stdout.trim();
    const shown = await exec((deps) => showTest({ id, json: false }, deps));
    expect(shown.stdout).toContain(`shop-show  ${id}`);
    expect(shown.stdout).toContain('Defaults  2 users');
    expect(shown.stdout).toContain('45s');
    expect(shown.stdout).toContain('Tags      x, y');
    expect(shown.stdout).toContain('Recent runs\nNo runs yet.');
  });

  it('adds a revision, prints its number, and lists every revision with the current one marked', async () => {
    const id = (await create({ name: 'shop-revisions' })).stdout.trim();
    const updated = await exec((deps) => updateTestScript({ id, script: 'shop-v2.py', json: false }, deps));
    expect(updated.stdout).toBe('2\n');
    const listed = await exec((deps) => listTestRevisions({ id, json: false }, deps));
    const rows = listed.stdout.split('\n').filter((line) => /^│ +\d/.test(line));
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatch(/│ +1 │ [0-9a-f]{12} +│/);
    expect(rows[1]).toMatch(/│ +2 │ [0-9a-f]{12} \(current\)/);
    const json = await exec((deps) => listTestRevisions({ id, json: true }, deps));
    expect(JSON.parse(json.stdout).items.map((revision: { revision: number }) => revision.revision)).toEqual([1, 2]);
  });

  it('refuses to delete without --yes and keeps the test', async () => {
    const id = (await create({ name: 'shop-keep' })).stdout.trim();
    await expect(exec((deps) => deleteTest({ id, yes: false, json: false }, deps))).rejects.toMatchObject({ code: 'LOADCTL_CONFIG_MISSING', message: expect.stringContaining(`loadctl tests delete ${id} --yes`) });
    expect((await client.getLoadTest(id)).name).toBe('shop-keep');
  });

  it('deletes with --yes; the id is then unknown', async () => {
    const id = (await create({ name: 'shop-delete' })).stdout.trim();
    const deleted = await exec((deps) => deleteTest({ id, yes: true, json: false }, deps));
    expect(deleted.stdout).toBe(`Deleted load test "shop-delete" (${id}).\n`);
    await expect(exec((deps) => showTest({ id, json: false }, deps))).rejects.toMatchObject({ code: 'LOADCTL_TEST_NOT_FOUND', exitCategory: 'usage' });
  });

  it('explains a refused delete while a run is in progress and names the stop command', async () => {
    const id = (await create({ name: 'shop-busy' })).stdout.trim();
    const test = await client.getLoadTest(id);
    const run = makeRun({ id: 'run_busy', loadTestId: id, scriptRevisionId: test.latestRevisionId, status: 'Running', finishedAt: undefined, finalMetrics: undefined });
    await harness.store.createRun(run);
    await expect(exec((deps) => deleteTest({ id, yes: true, json: false }, deps))).rejects.toMatchObject({
      code: 'LOADCTL_RUN_CONFLICT',
      message: expect.stringMatching(/^Not deleted: .*run_busy.*loadctl runs stop run_busy/),
    });
    expect((await client.getLoadTest(id)).name).toBe('shop-busy');
  });
});
