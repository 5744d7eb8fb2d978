import { fileURLToPath } from 'node:url';
import { execa, type ResultPromise } from 'execa';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = fileURLToPath(new URL('../../bin/loadctl', import.meta.url));

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI (dist/) as a separate process, the way a person or a CI step does. */
export function startCli(args: readonly string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {}): ResultPromise<{ reject: false }> {
  return execa(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? REPO_ROOT,
    env: { CI: 'true', NO_COLOR: '1', ...options.env },
    reject: false,
    timeout: options.timeoutMs ?? 120_000,
    forceKillAfterDelay: 5_000,
  }) as ResultPromise<{ reject: false }>;
}

export async function runCli(args: readonly string[], options: Parameters<typeof startCli>[1] = {}): Promise<CliResult> {
  const result = await startCli(args, options);
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}
