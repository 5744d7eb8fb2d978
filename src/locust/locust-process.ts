import { execa, type ResultPromise } from 'execa';
import type { LocustRuntime } from './runtime.js';
import { LOCUST_ASSETS_DIR } from './paths.js';
import { delimiter } from 'node:path';

export interface LocustLaunch {
  runtime: LocustRuntime;
  scriptPath: string;
  workDir: string;
  targetUrl: string;
  webPort: number;
  launchToken: string;
  extraArgs?: readonly string[];
  env?: NodeJS.ProcessEnv;
}

/** How a Locust process ended: one shape whatever happened. */
export interface LocustExit {
  exitCode?: number;
  signal?: string;
  /** The last lines Locust wrote, for the reason shown to the user. */
  outputTail: string[];
}

export interface LocustProcess {
  pid?: number;
  webUrl: string;
  /** Resolves once the process has exited, never rejects. */
  exited: Promise<LocustExit>;
  /** Resolves when the plugin says its routes are served (its "loadctl plugin ready" line); never rejects. */
  announcedReady: Promise<void>;
  hasExited(): boolean;
  outputTail(): string[];
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. */
  terminate(graceMs?: number): Promise<LocustExit>;
}

export type LocustSpawner = (launch: LocustLaunch) => LocustProcess;

const TAIL_LINES = 40;
/** What loadctl_plugin.py logs once Locust's web UI is listening with the plugin's routes. */
export const PLUGIN_READY_LINE = 'loadctl plugin ready';

export const spawnLocust: LocustSpawner = (launch) => {
  const [file, ...leading] = launch.runtime.command;
  const args = [
    ...leading,
    '-f', launch.scriptPath,
    '--web-host', '127.0.0.1',
    '--web-port', String(launch.webPort),
    '--host', launch.targetUrl,
    ...(launch.extraArgs ?? []),
  ];
  const tail: string[] = [];
  const child: ResultPromise = execa(file!, args, {
    cwd: launch.workDir,
    env: {
      ...launch.env,
      PYTHONPATH: [LOCUST_ASSETS_DIR, process.env.PYTHONPATH].filter(Boolean).join(delimiter),
      PYTHONUNBUFFERED: '1',
      LOADCTL_LAUNCH_TOKEN: launch.launchToken,
      LOADCTL_PARENT_PID: String(process.pid),
    },
    reject: false,
    buffer: false,
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'pipe',
    // Own process group: Ctrl+C in a terminal reaches loadctl only, which stops the run
    // cleanly; the plugin quits Locust if loadctl dies (LOADCTL_PARENT_PID).
    detached: true,
  });

  let announceReady: () => void = () => {};
  const announcedReady = new Promise<void>((resolve) => (announceReady = resolve));
  const keep = (line: string): void => {
    if (line.includes(PLUGIN_READY_LINE)) announceReady();
    if (line.trim() === '') return;
    tail.push(line);
    if (tail.length > TAIL_LINES) tail.shift();
  };
  // A pipe chunk can end in the middle of a line: hold the unfinished piece for the next one.
  const lineCollector = () => {
    let partial = '';
    return {
      add(chunk: Buffer): void {
        const lines = (partial + chunk.toString('utf8')).split(/\r?\n/);
        partial = lines.pop() ?? '';
        lines.forEach(keep);
      },
      flush(): void {
        keep(partial);
        partial = '';
      },
    };
  };
  const stdoutLines = lineCollector();
  const stderrLines = lineCollector();
  child.stdout?.on('data', (chunk: Buffer) => stdoutLines.add(chunk));
  child.stderr?.on('data', (chunk: Buffer) => stderrLines.add(chunk));
  child.stdout?.on('end', () => stdoutLines.flush());
  child.stderr?.on('end', () => stderrLines.flush());

  let done = false;
  const exited: Promise<LocustExit> = child.then(
    (result) => {
      done = true;
      return { ...(result.exitCode === undefined ? {} : { exitCode: result.exitCode }), ...(result.signal ? { signal: result.signal } : {}), outputTail: [...tail] };
    },
    () => {
      done = true;
      return { outputTail: [...tail] };
    },
  );

  return {
    ...(child.pid === undefined ? {} : { pid: child.pid }),
    webUrl: `http://127.0.0.1:${launch.webPort}`,
    exited,
    announcedReady,
    hasExited: () => done,
    outputTail: () => [...tail],
    async terminate(graceMs = 5_000) {
      if (!done) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        const result = await exited;
        clearTimeout(timer);
        return result;
      }
      return exited;
    },
  };
};
