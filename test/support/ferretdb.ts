// Starts the FerretDB test server (tools/ferretdb, built by scripts/build-ferretdb.sh) as a
// child process and hands back its MongoDB URI.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface FerretDb {
  uri: string;
  /** The server's process id, e.g. to freeze it with SIGSTOP. */
  pid: number;
  /** Stops the server and waits for it to exit. Safe to call twice. */
  stop(): Promise<void>;
}

export interface StartFerretDbOptions {
  dataDir: string;
  /** host:port to listen on; a free loopback port by default. */
  listen?: string;
  binary?: string;
  startTimeoutMs?: number;
}

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The binary LOADCTL_FERRETDB_BIN names, else the one scripts/build-ferretdb.sh builds. */
export function resolveFerretDbBinary(env: NodeJS.ProcessEnv = process.env): string {
  return env.LOADCTL_FERRETDB_BIN || `${REPO_ROOT}.cache/bin/ferretdb-test`;
}

export function hasFerretDbBinary(env: NodeJS.ProcessEnv = process.env): boolean {
  return existsSync(resolveFerretDbBinary(env));
}

export async function startFerretDb(options: StartFerretDbOptions): Promise<FerretDb> {
  const binary = options.binary ?? resolveFerretDbBinary();
  const args = ['--data-dir', options.dataDir, '--listen', options.listen ?? '127.0.0.1:0'];
  // stdin stays open as a pipe: the server exits when it closes, so it dies with us.
  const child = spawn(binary, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const uri = await readUri(child, binary, options.startTimeoutMs ?? 20_000);
  return { uri, pid: child.pid!, stop: () => stopChild(child) };
}

function readUri(child: ChildProcess, binary: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    const fail = (reason: string) => {
      cleanup();
      child.kill('SIGKILL');
      reject(new Error(`FerretDB (${binary}) did not start: ${reason}${stderr ? `\n${stderr.trim()}` : ''}`));
    };
    const onStdout = (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = stdout.split('\n').find((candidate) => candidate.startsWith('mongodb://'));
      if (line) {
        cleanup();
        resolve(line.trim());
      }
    };
    const onStderr = (chunk: Buffer) => (stderr += chunk.toString());
    const onError = (error: Error) => fail(error.message);
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => fail(`it exited (${signal ?? code})`);
    const timer = setTimeout(() => fail(`no URI on stdout after ${timeoutMs} ms`), timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      child.stdout?.off('data', onStdout);
      child.off('error', onError);
      child.off('exit', onExit);
      // Keep draining both streams, so a chatty server never blocks on a full pipe.
      child.stdout?.resume();
      child.stderr?.resume();
    };
    child.stdout?.on('data', onStdout);
    child.stderr?.on('data', onStderr);
    child.once('error', onError);
    child.once('exit', onExit);
  });
}

async function stopChild(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // A test may have frozen it (SIGSTOP): a stopped process would not act on SIGTERM.
  child.kill('SIGCONT');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
  child.stdin?.destroy();
}
