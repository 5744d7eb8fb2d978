// `loadctl runs list --verdict/--since/--until`: the same runs from the store read in this
// process as from a serving control plane, and a clear refusal (exit 3) for what names nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Run } from '../../src/domain/types.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { runCli } from '../support/cli.js';
import { startServe, type ServeProcess } from '../support/serve.js';

const HOUR = 3_600_000;

describe('runs list filtered by verdict and creation time', () => {
  let dataDir: string;
  let serve: ServeProcess;
  const now = Date.now();
  // Creation times relative to the test's start, so "--since 2h" has something on each side.
  const runs: Array<{ id: string; agoMs: number; verdict?: 'passed' | 'failed' }> = [
    { id: 'run_old_failed', agoMs: 400 * 24 * HOUR, verdict: 'failed' },
    { id: 'run_day_passed', agoMs: 26 * HOUR, verdict: 'passed' },
    { id: 'run_3h_failed', agoMs: 3 * HOUR, verdict: 'failed' },
    { id: 'run_1h_unjudged', agoMs: 1 * HOUR },
    { id: 'run_10m_passed', agoMs: HOUR / 6, verdict: 'passed' },
  ];

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'loadctl-runs-filters-'));
    const store = new SqliteStore({ file: join(dataDir, 'loadctl.db') });
    await store.init();
    const at = new Date(now - 500 * 24 * HOUR).toISOString();
    const { test } = await store.createLoadTest(
      { id: 'lt_filters', name: 'filters', description: '', tags: [], targetUrl: 'http://127.0.0.1:9', defaultUsers: 1, defaultSpawnRate: 1, defaultDurationSec: 30, extra: {}, createdAt: at, updatedAt: at },
      { id: 'rev_filters', sha256: 'a'.repeat(64), sizeBytes: 1, cleanScript: 'x', injectedScript: 'x', createdAt: at },
    );
    for (const { id, agoMs, verdict } of runs) {
      const createdAt = new Date(now - agoMs).toISOString();
      const run: Run = {
        id,
        loadTestId: test.id,
        scriptRevisionId: 'rev_filters',
        status: 'Finished',
        statusHistory: [{ from: null, to: 'Finished', at: createdAt }],
        targetUsers: 1,
        spawnRate: 1,
        durationSeconds: 30,
        targetUrl: 'http://127.0.0.1:9',
        createdAt,
        finishedAt: createdAt,
        autoStopped: true,
        callbackToken: 'token',
        ...(verdict ? { verdict, thresholdVerdicts: [{ threshold: 'error_rate<1%', metric: 'error_rate', operator: '<', limit: 0.01, observed: verdict === 'passed' ? 0 : 0.5, passed: verdict === 'passed' }] } : {}),
      };
      await store.createRun(run);
    }
    await store.close();
    serve = await startServe(['--port', '0', '--data-dir', dataDir]);
  }, 60_000);

  afterAll(async () => {
    await serve?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** The run ids listed, from this process's store and from the serving control plane, which must agree. */
  async function listed(filters: string[]): Promise<string[]> {
    const [local, remote] = await Promise.all([runCli(['runs', 'list', '--json', ...filters, '--data-dir', dataDir]), runCli(['runs', 'list', '--json', ...filters, '--server', serve.url])]);
    expect(local.exitCode, local.stderr).toBe(0);
    expect(remote.exitCode, remote.stderr).toBe(0);
    const ids = (result: { stdout: string }) => (JSON.parse(result.stdout) as { items: Array<{ id: string }> }).items.map((item) => item.id);
    expect(ids(local)).toEqual(ids(remote));
    return ids(local);
  }

  it('keeps the runs of one verdict, or those not judged', async () => {
    expect(await listed(['--verdict', 'failed'])).toEqual(['run_3h_failed', 'run_old_failed']);
    expect(await listed(['--verdict', 'passed'])).toEqual(['run_10m_passed', 'run_day_passed']);
    expect(await listed(['--verdict', 'none'])).toEqual(['run_1h_unjudged']);
  });

  it('keeps the runs created in a span back from now, between dates, and with the other filters', async () => {
    expect(await listed(['--since', '2h'])).toEqual(['run_10m_passed', 'run_1h_unjudged']);
    expect(await listed(['--until', '2h'])).toEqual(['run_3h_failed', 'run_day_passed', 'run_old_failed']);
    expect(await listed(['--since', '2d', '--until', '30m'])).toEqual(['run_1h_unjudged', 'run_3h_failed', 'run_day_passed']);
    const yearAgo = new Date(now - 365 * 24 * HOUR).toISOString().slice(0, 10);
    expect(await listed(['--until', yearAgo])).toEqual(['run_old_failed']);
    expect(await listed(['--since', new Date(now - 4 * HOUR).toISOString(), '--verdict', 'failed'])).toEqual(['run_3h_failed']);
    expect(await listed(['--since', '1w', '--verdict', 'passed', '--limit', '1'])).toEqual(['run_10m_passed']);
  });

  it('refuses a verdict or a time it cannot read, and a range that ends before it starts, with exit 3', async () => {
    for (const where of [['--data-dir', dataDir], ['--server', serve.url]]) {
      const verdict = await runCli(['runs', 'list', '--verdict', 'maybe', ...where]);
      expect(verdict.exitCode).toBe(3);
      expect(verdict.stderr).toMatch(/--verdict.*maybe.*passed, failed, none/s);

      const since = await runCli(['runs', 'list', '--since', 'yesterday', ...where]);
      expect(since.exitCode).toBe(3);
      expect(since.stderr).toContain('--since: expected a span back from now (30m, 2h, 7d, 1w), a date (2026-11-29) or a date-time with its zone');

      const noZone = await runCli(['runs', 'list', '--until', '2026-11-29T10:00', ...where]);
      expect(noZone.exitCode).toBe(3);
      expect(noZone.stderr).toContain('--until: expected');

      const backwards = await runCli(['runs', 'list', '--since', '1h', '--until', '2h', ...where]);
      expect(backwards.exitCode, backwards.stderr).toBe(3);
      expect(backwards.stderr).toMatch(/until \(.+\) must be after since/);
    }
  });
});
