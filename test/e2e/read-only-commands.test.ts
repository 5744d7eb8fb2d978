// Read-only commands answer from the store alone (issue 14) and never write (issue 10): a
// Running run whose owner is provably dead, which any recovering control plane would fail,
// is left as it is, and the store file keeps every byte.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { runCli } from '../support/cli.js';

const DEAD_PID = 2 ** 22 + 17; // above Linux's pid_max default: no process has it

describe('read-only commands over the embedded store', () => {
  let dataDir: string;
  const dbFile = () => join(dataDir, 'loadctl.db');
  const digest = () => createHash('sha256').update(readFileSync(dbFile())).digest('hex');

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'loadctl-read-only-'));
    const store = new SqliteStore({ file: dbFile() });
    await store.init();
    const at = '2025-01-01T00:00:00.000Z';
    const { test } = await store.createLoadTest(
      { id: 'lt_readonly', name: 'read-only', description: '', tags: ['x'], targetUrl: 'http://127.0.0.1:9', defaultUsers: 1, defaultSpawnRate: 1, defaultDurationSec: 30, extra: {}, createdAt: at, updatedAt: at },
      { id: 'rev_readonly', sha256: 'a'.repeat(64), sizeBytes: 1, cleanScript: 'x', injectedScript: 'x', createdAt: at },
    );
    await store.createRun({
      id: 'run_orphan',
      loadTestId: test.id,
      scriptRevisionId: 'rev_readonly',
      status: 'Running',
      statusHistory: [{ from: null, to: 'Pending', at }, { from: 'Pending', to: 'Running', at }],
      targetUsers: 1,
      spawnRate: 1,
      durationSeconds: 30,
      targetUrl: 'http://127.0.0.1:9',
      createdAt: at,
      autoStopped: false,
      callbackToken: 'token',
      owner: { host: hostname(), pid: DEAD_PID, startedAt: at, heartbeatAt: at },
    });
    await store.close();
  });

  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('list and show runs and tests without changing the store', async () => {
    const before = digest();
    const commands = [
      ['runs', 'list'],
      ['runs', 'list', '--json', '--status', 'Running'],
      ['runs', 'show', 'run_orphan'],
      ['runs', 'show', 'run_orphan', '--json'],
      ['tests', 'list'],
      ['tests', 'show', 'lt_readonly'],
      ['tests', 'revisions', 'lt_readonly'],
      // Past the local reads' checks: the full (read-only) control plane answers.
      ['runs', 'list', '--limit', '501'],
    ];
    const results = await Promise.all(commands.map((args) => runCli([...args, '--data-dir', dataDir], { timeoutMs: 60_000 })));
    expect(results.slice(0, -1).map((result) => result.exitCode)).toEqual(commands.slice(0, -1).map(() => 0));
    expect(results[0]!.stdout).toMatch(/read-only[\s\S]*Running/);
    expect(JSON.parse(results[1]!.stdout).items.map((run: { id: string }) => run.id)).toEqual(['run_orphan']);
    expect(JSON.parse(results[3]!.stdout)).toMatchObject({ id: 'run_orphan', status: 'Running' });
    expect(results.at(-1)!.stderr).toMatch(/limit/);
    expect(digest()).toBe(before);
  }, 90_000);
});
