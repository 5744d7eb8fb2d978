// Issue 10, scenario 1, as a person sees it: a script whose failures carry a whole error page.
// The control plane used to refuse such pushes (an error text over 10,000 characters), the plugin
// gave up on its test-stop, Locust (web-UI mode) stayed up, and `loadctl run` never returned.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoTarget, type DemoTarget } from '../../src/demo-target/index.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { runCli } from '../support/cli.js';
import { locustBinForTests } from '../support/locust-runtime.js';
import { MARKER_ENV, locustPids, newMarker, scriptWith, workDir, writeFixture } from './_support.js';

describe('loadctl run always exits', () => {
  let work: ReturnType<typeof workDir>;
  let target: DemoTarget;

  beforeAll(async () => {
    work = workDir('lifecycle-cli');
    target = await startDemoTarget({ port: 0 });
  });
  afterAll(async () => {
    await target?.close();
    work?.remove();
  });

  it('failures with a 15,000-character message: the run ends Finished, texts cut and marked, in seconds', { timeout: 90_000 }, async () => {
    const script = writeFixture(work.dir, 'error-page.py', [
      ...scriptWith({ task: 'with self.client.get("/", catch_response=True) as response:', waitTime: 'constant(0.2)' }),
      '            response.failure("upstream said: <html>" + "x" * 15_000 + "</html>")',
    ]);
    const dataDir = join(work.dir, 'data');
    const marker = newMarker('error-page');
    const started = Date.now();
    const result = await runCli(['run', '--script', script, '--host', target.url, '--duration', '3', '--users', '2', '--metrics-interval', '1', '--data-dir', dataDir, '--locust-bin', locustBinForTests()], {
      env: { [MARKER_ENV]: marker },
      timeoutMs: 60_000,
    });
    const tookMs = Date.now() - started;
    const store = new SqliteStore({ file: join(dataDir, 'loadctl.db') });
    await store.init();
    try {
      const run = (await store.listRuns({ limit: 1, offset: 0 })).items[0]!;
      console.info(`[reliability] error page failures: ${run.status}, exit ${result.exitCode} after ${tookMs} ms; truncated: ${JSON.stringify(run.finalMetrics?.truncated)}`);
      // every request failed, so the default verdict fails the run: exit 1, not a hang (killed: -1)
      expect(result.exitCode, `${result.stdout}\n${result.stderr}`).toBe(1);
      expect(run.status).toBe('Finished');
      expect(run.finalMetrics!.totalFailures).toBeGreaterThan(0);
      expect(run.finalMetrics!.errors[0]!.error.length).toBeLessThanOrEqual(10_000);
      expect(run.finalMetrics!.errors[0]!.error).toMatch(/<\/html>/);
      expect(run.finalMetrics!.truncated?.join('\n')).toMatch(/^errors: /m);
      expect(tookMs).toBeLessThan(45_000);
      expect(locustPids(marker)).toEqual([]);
    } finally {
      await store.close();
    }
  });
});
