import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LoadctlError } from '../../../src/domain/errors.js';
import { writeReportFiles, type ChartLibrary } from '../../../src/cli/reports/index.js';
import { makeReportInput } from './_fixtures.js';

const workDir = mkdtempSync(join(tmpdir(), 'loadctl-report-files-'));
const fakeLibrary = async (): Promise<ChartLibrary> => ({ name: 'uPlot', version: 'test', script: 'window.uPlot = function () {};', css: '' });

afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe('writeReportFiles', () => {
  it('writes each requested format, creating missing folders', async () => {
    const paths = { json: join(workDir, 'a/b/run.json'), junit: join(workDir, 'c/junit.xml'), html: join(workDir, 'report.html') };
    const written = await writeReportFiles(paths, makeReportInput(), { loadChartLibrary: fakeLibrary });
    expect(written).toEqual([paths.json, paths.junit, paths.html]);
    expect(JSON.parse(readFileSync(paths.json, 'utf8'))).toMatchObject({ schemaVersion: 1, run: { id: 'run_7f3a9c' } });
    expect(readFileSync(paths.junit, 'utf8')).toMatch(/^<\?xml/);
    expect(readFileSync(paths.html, 'utf8')).toContain('window.uPlot = function () {};');
    // No temporary files left next to the reports.
    expect(readdirSync(workDir).sort()).toEqual(['a', 'c', 'report.html']);
  });

  it('inlines the real uPlot when no library is passed in', async () => {
    const [html] = await writeReportFiles({ html: join(workDir, 'real.html') }, makeReportInput());
    expect(readFileSync(html!, 'utf8')).toMatch(/https:\/\/github.com\/leeoniya\/uPlot \(v1\.\d+\.\d+\)/);
  });

  it('writes nothing when no format is asked for', async () => {
    expect(await writeReportFiles({}, makeReportInput())).toEqual([]);
  });

  it('fails with LOADCTL_REPORT_WRITE_FAILED naming the path when it cannot write', async () => {
    const folder = join(workDir, 'is-a-folder.json');
    mkdirSync(folder);
    const error = await writeReportFiles({ json: folder }, makeReportInput()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LoadctlError);
    expect(error).toMatchObject({ code: 'LOADCTL_REPORT_WRITE_FAILED', details: { path: folder } });
    expect((error as Error).message).toContain(folder);
  });
});

describe('writeReportFiles when one report fails', () => {
  it('still writes the others, then fails naming every path that could not be written', async () => {
    const dir = join(workDir, 'partial');
    mkdirSync(join(dir, 'taken.xml'), { recursive: true });
    const paths = { json: join(dir, 'run.json'), junit: join(dir, 'taken.xml'), html: join(dir, 'report.html') };
    const error = await writeReportFiles(paths, makeReportInput(), { loadChartLibrary: fakeLibrary }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'LOADCTL_REPORT_WRITE_FAILED', details: { path: paths.junit, failed: [paths.junit], written: [paths.json, paths.html] } });
    expect((error as Error).message).toContain(`The other reports were written: ${paths.json}, ${paths.html}`);
    expect(readFileSync(paths.html, 'utf8')).toContain('window.uPlot');
    expect(readdirSync(dir).sort()).toEqual(['report.html', 'run.json', 'taken.xml']);
  });
});
