import { describe, expect, it } from 'vitest';
import { LoadctlError } from '../../src/domain/errors.js';
import { missingModuleHint, parseRequirements } from '../../src/domain/requirements.js';
import { sha256Of } from '../../src/domain/script-source.js';

function errorOf(call: () => unknown): LoadctlError {
  try {
    call();
  } catch (error) {
    if (error instanceof LoadctlError) return error;
    throw error;
  }
  throw new Error('expected a LoadctlError');
}

describe('parseRequirements', () => {
  it('keeps one requirement per line, without comments, blank lines or line continuations', () => {
    const parsed = parseRequirements('\uFEFF# packages the script imports\n\ninflection==0.5.1   # underscore()\r\nrequests>=2 \\\n  ; python_version >= "3.9"\n--prefer-binary\n', 'req.txt');
    expect(parsed?.text).toBe('inflection==0.5.1\nrequests>=2   ; python_version >= "3.9"\n--prefer-binary\n');
    expect(parsed?.sha256).toBe(sha256Of(parsed!.text));
  });

  it('gives the same text (and hash) for a file and for the same list written otherwise', () => {
    expect(parseRequirements('inflection==0.5.1  # comment\n', 'file')).toEqual(parseRequirements('  inflection==0.5.1', 'yaml list'));
  });

  it('keeps a # that is part of a URL fragment', () => {
    expect(parseRequirements('pkg @ https://example.test/pkg-1.0.tar.gz#sha256=abc', 'req')?.text).toBe('pkg @ https://example.test/pkg-1.0.tar.gz#sha256=abc\n');
  });

  it('is null when only comments and blank lines are left', () => {
    expect(parseRequirements('# nothing yet\n\n   \n', 'req')).toBeNull();
  });

  it.each(['-r base.txt', '--requirement=base.txt', '-c constraints.txt', '-e ./mylib', '--editable ./mylib'])('refuses %s: it names a file of one machine', (line) => {
    const error = errorOf(() => parseRequirements(`inflection==0.5.1\n${line}\n`, '--requirements (req.txt)'));
    expect(error.code).toBe('LOADCTL_REQUIREMENTS_INVALID');
    expect(error.message).toContain('--requirements (req.txt)');
    expect(error.message).toContain(line);
    expect(error.httpStatus).toBe(400);
  });

  it('refuses a text over 64 KiB or 500 lines', () => {
    expect(errorOf(() => parseRequirements('x'.repeat(64 * 1024 + 1), 'req')).message).toContain('64 KiB');
    expect(errorOf(() => parseRequirements(Array.from({ length: 501 }, (_, index) => `pkg${index}`).join('\n'), 'req')).message).toContain('501 lines');
  });
});

describe('missingModuleHint', () => {
  it('names --requirements and requirements: for a module the script imports but nobody installed', () => {
    const hint = missingModuleHint("ModuleNotFoundError: No module named 'inflection'", false);
    expect(hint).toContain('"inflection"');
    expect(hint).toContain('--requirements FILE');
    expect(hint).toContain('`requirements:` in loadctl.yaml');
  });

  it('names the top-level package of a dotted module', () => {
    expect(missingModuleHint("ModuleNotFoundError: No module named 'google.protobuf'", false)).toContain('"google"');
  });

  it('says the run’s own requirements lack it when the run had requirements', () => {
    expect(missingModuleHint("ModuleNotFoundError: No module named 'yaml'", true)).toMatch(/run's requirements do not install "yaml".*--requirements/);
  });

  it('adds nothing to other errors', () => {
    expect(missingModuleHint('NameError: name "x" is not defined', false)).toBeUndefined();
    expect(missingModuleHint("ImportError: cannot import name 'task' from 'locust'", false)).toBeUndefined();
  });
});
