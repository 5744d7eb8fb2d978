import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { MongoClient, type Db, type Document } from 'mongodb';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, type CliResult } from '../support/cli.js';
import { locustBinForTests } from '../support/locust-runtime.js';

// `loadctl demo` with MongoDB as the store: the four collections of the system loadctl
// replaces must hold the test, its revision, the run with final metrics, one document per push.
describe('loadctl demo with --mongo-uri', () => {
  const database = `loadctl_e2e_${randomBytes(4).toString('hex')}`;
  let client: MongoClient;
  let db: Db;
  let demo: CliResult;
  let listed: CliResult;
  let testsListed: CliResult;
  let workDir: string;

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'loadctl-e2e-mongo-'));
    const common = ['--mongo-uri', inject('mongoUri'), '--mongo-database', database, '--data-dir', workDir];
    demo = await runCli(['demo', '--duration', '4', '--users', '3', '--metrics-interval', '1', '--locust-bin', locustBinForTests(), ...common]);
    [listed, testsListed] = await Promise.all([runCli(['runs', 'list', '--json', ...common]), runCli(['tests', 'list', '--json', ...common])]);
    client = new MongoClient(inject('mongoUri'));
    db = client.db(database);
  }, 120_000);

  afterAll(async () => {
    await db?.dropDatabase().catch(() => undefined);
    await client?.close();
    rmSync(workDir, { recursive: true, force: true });
  });

  it('finishes and lists the run from a new process', () => {
    expect(demo.exitCode, `${demo.stdout}\n${demo.stderr}`).toBe(0);
    expect(listed.exitCode, listed.stderr).toBe(0);
    const runs = JSON.parse(listed.stdout).items;
    expect(runs).toHaveLength(1);
    expect(runs[0].status).toBe('Finished');
  });

  it('writes the four collections of the system it replaces', async () => {
    const tests = await db.collection('load_tests').find().toArray();
    const revisions = await db.collection('script_revisions').find().toArray();
    const runs = await db.collection('load_test_runs').find().toArray();
    expect(tests).toHaveLength(1);
    expect(revisions).toHaveLength(1);
    expect(runs).toHaveLength(1);
    const [test, revision, run] = [tests[0]!, revisions[0]!, runs[0]!];

    expect(test.name).toBe('demo-products');
    expect(test.latestRevisionId).toBe(revision._id);
    // recentRuns are read from the runs, as the API and the CLI show them.
    expect(testsListed.exitCode, testsListed.stderr).toBe(0);
    const [shown] = JSON.parse(testsListed.stdout).items;
    expect(shown.id).toBe(test._id);
    expect(shown.recentRuns).toEqual([expect.objectContaining({ runId: run._id, status: 'Finished', totalRequests: run.finalMetrics.totalRequests })]);

    expect(revision.loadTestId).toBe(test._id);
    expect(revision.revision).toBe(1);
    expect(revision.injectedScript).toContain('import loadctl_plugin');
    expect(revision.cleanScript).not.toContain('import loadctl_plugin');
    expect(revision.sha256).toMatch(/^[0-9a-f]{64}$/);

    expect(run.status).toBe('Finished');
    expect(run.autoStopped).toBe(true);
    expect(run.loadTestId).toBe(test._id);
    expect(run.statusHistory.map((change: Document) => change.to)).toEqual(['Pending', 'Starting', 'Running', 'Finished']);
    expect(run.finalMetrics.totalRequests).toBeGreaterThan(0);
  });

  it('keeps one metrics document per push, numbered without gaps', async () => {
    const [run] = await db.collection('load_test_runs').find().toArray();
    const pushes = await db.collection('metrics_timeseries').find({ runId: run!._id }).sort({ seq: 1 }).toArray();
    // test-start is seq 0 and carries no numbers; every later push is stored once.
    expect(pushes.length).toBeGreaterThanOrEqual(3);
    expect(pushes.map((push) => push.seq)).toEqual(pushes.map((_, index) => index + 1));
    expect(pushes[pushes.length - 1]!.totalRequests).toBe(run!.finalMetrics.totalRequests);
  });
});
