// `loadctl run` starts Locust before its run exists (locust-head-start.ts): the run adopts it
// only for the same script and target, once; unused, it is quit with its folder removed.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { injectPlugin } from '../../src/domain/inject-plugin.js';
import { findFreePort } from '../../src/locust/free-port.js';
import { spawnLocust, type LocustLaunch, type LocustProcess, type LocustSpawner } from '../../src/locust/locust-process.js';
import { findLocustRuntime } from '../../src/locust/runtime.js';
import { startLocustHeadStart } from '../../src/orchestrator/locust-head-start.js';
import { locustBinForTests } from '../support/locust-runtime.js';

const SCRIPT = injectPlugin('from locust import HttpUser, task\n\n\nclass Visitor(HttpUser):\n    @task\n    def home(self):\n        self.client.get("/")\n');
const TARGET = 'http://127.0.0.1:9';

function recordingSpawner(): { spawn: LocustSpawner; launches: LocustLaunch[]; processes: LocustProcess[] } {
  const launches: LocustLaunch[] = [];
  const processes: LocustProcess[] = [];
  return {
    launches,
    processes,
    spawn: (launch) => {
      launches.push(launch);
      const started = spawnLocust(launch);
      processes.push(started);
      return started;
    },
  };
}

function headStart(spawn: LocustSpawner) {
  const runtime = findLocustRuntime({ dataDir: '/nonexistent', locustBin: locustBinForTests() })!;
  return startLocustHeadStart({ injectedScript: SCRIPT, targetUrl: TARGET, runtime: async () => runtime, spawn, findPort: () => findFreePort('127.0.0.1') });
}

describe('a Locust started before its run', () => {
  it('is adopted once, for its own script and target only', async () => {
    const spawner = recordingSpawner();
    const early = headStart(spawner.spawn);
    expect(await early.take(`${SCRIPT}\n# changed`, TARGET)).toBeUndefined();
    expect(await early.take(SCRIPT, 'http://127.0.0.1:10')).toBeUndefined();
    const taken = await early.take(SCRIPT, TARGET);
    try {
      expect(taken?.locust).toBe(spawner.processes[0]);
      expect(readFileSync(spawner.launches[0]!.scriptPath, 'utf8')).toBe(SCRIPT);
      expect(spawner.launches[0]).toMatchObject({ targetUrl: TARGET, webPort: taken!.webPort, launchToken: taken!.launchToken, workDir: taken!.workDir });
      expect(await early.take(SCRIPT, TARGET)).toBeUndefined();
      // Taken: the run owns it now, so discarding the head start leaves it running.
      await early.discard();
      expect(taken!.locust.hasExited()).toBe(false);
    } finally {
      await taken?.locust.terminate(2_000);
    }
    expect(spawner.launches).toHaveLength(1);
  }, 60_000);

  it('left unused, is quit and its folder removed', async () => {
    const spawner = recordingSpawner();
    const early = headStart(spawner.spawn);
    expect(await early.take('print("another script")\n', TARGET)).toBeUndefined();
    await early.discard();
    expect(spawner.processes).toHaveLength(1);
    expect(spawner.processes[0]!.hasExited()).toBe(true);
    expect(existsSync(spawner.launches[0]!.workDir)).toBe(false);
  }, 60_000);
});
