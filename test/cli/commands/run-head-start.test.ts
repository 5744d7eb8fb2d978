// `loadctl run` checks its script's syntax through the Locust it starts early: the plugin says
// the script compiled, so no separate Python starts; a script that does not compile still gets
// the clear error with line and column (issue 14). Real Locust; its Python is wrapped to count
// the separate checks.
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRunHeadStart, type RunHeadStart } from '../../../src/cli/commands/_run-head-start.js';
import { loadConfig } from '../../../src/config/load-config.js';
import { LoadctlError } from '../../../src/domain/errors.js';
import { createPythonSyntaxChecker } from '../../../src/locust/syntax-check.js';
import { locustBinForTests } from '../../support/locust-runtime.js';
import { captureIo } from './_io.js';

const GOOD = ['from locust import HttpUser, task', '', '', 'class Visitor(HttpUser):', '    @task', '    def visit(self):', '        self.client.get("/")', ''].join('\n');
const BROKEN = ['from locust import HttpUser, task', '', '', 'class Visitor(HttpUser):', '    def visit(self:', '        pass', ''].join('\n');

describe('the syntax check of a head-started run', () => {
  let dir: string;
  let calls: string;
  let python: string;
  const started: RunHeadStart[] = [];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'loadctl-run-head-start-'));
    // A Locust whose sibling `python` (the one that checks scripts) notes each start.
    const realLocust = locustBinForTests();
    calls = join(dir, 'python-calls');
    writeFileSync(calls, '');
    python = join(dir, 'python');
    writeFileSync(python, `#!/bin/sh\necho "$*" >> '${calls}'\nexec '${join(dirname(realLocust), 'python')}' "$@"\n`);
    writeFileSync(join(dir, 'locust'), `#!/bin/sh\nexec '${realLocust}' "$@"\n`);
    chmodSync(python, 0o755);
    chmodSync(join(dir, 'locust'), 0o755);
  });
  afterAll(async () => {
    await Promise.all(started.map((early) => early.headStart.discard()));
    rmSync(dir, { recursive: true, force: true });
  });

  const headStart = async (script: string): Promise<RunHeadStart> => {
    const config = loadConfig({ flags: { dataDir: join(dir, 'data'), locustBin: join(dir, 'locust') }, env: {}, cwd: dir, homeDir: dir, readFile: () => null });
    const early = await startRunHeadStart(config, captureIo().io, script, 'http://127.0.0.1:9');
    started.push(early);
    return early;
  };
  const separateChecks = (): string[] => readFileSync(calls, 'utf8').split('\n').filter((line) => line.startsWith('-c '));

  it('a script that compiles: Locust says so, and no separate Python checks it', async () => {
    const early = await headStart(GOOD);
    await expect(early.checkScript(GOOD)).resolves.toBeUndefined();
    await expect(early.headStart.compiled()).resolves.toBe(true);
    expect(separateChecks()).toEqual([]);
    // Another script (not the one Locust runs) is still checked on its own.
    await expect(early.checkScript(`${GOOD}# changed\n`)).resolves.toBeUndefined();
    expect(separateChecks()).toHaveLength(1);
  });

  it('a script that does not compile: the same error as the separate check, with line and column', async () => {
    writeFileSync(calls, '');
    const early = await headStart(BROKEN);
    const error = await early.checkScript(BROKEN).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    await expect(early.headStart.compiled()).resolves.toBe(false);
    expect(error).toBeInstanceOf(LoadctlError);
    expect((error as LoadctlError).code).toBe('LOADCTL_SCRIPT_SYNTAX');
    expect((error as LoadctlError).message).toMatch(/syntax error at line 5, column \d+: .*\n {2}5 \| {5}def visit\(self:/);
    expect((error as LoadctlError).details).toMatchObject({ line: 5, column: 14 });
    const direct = await createPythonSyntaxChecker(python)(BROKEN).catch((caught: unknown) => caught);
    expect((error as LoadctlError).message).toBe((direct as LoadctlError).message);
  });
});
