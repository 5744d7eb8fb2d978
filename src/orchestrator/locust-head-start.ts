// `loadctl run` knows its script and target before the control plane is up, and Locust's own
// start (Python, gevent, the script's imports) is the longest step to the first request. So
// Locust is started at once, in parallel with the control plane, and the run adopts it when
// its script and target are the ones it was started with; otherwise it is quit unused.
import { randomBytes } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LocustProcess, LocustSpawner } from '../locust/locust-process.js';
import type { LocustRuntime } from '../locust/runtime.js';
import { createRunDir } from './run-dirs.js';

export interface HeadStartedLocust {
  locust: LocustProcess;
  workDir: string;
  webPort: number;
  /** Random, not derived from a run id: the run does not exist yet when Locust starts. */
  launchToken: string;
}

export interface LocustHeadStart {
  /** The early Locust when it runs this injected script against this target; once. */
  take(injectedScript: string, targetUrl: string): Promise<HeadStartedLocust | undefined>;
  /** Quits the early Locust when no run took it. */
  discard(): Promise<void>;
  /**
   * True once the early Locust's plugin said the script compiled (it is imported from the script);
   * false when Locust ended, or could not start, before saying so, or did not say so in time.
   */
  compiled(): Promise<boolean>;
}

export interface HeadStartOptions {
  injectedScript: string;
  targetUrl: string;
  runtime: () => Promise<LocustRuntime>;
  spawn: LocustSpawner;
  findPort: () => Promise<number>;
  extraArgs?: readonly string[];
  compiledWaitMs?: number;
}

/** A Locust that neither compiled its script nor ended by then is not waited for longer. */
export const COMPILED_WAIT_MS = 15_000;

export function startLocustHeadStart(options: HeadStartOptions): LocustHeadStart {
  let taken = false;
  const dirMade = createRunDir();
  const started: Promise<HeadStartedLocust | undefined> = (async () => {
    const [runtime, workDir, webPort] = await Promise.all([options.runtime(), dirMade, options.findPort()]);
    await writeFile(join(workDir, 'locustfile.py'), options.injectedScript, { mode: 0o600 });
    const launchToken = randomBytes(24).toString('base64url');
    const locust = options.spawn({
      runtime,
      scriptPath: join(workDir, 'locustfile.py'),
      workDir,
      targetUrl: options.targetUrl,
      webPort,
      launchToken,
      ...(options.extraArgs ? { extraArgs: options.extraArgs } : {}),
    });
    return { locust, workDir, webPort, launchToken };
  })().catch(async () => {
    // The run's own launch then starts Locust and reports what fails; the folder made meanwhile goes.
    const madeDir = await dirMade.catch(() => undefined);
    if (madeDir) await rm(madeDir, { recursive: true, force: true }).catch(() => undefined);
    return undefined;
  });
  return {
    async take(injectedScript, targetUrl) {
      if (taken || injectedScript !== options.injectedScript || targetUrl !== options.targetUrl) return undefined;
      const early = await started;
      if (!early || early.locust.hasExited()) return undefined;
      taken = true;
      return early;
    },
    async compiled() {
      const early = await started;
      if (!early) return false;
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), options.compiledWaitMs ?? COMPILED_WAIT_MS)));
      const outcome = await Promise.race([early.locust.announcedCompiled.then(() => true), early.locust.exited.then(() => false), timedOut]);
      clearTimeout(timer);
      return outcome;
    },
    async discard() {
      if (taken) return;
      taken = true;
      const early = await started;
      if (!early) return;
      await early.locust.terminate(2_000);
      await rm(early.workDir, { recursive: true, force: true });
    },
  };
}
