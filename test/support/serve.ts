import { get } from 'node:http';
import { startCli } from './cli.js';

export interface ServeProcess {
  url: string;
  pid: number;
  output(): string;
  stop(): Promise<number | undefined>;
  /** Kills it with `signal` and waits until it has exited. */
  kill(signal: NodeJS.Signals): Promise<void>;
}

/** Starts `loadctl serve …` as its own process and resolves with its URL once it listens. */
export async function startServe(args: readonly string[], options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<ServeProcess> {
  const child = startCli(['serve', ...args], { env: options.env ?? {}, timeoutMs: 600_000 });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`loadctl serve did not start within ${options.timeoutMs ?? 30_000}ms:\n${output}`)), options.timeoutMs ?? 30_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stderr?.on('data', onData);
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void child.then((result) => {
      clearTimeout(timer);
      reject(new Error(`loadctl serve exited (${result.exitCode}) before listening:\n${output}`));
    });
  });
  return {
    url,
    pid: child.pid!,
    output: () => output,
    async kill(signal) {
      child.kill(signal);
      await child;
    },
    async stop() {
      child.kill('SIGTERM');
      const result = await child;
      return result.exitCode;
    },
  };
}

/** Polls `read` until `done` holds or the deadline passes; never a blind sleep. */
export async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, options: { timeoutMs: number; what: string }): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  let last: T = await read();
  while (!done(last)) {
    if (Date.now() > deadline) throw new Error(`timed out after ${options.timeoutMs}ms waiting for ${options.what}; last value: ${JSON.stringify(last)?.slice(0, 500)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    last = await read();
  }
  return last;
}

/** Whether anything answers HTTP at `url` (any status): a Locust started by a test is up. */
export function answersHttp(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const request = get(url, (response) => {
      response.resume();
      resolve(true);
    });
    request.on('error', () => resolve(false));
    request.setTimeout(2000, () => request.destroy());
  });
}
