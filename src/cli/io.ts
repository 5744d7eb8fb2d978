/** The terminal a command talks to; passed in so tests can capture it. */
export interface CliIo {
  stdout: NodeJS.WriteStream | { write(text: string): boolean; isTTY?: boolean; columns?: number };
  stderr: NodeJS.WriteStream | { write(text: string): boolean; isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
  homeDir: string;
}

/** Live redraws and spinners only on a real terminal, and never in CI. */
export function isInteractive(io: CliIo): boolean {
  return Boolean(io.stdout.isTTY) && !isCi(io.env);
}

export function isCi(env: NodeJS.ProcessEnv): boolean {
  return env.CI !== undefined && env.CI !== '' && env.CI !== 'false' && env.CI !== '0';
}

/** NO_COLOR with any value turns colour off; FORCE_COLOR turns it on anywhere. */
export function useColor(io: CliIo): boolean {
  if (io.env.NO_COLOR !== undefined) return false;
  if (io.env.FORCE_COLOR !== undefined && io.env.FORCE_COLOR !== '0') return true;
  return isInteractive(io);
}

export function widthOf(io: CliIo): number {
  return ('columns' in io.stdout && io.stdout.columns) || 120;
}
