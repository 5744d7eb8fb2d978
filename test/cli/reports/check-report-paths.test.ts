import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LoadctlError } from '../../../src/domain/errors.js';
import { checkReportPaths } from '../../../src/cli/reports/index.js';

const workDir = mkdtempSync(join(tmpdir(), 'loadctl-report-paths-'));
afterAll(() => {
  chmodSync(join(workDir, 'locked'), 0o755);
  rmSync(workDir, { recursive: true, force: true });
});

const failureOf = (run: () => void): LoadctlError => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(LoadctlError);
    return error as LoadctlError;
  }
  throw new Error('expected checkReportPaths to refuse');
};

describe('checkReportPaths', () => {
  writeFileSync(join(workDir, 'some-file'), 'not a folder');
  mkdirSync(join(workDir, 'a-folder'));
  mkdirSync(join(workDir, 'locked'), { mode: 0o555 });

  it('accepts paths whose folders exist or can be created, and no paths at all', () => {
    expect(() => checkReportPaths({})).not.toThrow();
    expect(() => checkReportPaths({ json: join(workDir, 'run.json'), junit: join(workDir, 'new/deeper/junit.xml'), html: 'report.html' }, workDir)).not.toThrow();
  });

  it('refuses a path under a regular file, naming the flag, the path and the file', () => {
    const error = failureOf(() => checkReportPaths({ junit: 'some-file/x.xml' }, workDir));
    expect(error.code).toBe('LOADCTL_REPORT_PATH_INVALID');
    expect(error.exitCategory).toBe('usage');
    expect(error.message).toBe(`--junit some-file/x.xml: cannot write the report there: ${join(workDir, 'some-file')} is a file, not a folder. Choose another path (missing folders are created).`);
    expect(error.details).toEqual({ flag: '--junit', path: join(workDir, 'some-file/x.xml') });
    // Deeper under the file too.
    expect(failureOf(() => checkReportPaths({ html: join(workDir, 'some-file/a/b/r.html') })).message).toContain(`${join(workDir, 'some-file')} is a file, not a folder`);
  });

  it('refuses a path that is a folder', () => {
    const error = failureOf(() => checkReportPaths({ json: join(workDir, 'a-folder') }));
    expect(error.message).toMatch(/^--json .*a-folder: cannot write the report there: .*a-folder is a folder\./);
  });

  it('refuses two flags writing the same file', () => {
    const error = failureOf(() => checkReportPaths({ json: join(workDir, 'same'), html: join(workDir, 'same') }));
    expect(error.message).toContain('--html');
    expect(error.message).toContain('--json writes the same file');
  });

  // Root may write anywhere: permissions only stop other users.
  it.skipIf(process.getuid?.() === 0)('refuses a folder it may not write in', () => {
    const error = failureOf(() => checkReportPaths({ json: join(workDir, 'locked/sub/run.json') }));
    expect(error.message).toContain(`no permission to write in ${join(workDir, 'locked')}`);
  });
});
