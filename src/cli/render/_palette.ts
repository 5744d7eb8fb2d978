// Colours for one render call. A Chalk instance per call (never chalk's global level), so
// `color: false` guarantees no ANSI escapes whatever the terminal or environment says.
import { Chalk } from 'chalk';
import type { RunStatus } from '../../domain/types.js';

export interface Palette {
  bold(text: string): string;
  dim(text: string): string;
  /** Colours `text` (default: the status itself) with the status's colour. */
  status(status: RunStatus, text?: string): string;
  /** Red when `count` is above zero, unchanged otherwise. */
  failures(text: string, count: number): string;
}

const STATUS_COLOURS = {
  Pending: 'gray',
  Starting: 'blue',
  Running: 'cyan',
  Stopping: 'magenta',
  Finished: 'green',
  Stopped: 'yellow',
  Failed: 'red',
} as const satisfies Record<RunStatus, string>;

export function createPalette(color: boolean): Palette {
  const chalk = new Chalk({ level: color ? 1 : 0 });
  return {
    bold: (text) => chalk.bold(text),
    dim: (text) => chalk.dim(text),
    status: (status, text = status) => chalk[STATUS_COLOURS[status]](text),
    failures: (text, count) => (count > 0 ? chalk.red(text) : text),
  };
}
