// Recovery asks a run's Locust which run it holds, presenting the launch token that Locust was
// started with: derived from the run id for new runs, the stored clear one for runs of loadctl 0.1.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { deriveLaunchToken } from '../../src/domain/run-secrets.js';
import type { LocustClient } from '../../src/locust/locust-client.js';
import type { Orchestrator } from '../../src/orchestrator/orchestrator.js';
import { recoverRuns } from '../../src/orchestrator/recover-runs.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { legacyRunFixture } from '../store/_contract-run-secrets.js';
import { createTest, newRun } from '../store/_fixtures.js';

const SECRET = 'f'.repeat(64);
let dir: string;
let store: SqliteStore;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'loadctl-recover-'));
  store = new SqliteStore({ file: join(dir, 'loadctl.db') });
  await store.init();
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

it('presents the derived launch token for a new run and the stored clear one for a run of the previous version', async () => {
  const { test, revision } = await createTest(store);
  const fresh = await store.createRun(newRun(test.id, revision.id, { status: 'Running', locustEndpoint: 'http://127.0.0.1:1001', launchToken: 'dropped-by-the-store' }));
  const legacy = legacyRunFixture(test.id, revision.id);
  // written as loadctl 0.1 did (this version's Store would not keep the clear launch token)
  const db = new Database(join(dir, 'loadctl.db'));
  db.prepare('INSERT INTO load_test_runs (id, load_test_id, status, created_at, doc) VALUES (?, ?, ?, ?, ?)').run(legacy.id, legacy.loadTestId, legacy.status, legacy.createdAt, JSON.stringify(legacy));
  db.close();

  const presented = new Map<string, string | undefined>();
  const clientFor = (baseUrl: string, launchToken?: string): LocustClient => {
    presented.set(baseUrl, launchToken);
    return { isReady: async () => false, setContext: async () => {}, swarm: async () => {}, stop: async () => {}, currentRun: async () => null, workers: async () => [], finalReport: () => Promise.reject(new Error('no Locust answers here')) };
  };
  const failed: string[] = [];
  const orchestrator = { activeRunIds: () => [], adopt: () => {}, failRun: async (id: string) => void failed.push(id) } as unknown as Orchestrator;
  await recoverRuns({ store, orchestrator, ownUrl: 'http://127.0.0.1:8080', clientFor, launchTokenFor: (runId) => deriveLaunchToken(SECRET, runId), isControlPlaneAlive: async () => false, log: () => {} });

  expect(presented.get('http://127.0.0.1:1001')).toBe(deriveLaunchToken(SECRET, fresh.id));
  expect(presented.get(legacy.locustEndpoint!)).toBe(legacy.launchToken);
  expect(failed.sort()).toEqual([fresh.id, legacy.id].sort()); // neither Locust answers here
});
