// The store goes away mid-run: a dedicated FerretDB (so stopping it hurts no other test) is
// stopped and started again on the same port and data dir while `loadctl serve` drives a run.
// The scenario runs once in beforeAll; each `it` checks one promise against what happened.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MongoClient, type Document } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoTarget, type DemoTarget } from '../../src/demo-target/index.js';
import { findFreePort } from '../../src/locust/free-port.js';
import { REPO_ROOT } from '../support/cli.js';
import { startFerretDb, type FerretDb } from '../support/ferretdb.js';
import { locustBinForTests } from '../support/locust-runtime.js';
import { startServe, waitFor, type ServeProcess } from '../support/serve.js';
import { MARKER_ENV, holdFor, http, locustPids, newMarker, waitForNoLocust, waitForTerminalRun, workDir, type HttpAnswer } from './_support.js';

const USERS = 2;
// Longer than the driver's 10 s server selection, so a request made early in the outage can
// be answered while the store is still down.
const OUTAGE_MS = 12_000;
// The plugin's REQUEST_TIMEOUT: a 503 that comes later than this is never seen by the plugin.
const PLUGIN_REQUEST_TIMEOUT_MS = 5_000;
const DATABASE = 'loadctl_reliability_store';

describe(`the store (MongoDB via FerretDB) stopped for ${OUTAGE_MS / 1000} s mid-run`, () => {
  let work: ReturnType<typeof workDir>;
  let target: DemoTarget;
  let ferret: FerretDb | undefined;
  let serve: ServeProcess;
  const marker = newMarker('store');
  let run: any;
  let docs: Document[];
  let served: number;
  let early: HttpAnswer[];
  const later: { sentAt: number; answer: HttpAnswer; answeredAt: number }[] = [];
  let restartStartedAt = 0;

  beforeAll(async () => {
    work = workDir('store');
    target = await startDemoTarget({ port: 0 });
    const listen = `127.0.0.1:${await findFreePort()}`;
    const ferretDir = join(work.dir, 'ferretdb');
    ferret = await startFerretDb({ dataDir: ferretDir, listen });
    const config = join(work.dir, 'loadctl.yaml');
    writeFileSync(config, 'metricsInterval: 1\n');
    serve = await startServe(['--port', '0', '--config', config, '--mongo-uri', ferret.uri, '--mongo-database', DATABASE, '--data-dir', join(work.dir, 'data'), '--locust-bin', locustBinForTests()], {
      env: { [MARKER_ENV]: marker },
    });

    const created = await http('POST', `${serve.url}/v1/load-tests`, {
      name: 'store-outage',
      targetUrl: target.url,
      scriptContent: readFileSync(join(REPO_ROOT, 'locust/examples/products.py')).toString('base64'),
      defaultUsers: USERS,
      defaultSpawnRate: USERS,
      defaultDurationSec: 20,
    });
    expect(created.status, created.text).toBe(201);
    const started = await http('POST', `${serve.url}/v1/load-tests/${created.json.id}/runs`, {});
    expect(started.status, started.text).toBe(201);
    const runId: string = started.json.id;
    await waitFor(async () => (await http('GET', `${serve.url}/v1/runs/${runId}`)).json, (current) => current.status === 'Running' && (current.lastMetrics?.seq ?? 0) >= 2, {
      timeoutMs: 60_000,
      what: 'the run to be Running with two pushes',
    });
    // The store keeps only a hash of the run's token, and the plugin must keep using the real one,
    // so the test's own callbacks carry a token that is not the run's: a callback looks its run up
    // before comparing tokens, so while the store is down it is answered 503 all the same (401 after).
    const token = `not-the-token-of-${runId}`;

    const stoppedAt = Date.now();
    await ferret.stop();
    const stopMs = Date.now() - stoppedAt;
    ferret = undefined;
    // What callers get while the store is down: health, a read, and a callback (a repeat of
    // seq 1, which must change nothing once the store is back) at once, and a callback later.
    const repeat = { runId, seq: 1, timestamp: new Date().toISOString(), totalRequests: 0, totalFailures: 0, histogram: {} };
    const callback = (): Promise<HttpAnswer> => http('POST', `${serve.url}/v1/internal/locust/metrics`, repeat, { authorization: `Bearer ${token}` });
    early = await Promise.all([http('GET', `${serve.url}/health`), http('GET', `${serve.url}/v1/runs/${runId}`), callback()]);
    // Then one callback a second for as long as the store is down, as the plugin would keep trying.
    const pending: Promise<void>[] = [];
    while (Date.now() < stoppedAt + OUTAGE_MS - 1_000) {
      const sentAt = Date.now() - stoppedAt;
      pending.push(callback().then((answer) => void later.push({ sentAt, answer, answeredAt: Date.now() })));
      await holdFor(1_000);
    }
    await holdFor(Math.max(0, stoppedAt + OUTAGE_MS - Date.now()));
    restartStartedAt = Date.now();
    ferret = await startFerretDb({ dataDir: ferretDir, listen });
    const restartedAt = Date.now();
    await Promise.all(pending);

    run = await waitForTerminalRun(serve.url, runId, 120_000);
    const endedMs = Date.now() - restartedAt;
    const check = new MongoClient(ferret.uri);
    docs = await check.db(DATABASE).collection('metrics_timeseries').find({ runId }).sort({ seq: 1 }).toArray();
    await check.close();
    served = target.stats().served.total;
    console.info(
      `[reliability] store outage: at once ${early.map((answer) => `${answer.status} ${answer.json?.error?.code ?? answer.json?.status ?? ''} in ${Math.round(answer.ms)} ms`).join(', ')}; ` +
        `then a callback a second: ${[...later].sort((a, b) => a.sentAt - b.sentAt).map(({ sentAt, answer }) => `+${(sentAt / 1000).toFixed(0)}s ${answer.status} in ${Math.round(answer.ms)} ms`).join(', ')} (FerretDB stopped in ${stopMs} ms, restart from +${restartStartedAt - stoppedAt} ms, up at +${restartedAt - stoppedAt} ms); run ${run.status} ${endedMs} ms after the restart; ${docs.length} metrics documents, seqs ${docs.map((doc) => doc.seq).join(',')}; ` +
        `served ${served}, stored ${run.finalMetrics?.totalRequests}, histograms ${histogramTotal(docs)}`,
    );
  }, 180_000);

  afterAll(async () => {
    await serve?.stop();
    await ferret?.stop();
    await target?.close();
    work?.remove();
  });

  it('answers 503 LOADCTL_STORE_UNAVAILABLE at once when the store has just gone', () => {
    expect(early[0]!.status).toBe(503);
    expect(early[0]!.json.status).toBe('degraded');
    for (const answer of early.slice(1)) {
      expect(answer.status, answer.text).toBe(503);
      expect(answer.json.error.code).toBe('LOADCTL_STORE_UNAVAILABLE');
      expect(answer.ms).toBeLessThan(PLUGIN_REQUEST_TIMEOUT_MS);
    }
  });

  it('keeps answering callbacks 503 within the plugin’s 5 s request timeout for as long as the store is down', () => {
    expect(later.length).toBeGreaterThanOrEqual(5);
    const slow = later.filter(({ answer }) => answer.ms >= PLUGIN_REQUEST_TIMEOUT_MS).map(({ sentAt, answer }) => `+${sentAt} ms: ${answer.status} after ${Math.round(answer.ms)} ms`);
    const notUnavailable = later
      .filter(({ answer, answeredAt }) => answeredAt < restartStartedAt && answer.status !== 503)
      .map(({ sentAt, answer }) => `+${sentAt} ms: ${answer.status} ${answer.text.slice(0, 100)}`);
    expect(slow).toEqual([]);
    expect(notUnavailable).toEqual([]);
  });

  it('logs no internal error (no 500) for the outage', () => {
    expect(serve.output().split('\n').filter((line) => /internal error/.test(line))).toEqual([]);
  });

  it('ends Finished with exact final totals, one document per seq and histograms adding up', () => {
    const seqs = docs.map((doc) => doc.seq as number);
    expect(run.status, run.error).toBe('Finished');
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(docs[docs.length - 1]!.totalRequests).toBe(run.finalMetrics.totalRequests);
    expect(served - run.finalMetrics.totalRequests).toBeGreaterThanOrEqual(0);
    expect(served - run.finalMetrics.totalRequests).toBeLessThanOrEqual(USERS);
    expect(histogramTotal(docs)).toBe(run.finalMetrics.totalRequests);
  });

  it('leaves no Locust behind', async () => {
    await waitForNoLocust(marker);
    expect(locustPids(marker)).toEqual([]);
  });
});

/** Stored histograms are arrays of {bucket, count} in MongoDB. */
function histogramTotal(documents: readonly Document[]): number {
  return documents.reduce((sum, doc) => sum + (doc.histogram as { count: number }[]).reduce((part, entry) => part + entry.count, 0), 0);
}
