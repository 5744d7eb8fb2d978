// A remote worker on "another machine": two network namespaces joined by a veth pair. In
// namespace A: the target, `loadctl serve` and `loadctl run --server … --workers 0
// --expect-remote-workers 1 --master-bind`; in namespace B only `loadctl worker`, which gets
// the run's script from the control plane (it has no copy: a bundle, a helper module and a
// data file) and reaches A over 10.200.x.0/24 only: nothing may assume loopback. Needs root
// (ip netns); neither namespace reaches a registry, so the worker reuses the tests' Locust
// (LOADCTL_LOCUST), and the run's requirements are installed beforehand into both data dirs,
// where serve and the worker find them cached.
import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, REPO_ROOT } from '../support/cli.js';
import { locustBinForTests } from '../support/locust-runtime.js';
import { waitFor } from '../support/serve.js';
import type { Run } from '../../src/domain/types.js';
import { prepareRequirementsEnv } from '../../src/locust/requirements-env.js';
import { findLocustRuntime } from '../../src/locust/runtime.js';

const suffix = `${process.pid % 100_000}${randomBytes(1).toString('hex')}`;
const NS_A = `lcwa${suffix}`;
const NS_B = `lcwb${suffix}`;
const SUBNET = `10.200.${20 + (process.pid % 200)}`;
const ADDRESS_A = `${SUBNET}.1`;
const ADDRESS_B = `${SUBNET}.2`;
const TOKEN = `api-${randomBytes(8).toString('hex')}`;
const USERS = 3;
const REQUIREMENTS = 'inflection==0.5.1\n';

const ip = (...args: string[]) => execa('ip', args);
/** A process inside a namespace; its output is kept for failure messages. */
function inNamespace(ns: string, command: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): ResultPromise & { text: () => string } {
  let text = '';
  const child = execa('ip', ['netns', 'exec', ns, command, ...args], { cwd: REPO_ROOT, env: { CI: 'true', NO_COLOR: '1', ...env }, reject: false, timeout: 120_000, forceKillAfterDelay: 5_000 });
  child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return Object.assign(child, { text: () => text });
}
const loadctlIn = (ns: string, args: readonly string[]) => inNamespace(ns, process.execPath, [BIN, ...args], { LOADCTL_LOCUST: locustBinForTests() });

