// Checks, before any load, that each report file can be written where it was asked: a run
// of many minutes must not end with "cannot write junit.xml". Nothing is created here; the
// writer creates missing folders after the run.
import { accessSync, constants, statSync, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { LoadctlError } from '../../domain/errors.js';
import type { ReportPaths } from './write-report-files.js';

const FLAGS: Record<keyof ReportPaths, string> = { json: '--json', junit: '--junit', html: '--html' };

/**
 * Throws LOADCTL_REPORT_PATH_INVALID naming the flag and the path of the first report that
 * cannot be written. Relative paths resolve against `cwd`, as the writer resolves them.
 */
export function checkReportPaths(paths: ReportPaths, cwd = process.cwd()): void {
  const seen = new Map<string, string>();
  for (const key of Object.keys(FLAGS) as Array<keyof ReportPaths>) {
    const given = paths[key];
    if (!given) continue;
    const flag = FLAGS[key];
    const target = resolve(cwd, given);
    const problem = problemOrFailure(target) ?? (seen.has(target) ? `${seen.get(target)} writes the same file` : undefined);
    if (problem) {
      throw new LoadctlError('LOADCTL_REPORT_PATH_INVALID', `${flag} ${given}: cannot write the report there: ${problem}. Choose another path (missing folders are created).`, {
        details: { flag, path: target },
      });
    }
    seen.set(target, flag);
  }
}

function problemOrFailure(target: string): string | undefined {
  try {
    return problemWith(target);
  } catch (error) {
    // EACCES on a folder we may not even look into, ELOOP, …: the writer would fail the same way.
    return `it cannot be checked (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`;
  }
}

/** Why `target` cannot be written, or undefined when it can. */
function problemWith(target: string): string | undefined {
  const existing = statOrUndefined(target);
  if (existing?.isDirectory()) return `${target} is a folder`;
  // The file is written beside itself then renamed: its folder (or the nearest one that
  // exists, where the missing ones will be created) must be a writable folder.
  let folder = dirname(target);
  let stats = statOrUndefined(folder);
  while (!stats && dirname(folder) !== folder) {
    folder = dirname(folder);
    stats = statOrUndefined(folder);
  }
  if (!stats) return `none of its folders exists`;
  if (!stats.isDirectory()) return `${folder} is a file, not a folder`;
  try {
    accessSync(folder, constants.W_OK | constants.X_OK);
  } catch {
    return `no permission to write in ${folder}`;
  }
  return undefined;
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // ENOTDIR: a part of the path is a file; the walk up finds which.
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}
