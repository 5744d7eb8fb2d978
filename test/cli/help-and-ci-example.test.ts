// What a pipeline author reads: the exit codes in --help, and the GitHub Actions example using
// only flags and commands loadctl really has.
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { buildProgram, main } from '../../src/cli/main.js';
import { captureIo } from './commands/_io.js';

const EXIT_CODE_LINES = [/^ {2}0 {4}the run finished and every threshold passed/m, /^ {2}1 {4}a threshold failed/m, /^ {2}2 {4}the run failed/m, /^ {2}3 {4}bad usage/m, /^ {2}130 {2}interrupted/m];

describe('--help', () => {
  for (const argv of [['--help'], ['run', '--help'], ['demo', '--help']]) {
    it(`loadctl ${argv.join(' ')} documents every exit code`, async () => {
      const captured = captureIo();
      expect(await main(argv, captured.io)).toBe(0);
      for (const line of EXIT_CODE_LINES) expect(captured.stdout()).toMatch(line);
    });
  }
});

describe('examples/github-actions/loadctl.yml', () => {
  const workflow = parseYaml(readFileSync(new URL('../../examples/github-actions/loadctl.yml', import.meta.url), 'utf8')) as {
    jobs: Record<string, { steps: Array<{ name?: string; run?: string }> }>;
  };
  const commands = Object.values(workflow.jobs)
    .flatMap((job) => job.steps)
    .flatMap((step) => (step.run ?? '').split('\n'))
    .map((line) => /node bin\/loadctl ([\s\S]*)/.exec(line)?.[1])
    .filter((rest): rest is string => rest !== undefined);

  it('runs loadctl with thresholds and all three reports', () => {
    const run = commands.find((command) => command.startsWith('run '));
    expect(run).toBeDefined();
    for (const flag of ['--threshold', '--json', '--junit', '--html']) expect(run).toContain(flag);
  });

  it('uses only commands and flags loadctl has', () => {
    const program = buildProgram(captureIo().io, { code: 0 });
    expect(commands.length).toBeGreaterThanOrEqual(3);
    for (const command of commands) {
      const [name, ...words] = command.replace(/\s*[>&].*$/, '').split(/\s+/);
      const known = program.commands.find((candidate) => candidate.name() === name);
      expect(known, `loadctl ${name}`).toBeDefined();
      const flags = new Set(known!.options.map((option) => option.long));
      for (const flag of words.filter((word) => word.startsWith('--'))) expect(flags, `loadctl ${name} ${flag}`).toContain(flag);
    }
  });
});
