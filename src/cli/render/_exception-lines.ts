// Task exceptions under the summary: how often, where in the script, and what was raised.
import type { ExceptionEntry } from '../../domain/types.js';
import type { Palette } from './_palette.js';
import { truncateEnd } from './_text.js';
import { formatCount } from './format.js';

const TOP_EXCEPTIONS = 5;
const MESSAGE_WIDTH = 100;

export function exceptionLines(exceptions: readonly ExceptionEntry[], palette: Palette): string[] {
  const sorted = [...exceptions].sort((a, b) => b.count - a.count);
  const shown = sorted.slice(0, TOP_EXCEPTIONS).map((entry) => {
    const where = entry.where ? ` at ${entry.where}` : '';
    return `  ${palette.failures(`${formatCount(entry.count)}×`, entry.count)} ${truncateEnd(entry.message, MESSAGE_WIDTH)}${where}`;
  });
  const hidden = sorted.length - shown.length;
  return [
    palette.bold(`Task exceptions${sorted.length > TOP_EXCEPTIONS ? ` (${TOP_EXCEPTIONS} of ${sorted.length})` : ''}`),
    ...shown,
    ...(hidden > 0 ? [palette.dim(`  … and ${hidden} more kinds of exception`)] : []),
    palette.dim('  Tracebacks: loadctl runs show RUN_ID --json, or the --json / --junit / --html reports'),
  ];
}
