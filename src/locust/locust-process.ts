import { spawn, type ChildProcess } from 'node:child_process';
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
  /**
   * Folders after loadctl's plugin on PYTHONPATH: a bundle's root (its imports first, as when
   * run by hand), Locust's site-packages, then the run's requirements (requirements-env.ts).
   */
  pythonPath?: readonly string[];
  /** A master of Locust's distributed mode, listening for workers on bindHost:bindPort; absent: one process. */
  master?: { bindHost: string; bindPort: number };
}

/** A Locust worker of a master (Locust's distributed mode): no web UI, it reports to the master. */
export interface LocustWorkerLaunch {
  runtime: LocustRuntime;
  scriptPath: string;
  workDir: string;
  masterHost: string;
  masterPort: number;
  extraArgs?: readonly string[];
  env?: NodeJS.ProcessEnv;
  /** As LocustLaunch's: a worker imports what its master imports. */
  pythonPath?: readonly string[];
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
  /** Resolves when the plugin says the locustfile compiled (its "loadctl plugin imported" line, printed on import); never rejects. */
  announcedCompiled: Promise<void>;
  hasExited(): boolean;
  outputTail(): string[];
  /**
   * SIGTERM to Locust's whole process group, SIGKILL to it after `graceMs`, and SIGKILL to what
   * is left of the group once Locust has exited; resolves when Locust is gone.
   */
  terminate(graceMs?: number): Promise<LocustExit>;
}

export type LocustSpawner = (launch: LocustLaunch) => LocustProcess;
export type LocustWorkerSpawner = (launch: LocustWorkerLaunch) => LocustProcess;

const TAIL_LINES = 40;
/** What loadctl_plugin.py logs once Locust's web UI is listening with the plugin's routes. */
export const PLUGIN_READY_LINE = 'loadctl plugin ready';
/** What loadctl_plugin.py prints when imported: the locustfile that imports it compiled. */
export const PLUGIN_IMPORTED_LINE = 'loadctl plugin imported';

export const spawnLocust: LocustSpawner = (launch) => {
  const args = [
    '-f', launch.scriptPath,
    '--web-host', '127.0.0.1',
    '--web-port', String(launch.webPort),
    '--host', launch.targetUrl,
    ...(launch.master ? ['--master', '--master-bind-host', launch.master.bindHost, '--master-bind-port', String(launch.master.bindPort)] : []),
    ...(launch.extraArgs ?? []),
  ];
  return startLocust(launch, args, `http://127.0.0.1:${launch.webPort}`);
};

export const spawnLocustWorker: LocustWorkerSpawner = (launch) => {
  const args = ['-f', launch.scriptPath, '--worker', '--master-host', launch.masterHost, '--master-port', String(launch.masterPort), ...(launch.extraArgs ?? [])];
  return startLocust({ ...launch, launchToken: '' }, args, '');
};

function startLocust(launch: Pick<LocustLaunch, 'runtime' | 'workDir' | 'env' | 'launchToken' | 'pythonPath'>, locustArgs: readonly string[], webUrl: string): LocustProcess {
  const [file, ...leading] = launch.runtime.command;
  const args = [...leading, ...locustArgs];
  const tail: string[] = [];
  // node:child_process, not execa: `loadctl run` starts Locust before anything else loads, and
  // execa's ~250 KB of modules would delay that start by tens of milliseconds (issue 14).
  const child: ChildProcess = spawn(file!, args, {
    cwd: launch.workDir,
    env: {
      ...process.env,
      ...launch.env,
      PYTHONPATH: [LOCUST_ASSETS_DIR, ...(launch.pythonPath ?? []), process.env.PYTHONPATH].filter(Boolean).join(delimiter),
      PYTHONUNBUFFERED: '1',
      LOADCTL_LAUNCH_TOKEN: launch.launchToken,
      LOADCTL_PARENT_PID: String(process.pid),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Own process group: Ctrl+C in a terminal reaches loadctl only, which stops the run
    // cleanly; the plugin quits Locust if loadctl dies (LOADCTL_PARENT_PID).
    detached: true,
  });

  let announceReady: () => void = () => {};
  const announcedReady = new Promise<void>((resolve) => (announceReady = resolve));
  let announceCompiled: () => void = () => {};
  const announcedCompiled = new Promise<void>((resolve) => (announceCompiled = resolve));
  const keep = (line: string): void => {
    if (line.includes(PLUGIN_READY_LINE)) announceReady();
    // Not kept for the exit reason: it says nothing about why Locust stopped.
    if (line.startsWith(PLUGIN_IMPORTED_LINE)) return announceCompiled();
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
  let resolveExited: (exit: LocustExit) => void = () => {};
  const exited = new Promise<LocustExit>((resolve) => (resolveExited = resolve));
  const finish = (exitCode: number | null | undefined, signal: string | null | undefined): void => {
    if (done) return;
    done = true;
    resolveExited({ ...(typeof exitCode === 'number' ? { exitCode } : {}), ...(signal ? { signal } : {}), outputTail: [...tail] });
  };
  // Locust's exit, not the end of its output: forked `--processes` workers and a wrapper's
  // children hold the pipes open after Locust is gone. Its last lines get a moment to arrive.
  child.once('exit', (exitCode, signal) => {
    const timer = setTimeout(() => finish(exitCode, signal), OUTPUT_SETTLE_MS);
    child.once('close', () => {
      clearTimeout(timer);
      finish(exitCode, signal);
    });
  });
  // A process that never started (not executable, no such file) has no 'exit': its 'error' tells.
  child.once('error', () => finish(undefined, undefined));

  return {
    ...(child.pid === undefined ? {} : { pid: child.pid }),
    webUrl,
    exited,
    announcedReady,
    announcedCompiled,
    hasExited: () => done,
    outputTail: () => [...tail],
    async terminate(graceMs = 5_000) {
      if (child.pid === undefined) return exited;
      const group = child.pid;
      if (!done) {
        // The group, not only Locust: `--processes N` children and a wrapper script's Locust
        // (a --locust-bin that does not exec) are in it, and would outlive a signal to the leader.
        signalGroup(group, 'SIGTERM');
        const timer = setTimeout(() => signalGroup(group, 'SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      }
      signalGroup(group, 'SIGKILL');
      await groupGone(group, GROUP_GONE_WAIT_MS);
      return exited;
    },
  };
}

const GROUP_GONE_WAIT_MS = 2_000;
const OUTPUT_SETTLE_MS = 500;

/** Signals every process of the group; a group already gone is not an error. */
function signalGroup(group: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-group, signal);
    return true;
  } catch {
    return false; // ESRCH: nobody left in it
  }
}

/** Waits, up to `timeoutMs`, until no process of the group is left (an unreaped zombie still counts). */
async function groupGone(group: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (signalGroup(group, 0) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
}
