// The only I/O of reports: renders the requested formats and writes each file, creating its
// folder. Each file is written whole then renamed, so a CI step never reads half a report.
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { LoadctlError } from '../../domain/errors.js';
import { loadChartLibrary, type ChartLibrary } from './chart-library.js';
import { renderHtmlReport } from './html-report.js';
import { renderJsonReport } from './json-report.js';
import { renderJUnitReport } from './junit-report.js';
import type { ReportInput } from './report-input.js';

export interface ReportPaths {
  json?: string;
  junit?: string;
  html?: string;
}

/** Writes the reports asked for and returns their absolute paths (json, junit, html order). */
export async function writeReportFiles(
  paths: ReportPaths,
  data: ReportInput,
  deps: { loadChartLibrary?: () => Promise<ChartLibrary> } = {},
): Promise<string[]> {
  const files: Array<[string, () => Promise<string>]> = [];
  if (paths.json) files.push([paths.json, async () => `${JSON.stringify(renderJsonReport(data), null, 2)}\n`]);
  if (paths.junit) files.push([paths.junit, async () => renderJUnitReport(data)]);
  if (paths.html) {
    const load = deps.loadChartLibrary ?? loadChartLibrary;
    files.push([paths.html, async () => renderHtmlReport(data, { chartLibrary: await load() })]);
  }
  const written: string[] = [];
  const failed: Array<{ path: string; reason: string; cause: unknown }> = [];
  // Every report is attempted: a CI step that reads the JUnit file should get it even when the HTML one failed.
  for (const [path, render] of files) {
    const target = resolve(path);
    try {
      await writeWhole(target, await render());
      written.push(target);
    } catch (cause) {
      failed.push({ path: target, reason: (cause as NodeJS.ErrnoException).code ?? (cause as Error).message, cause });
    }
  }
  if (failed.length > 0) throw writeFailure(failed, written);
  return written;
}

async function writeWhole(path: string, content: string): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(temporary, content, 'utf8');
    await rename(temporary, path);
  } catch (cause) {
    await rm(temporary, { force: true }).catch(() => undefined);
    throw cause;
  }
}

function writeFailure(failed: Array<{ path: string; reason: string; cause: unknown }>, written: string[]): LoadctlError {
  const list = failed.map(({ path, reason }) => `${path} (${reason})`).join(', ');
  const others = written.length > 0 ? ` The other reports were written: ${written.join(', ')}.` : '';
  return new LoadctlError('LOADCTL_REPORT_WRITE_FAILED', `Cannot write the report ${list}; the run is stored as usual.${others} Choose a path you can write to.`, {
    cause: failed[0]!.cause,
    details: { path: failed[0]!.path, failed: failed.map(({ path }) => path), written },
  });
}
