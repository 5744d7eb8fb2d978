import type { CliIo } from '../../../src/cli/io.js';

export interface CapturedIo {
  io: CliIo;
  stdout(): string;
  stderr(): string;
}

/** A terminal that is not one (plain lines, no colour), writing into strings. */
export function captureIo(env: NodeJS.ProcessEnv = {}): CapturedIo {
  let stdout = '';
  let stderr = '';
  return {
    io: {
      stdout: { write: (text: string) => ((stdout += text), true), isTTY: false },
      stderr: { write: (text: string) => ((stderr += text), true), isTTY: false },
      env,
      cwd: process.cwd(),
      homeDir: '/nonexistent',
    },
    stdout: () => stdout,
    stderr: () => stderr,
  };
}
