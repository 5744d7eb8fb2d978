// The plugin's callbacks authenticate with their run's token, which the store keeps only as a
// hash (issue 10, scenario 11); runs stored in clear by loadctl 0.1 keep working.
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { legacyRunFixture } from '../store/_contract-run-secrets.js';
import { createTestViaApi, expectError, json, startHarness, waitForRun, type CreatedTest, type Harness } from './_harness.js';

let h: Harness;
let test: CreatedTest;

beforeEach(async () => {
  h = await startHarness();
  test = await createTestViaApi(h);
});
afterEach(async () => {
  await h.close();
});

const callback = (runId: string, token: string) =>
  h.app.inject({
    method: 'POST',
    url: '/v1/internal/locust/metrics',
    payload: { runId, seq: 1, timestamp: new Date().toISOString(), totalRequests: 3, totalFailures: 0, histogram: { '10': 3 } },
    headers: { authorization: `Bearer ${token}` },
  });

function rawRunDoc(runId: string): string {
  const db = new Database(h.dbFile, { readonly: true });
  try {
    return String((db.prepare('SELECT doc FROM load_test_runs WHERE id = ?').get(runId) as { doc: string }).doc);
  } finally {
    db.close();
  }
}

describe('callback tokens', { timeout: 30_000 }, () => {
  it('a run started through the API keeps only a hash of its token; the token is accepted, a wrong one refused', async () => {
    const started = await h.app.inject({ method: 'POST', url: `/v1/load-tests/${test.id}/runs`, payload: { durationSeconds: 10 } });
    expect(started.statusCode, started.body).toBe(201);
    const runId = json(started).id as string;
    await waitForRun(h.store, runId, (run) => run.status === 'Failed'); // the harness's Locust never starts
    const token = await h.callbackTokenOf(runId);

    const raw = rawRunDoc(runId);
    expect(raw).not.toContain(token);
    expect(JSON.parse(raw)).not.toHaveProperty('callbackToken');
    expect(JSON.parse(raw)).not.toHaveProperty('launchToken');

    expectError(await callback(runId, `${token.slice(0, -1)}x`), 401, 'LOADCTL_UNAUTHORIZED');
    expectError(await callback(runId, JSON.parse(raw).callbackTokenHash), 401, 'LOADCTL_UNAUTHORIZED'); // the stored hash is no token
    const accepted = await callback(runId, token);
    expect(accepted.statusCode, accepted.body).toBe(200);
  });

  it('a run stored with a clear token by the previous version still authenticates its callbacks', async () => {
    const legacy = legacyRunFixture(test.id, test.latestRevisionId);
    const db = new Database(h.dbFile);
    db.prepare('INSERT INTO load_test_runs (id, load_test_id, status, created_at, doc) VALUES (?, ?, ?, ?, ?)').run(legacy.id, legacy.loadTestId, legacy.status, legacy.createdAt, JSON.stringify(legacy));
    db.close();

    expectError(await callback(legacy.id, 'not-the-token'), 401, 'LOADCTL_UNAUTHORIZED');
    const accepted = await callback(legacy.id, legacy.callbackToken);
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(json(accepted)).toMatchObject({ success: true, duplicate: false });
    expect((await h.store.listMetrics(legacy.id)).map((snapshot) => snapshot.totalRequests)).toEqual([3]);
  });
});