describe('a remote worker in another network namespace', () => {
  let workDir: string;
  let target: ReturnType<typeof inNamespace> | undefined;
  let serve: ReturnType<typeof inNamespace> | undefined;
  const serveUrl = `http://${ADDRESS_A}:8080`;

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'loadctl-netns-'));
    await ip('netns', 'add', NS_A);
    await ip('netns', 'add', NS_B);
    await ip('link', 'add', `v${NS_A}`, 'type', 'veth', 'peer', 'name', `v${NS_B}`);
    await ip('link', 'set', `v${NS_A}`, 'netns', NS_A);
    await ip('link', 'set', `v${NS_B}`, 'netns', NS_B);
    for (const [ns, address] of [[NS_A, ADDRESS_A], [NS_B, ADDRESS_B]] as const) {
      await ip('-n', ns, 'addr', 'add', `${address}/24`, 'dev', `v${ns}`);
      await ip('-n', ns, 'link', 'set', `v${ns}`, 'up');
      await ip('-n', ns, 'link', 'set', 'lo', 'up');
    }
    // Before the namespaces' processes: pip needs PyPI, which they cannot reach.
    const runtime = findLocustRuntime({ dataDir: join(workDir, 'serve'), locustBin: locustBinForTests() })!;
    const env = await prepareRequirementsEnv({ dataDir: join(workDir, 'serve'), runtime, requirements: REQUIREMENTS });
    mkdirSync(join(workDir, 'worker'));
    cpSync(join(workDir, 'serve', 'envs'), join(workDir, 'worker', 'envs'), { recursive: true });
    expect(env.hash).not.toBe('');
    target = inNamespace(NS_A, process.execPath, [join(REPO_ROOT, 'test/e2e/fixtures/counting-target.mjs'), ADDRESS_A, '8000']);
    serve = loadctlIn(NS_A, ['serve', '--host', ADDRESS_A, '--port', '8080', '--token', TOKEN, '--data-dir', join(workDir, 'serve')]);
    await waitFor(async () => ({ targetText: target!.text(), serveText: serve!.text() }), ({ targetText, serveText }) => targetText.includes('counting target listening') && serveText.includes('control plane listening on'), {
      timeoutMs: 60_000,
      what: 'the target and loadctl serve in namespace A',
    });
  }, 90_000);

  afterAll(async () => {
    for (const child of [serve, target]) {
      child?.kill('SIGTERM');
      await child;
    }
    await ip('netns', 'del', NS_A).catch(() => undefined);
    await ip('netns', 'del', NS_B).catch(() => undefined);
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('runs the load from B with the bundle and requirements fetched from the control plane; the worker exits with the master', async () => {
    // A path only this project knows: the worker can send it only with the bundle from the
    // control plane (its helper module, its data file read by a relative path) and the package.
    const marker = `m${randomBytes(6).toString('hex')}`;
    const project = join(workDir, 'project');
    mkdirSync(join(project, 'data'), { recursive: true });
    writeFileSync(join(project, 'locustfile.py'), `from locust import HttpUser, constant, task\nfrom remote_paths import marked_path\n\n\nclass Remote(HttpUser):\n    wait_time = constant(0.05)\n\n    @task\n    def hit(self):\n        self.client.get(marked_path(), name="/marked")\n`);
    writeFileSync(join(project, 'remote_paths.py'), `import inflection\n\n\ndef marked_path():\n    with open("data/marker.txt") as handle:\n        return "/" + handle.read().strip() + "/" + inflection.underscore("RemoteWorker")\n`);
    writeFileSync(join(project, 'data/marker.txt'), `${marker}\n`);
    writeFileSync(join(workDir, 'requirements.txt'), REQUIREMENTS);
    const report = join(workDir, 'report.json');
    const run = loadctlIn(NS_A, [
      'run', '--server', serveUrl, '--token', TOKEN, '--script', join(project, 'locustfile.py'), '--requirements', join(workDir, 'requirements.txt'),
      '--host', `http://${ADDRESS_A}:8000`, '--users', String(USERS), '--duration', '4',
      '--workers', '0', '--expect-remote-workers', '1', '--master-bind', `${ADDRESS_A}:5557`, '--metrics-interval', '1', '--quiet', '--json', report,
    ]);
    // Namespace B has no route to A's loopback and no copy of the script.
    const worker = loadctlIn(NS_B, ['worker', '--master', `${ADDRESS_A}:5557`, '--server', serveUrl, '--token', TOKEN, '--data-dir', join(workDir, 'worker')]);
    const ran = await run;
    expect(ran.exitCode, `${run.text()}\n--- worker\n${worker.text()}\n--- serve\n${serve!.text()}`).toBe(0);
    const worked = await worker;
    expect(worked.exitCode, worker.text()).toBe(0);

    const { run: reported } = JSON.parse(readFileSync(report, 'utf8')) as { run: Run };
    expect(worker.text()).toContain(`Worker for run ${reported.id} (script revision ${reported.scriptRevisionId}, bundle, locustfile.py)`);
    // Reused, never installed: B cannot reach PyPI.
    expect(worker.text()).not.toContain('Installing');
    const shown = loadctlIn(NS_A, ['runs', 'show', reported.id, '--json', '--server', serveUrl, '--token', TOKEN]);
    expect((await shown).exitCode, shown.text()).toBe(0);
    const stored = JSON.parse(String((await shown).stdout)) as Run;
    expect(stored.status).toBe('Finished');
    expect(stored.expectRemoteWorkers).toBe(1);
    expect(stored.workers).toBeUndefined();
    expect(stored.workerNodes).toHaveLength(1);
    expect(stored.workerNodes![0]!.users).toBe(USERS);

    const counted = inNamespace(NS_A, process.execPath, ['-e', `fetch('http://${ADDRESS_A}:8000/__count').then((r) => r.text()).then((t) => process.stdout.write(t))`]);
    const served = (JSON.parse(String((await counted).stdout)) as Record<string, number>)[`/${marker}/remote_worker`] ?? 0;
    expect(served).toBeGreaterThan(0);
    expect(served - stored.finalMetrics!.totalRequests).toBeGreaterThanOrEqual(0);
    expect(served - stored.finalMetrics!.totalRequests).toBeLessThanOrEqual(USERS);
  }, 120_000);
});
