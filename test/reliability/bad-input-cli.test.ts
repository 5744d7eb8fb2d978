// Bad command lines and bad script files: each is refused with exit 3 and a message a person
// can act on, never a stack trace, and nothing is started (no Locust) or stored (no run).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../support/cli.js';
import { locustBinForTests } from '../support/locust-runtime.js';
import { MARKER_ENV, locustPids, newMarker, scriptWith, workDir, writeFixture } from './_support.js';

const HOST = 'http://127.0.0.1:9';

interface Case {
  label: string;
  args: (dir: string) => string[];
  message: RegExp;
}

const FLAG_CASES: Case[] = [
  { label: 'an unknown flag', args: (dir) => ['run', '--script', join(dir, 'ok.py'), '--host', HOST, '--bogus-flag'], message: /unknown option '--bogus-flag'/ },
  { label: '--users abc', args: (dir) => ['run', '--script', join(dir, 'ok.py'), '--host', HOST, '--users', 'abc'], message: /--users: expected a whole number.*"abc"/ },
  { label: '--users -1', args: (dir) => ['run', '--script', join(dir, 'ok.py'), '--host', HOST, '--users', '-1'], message: /--users: expected a whole number.*"-1"/ },
  { label: '--users 1e308', args: (dir) => ['run', '--script', join(dir, 'ok.py'), '--host', HOST, '--users', '1e308'], message: /--users: expected a whole number.*"1e308"/ },
  { label: '--duration 0', args: (dir) => ['run', '--script', join(dir, 'ok.py'), '--host', HOST, '--duration', '0'], message: /--duration: expected a duration.*"0"/ },
  { label: '--duration 10x', args: (dir) => ['run', '--script', join(dir, 'ok.py'), '--host', HOST, '--duration', '10x'], message: /--duration: expected a duration.*"10x"/ },
  { label: '--spawn-rate 0', args: (dir) => ['run', '--script', join(dir, 'ok.py'), '--host', HOST, '--spawn-rate', '0'], message: /--spawn-rate: expected a number above 0/ },
  { label: '--metrics-interval -1', args: (dir) => ['run', '--script', join(dir, 'ok.py'), '--host', HOST, '--metrics-interval', '-1'], message: /--metrics-interval: expected a number above 0/ },
  { label: 'a missing script file', args: (dir) => ['run', '--script', join(dir, 'missing.py'), '--host', HOST], message: /Cannot read the script .*missing\.py: no such file/ },
  { label: '--host without a scheme', args: (dir) => ['run', '--script', join(dir, 'ok.py'), '--host', 'localhost:8000'], message: /--host: "localhost:8000" must start with http:\/\/ or https:\/\// },
  { label: 'no script and no host', args: () => ['run'], message: /loadctl run needs a Locust script .* and the target host/ },
  { label: 'an unknown subcommand', args: () => ['frobnicate'], message: /unknown command 'frobnicate'/ },
  { label: 'runs list --limit abc', args: () => ['runs', 'list', '--limit', 'abc'], message: /--limit: expected a whole number/ },
  { label: 'runs show with an id that does not exist', args: () => ['runs', 'show', 'run_doesnotexist'], message: /No run has id run_doesnotexist/ },
];

const SCRIPT_CASES: Case[] = [
  { label: 'a script over 1 MiB', args: (dir) => ['run', '--script', join(dir, 'big.py'), '--host', HOST], message: /The script is 1048579 bytes; the limit is 1048576 bytes \(1 MiB\)/ },
  { label: 'a script that is not UTF-8', args: (dir) => ['run', '--script', join(dir, 'latin1.py'), '--host', HOST], message: /The script is not UTF-8 text/ },
  { label: 'an empty script', args: (dir) => ['run', '--script', join(dir, 'empty.py'), '--host', HOST], message: /The script is empty/ },
  { label: 'a script with NUL bytes', args: (dir) => ['run', '--script', join(dir, 'nul.py'), '--host', HOST], message: /The script contains NUL bytes/ },
  { label: 'a script with a syntax error', args: (dir) => ['run', '--script', join(dir, 'syntax.py'), '--host', HOST], message: /Python syntax error at line 5/ },
  { label: 'a script with no User class', args: (dir) => ['run', '--script', join(dir, 'nouser.py'), '--host', HOST], message: /The script defines no Locust User class/ },
];

describe('bad input on the command line', () => {
  let work: ReturnType<typeof workDir>;
  const results = new Map<string, CliResult>();
  const marker = newMarker('cli');

  beforeAll(async () => {
    work = workDir('cli');
    const dir = work.dir;
    writeFixture(dir, 'ok.py', scriptWith({ task: 'self.client.get("/")' }));
    writeFileSync(join(dir, 'big.py'), `# ${'x'.repeat(1024 * 1024)}\n`);
    writeFileSync(join(dir, 'latin1.py'), Buffer.concat([Buffer.from('# caf'), Buffer.from([0xe9]), Buffer.from('\nfrom locust import HttpUser\n')]));
    writeFileSync(join(dir, 'empty.py'), '   \n\n');
    writeFileSync(join(dir, 'nul.py'), 'from locust import HttpUser\u0000\n');
    writeFixture(dir, 'syntax.py', ['from locust import HttpUser, task', '', '', 'class Visitor(HttpUser):', '    def visit(self:', '        pass']);
    writeFixture(dir, 'nouser.py', ['import os', '', 'print(os.getcwd())']);
    // Two at a time: each is a Node process, the script checks also start Python.
    const cases = [...FLAG_CASES, ...SCRIPT_CASES];
    for (let index = 0; index < cases.length; index += 2) {
      await Promise.all(
        cases.slice(index, index + 2).map(async (entry) => {
          const result = await runCli([...entry.args(dir), '--data-dir', join(dir, 'data'), ...(entry.args(dir)[0] === 'run' ? ['--locust-bin', locustBinForTests()] : [])], {
            env: { [MARKER_ENV]: marker },
            cwd: dir,
            timeoutMs: 60_000,
          });
          results.set(entry.label, result);
        }),
      );
    }
  }, 180_000);

  afterAll(() => work?.remove());

  for (const entry of [...FLAG_CASES, ...SCRIPT_CASES]) {
    it(`${entry.label}: exit 3, the reason on stderr, no stack trace`, () => {
      const result = results.get(entry.label)!;
      const lines = result.stderr.split('\n').filter((line) => line.trim() !== '');
      expect(result.exitCode, `${result.stdout}\n${result.stderr}`).toBe(3);
      expect(lines[0]).toMatch(entry.message);
      // One line says what is wrong; anything after it is an indented hint or excerpt.
      for (const line of lines.slice(1)) expect(line, result.stderr).toMatch(/^\s+\S|^\(run with --help for usage\)$/);
      expect(result.stderr).not.toMatch(/^\s+at /m);
      expect(result.stdout).not.toMatch(/^\s+at /m);
    });
  }

  it('started no Locust and stored no run', async () => {
    expect(locustPids(marker)).toEqual([]);
    const listed = await runCli(['runs', 'list', '--json', '--data-dir', join(work.dir, 'data')]);
    expect(listed.exitCode, listed.stderr).toBe(0);
    expect(JSON.parse(listed.stdout).items).toEqual([]);
  });
});
