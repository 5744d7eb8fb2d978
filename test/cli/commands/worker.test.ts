// `loadctl worker` against a stand-in control plane over real HTTP (one run, its revision) and
// a recording spawner: what the worker would start Locust with, checked while it "runs" (the
// worker removes its folder afterwards). The whole path with real Locust is
// test/e2e/remote-worker-netns.test.ts; requirements use real pip, offline (--no-index).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWorker } from '../../../src/cli/commands/worker.js';
import { loadConfig } from '../../../src/config/load-config.js';
import { packBundle } from '../../../src/domain/bundle.js';
import { LoadctlError } from '../../../src/domain/errors.js';
import type { LocustProcess, LocustWorkerLaunch } from '../../../src/locust/locust-process.js';
import { locustBinForTests } from '../../support/locust-runtime.js';
import { captureIo } from './_io.js';

const INJECTED = 'import loadctl_plugin  # injected\nfrom helpers.names import NAME\n';
const text = (value: string): Uint8Array => new TextEncoder().encode(value);

describe('loadctl worker', () => {
  let server: Server;
  let url: string;
  let workDir: string;
  // What the stand-in control plane answers for the run and its revision.
  let run: Record<string, unknown>;
  let revision: Record<string, unknown>;

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'loadctl-worker-unit-'));
    server = createServer((request, response) => {
      const send = (body: unknown): void => void response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      if (request.url === '/v1/runs/run_1') return send(run);
      if (request.url === '/v1/load-tests/lt_1/script/revisions') return send({ items: [{ id: 'rev_2', revision: 2 }], total: 1 });
      if (request.url === '/v1/load-tests/lt_1/script/revisions/2') return send(revision);
      response.writeHead(404).end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  const start = async (check: (launch: LocustWorkerLaunch) => void = () => {}) => {
    const config = loadConfig({ flags: { server: url, dataDir: join(workDir, 'data'), locustBin: locustBinForTests() }, env: {}, cwd: workDir, homeDir: workDir, readFile: () => null });
    const captured = captureIo();
    const launches: LocustWorkerLaunch[] = [];
    const spawn = (launch: LocustWorkerLaunch): LocustProcess => {
      launches.push(launch);
      check(launch);
      const exit = Promise.resolve({ exitCode: 0, outputTail: [] });
      return { webUrl: '', exited: exit, announcedReady: Promise.resolve(), announcedCompiled: Promise.resolve(), hasExited: () => true, outputTail: () => [], terminate: () => exit };
    };
    const code = await runWorker({ config, io: captured.io, master: '10.0.0.5', runId: 'run_1', spawn }).catch((error: unknown) => error);
    return { code, launches, stderr: captured.stderr() };
  };
  const baseRun = { id: 'run_1', loadTestId: 'lt_1', scriptRevisionId: 'rev_2', status: 'Starting', expectRemoteWorkers: 1 };
  const bundled = {
    id: 'rev_2',
    revision: 2,
    locustfile: 'locustfile.py',
    injectedScriptContent: Buffer.from(INJECTED).toString('base64'),
    bundle: packBundle([
      { path: 'locustfile.py', content: text('from helpers.names import NAME\n') },
      { path: 'helpers/__init__.py', content: text('') },
      { path: 'helpers/names.py', content: text('NAME = "x"\n') },
      { path: 'data/users.csv', content: text('alice\n') },
    ]),
  };

  it("unpacks a bundle revision: Locust starts in the project folder, which leads its PYTHONPATH, with the injected locustfile", async () => {
    run = baseRun;
    revision = bundled;
    let seen: { files: boolean; script: string } | undefined;
    const result = await start((launch) => {
      seen = { files: ['helpers/names.py', 'data/users.csv'].every((path) => existsSync(join(launch.workDir, path))), script: readFileSync(launch.scriptPath, 'utf8') };
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.launches).toHaveLength(1);
    const [launch] = result.launches;
    expect(launch!.workDir).toMatch(/loadctl-worker-[^/]+\/project$/);
    expect(launch!.scriptPath).toBe(join(launch!.workDir, 'locustfile.py'));
    expect(launch!.pythonPath).toEqual([launch!.workDir]);
    expect(launch!.masterPort).toBe(5557);
    expect(seen).toEqual({ files: true, script: INJECTED });
    expect(result.stderr).toContain('(script revision rev_2, bundle, locustfile.py)');
    // Its folder goes with it.
    expect(existsSync(launch!.workDir)).toBe(false);
  });

  it('a bundle revision served without its archive is refused with LOADCTL_BUNDLE_INVALID, Locust not started', async () => {
    run = baseRun;
    const { bundle: _archive, ...withoutArchive } = bundled;
    revision = withoutArchive;
    const result = await start();
    expect(result.code).toBeInstanceOf(LoadctlError);
    expect((result.code as LoadctlError).code).toBe('LOADCTL_BUNDLE_INVALID');
    expect(result.launches).toHaveLength(0);
  });

  it("installs the run's requirements with this machine's pip: a failure is LOADCTL_REQUIREMENTS_FAILED (exit 2), Locust not started", async () => {
    // --no-index: pip fails at once without asking any registry.
    run = { ...baseRun, requirements: { text: '--no-index\ninflection==0.5.1\n', sha256: 'x' } };
    revision = bundled;
    const result = await start();
    expect(result.code).toBeInstanceOf(LoadctlError);
    expect((result.code as LoadctlError).code).toBe('LOADCTL_REQUIREMENTS_FAILED');
    expect((result.code as LoadctlError).exitCategory).toBe('run');
    expect(result.launches).toHaveLength(0);
  }, 60_000);
});
