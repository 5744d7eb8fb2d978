import { describe, expect, it } from 'vitest';
import { loadConfig, type ConfigFlags } from '../../src/config/load-config.js';
import { LoadctlError } from '../../src/domain/errors.js';

const CWD = '/work/shop';

function load(options: { flags?: ConfigFlags; files?: Record<string, string> } = {}) {
  const files = options.files ?? {};
  return loadConfig({ flags: options.flags ?? {}, env: {}, cwd: CWD, homeDir: '/home/dev', readFile: (path) => files[path] ?? null });
}

function errorOf(call: () => unknown): LoadctlError {
  try {
    call();
  } catch (error) {
    if (error instanceof LoadctlError) return error;
    throw error;
  }
  throw new Error('expected a LoadctlError');
}

describe('requirements: and --requirements', () => {
  it('reads --requirements FILE relative to the working directory', () => {
    const config = load({ flags: { requirements: 'req.txt' }, files: { [`${CWD}/req.txt`]: '# for the script\ninflection==0.5.1\n' } });
    expect(config.run.requirements).toEqual({ text: 'inflection==0.5.1\n', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it('reads requirements: as a path relative to the YAML file, or as a list; both give the same hash', () => {
    const asPath = load({ flags: { config: 'ci/loadctl.yaml' }, files: { [`${CWD}/ci/loadctl.yaml`]: 'requirements: deps/req.txt\n', [`${CWD}/ci/deps/req.txt`]: 'inflection==0.5.1\n' } });
    const asList = load({ files: { [`${CWD}/loadctl.yaml`]: 'requirements:\n  - inflection==0.5.1\n' } });
    expect(asPath.run.requirements?.text).toBe('inflection==0.5.1\n');
    expect(asList.run.requirements).toEqual(asPath.run.requirements);
  });

  it('lets --requirements replace the file’s requirements:', () => {
    const config = load({ flags: { requirements: 'other.txt' }, files: { [`${CWD}/loadctl.yaml`]: 'requirements: [six==1.16.0]\n', [`${CWD}/other.txt`]: 'inflection==0.5.1\n' } });
    expect(config.run.requirements?.text).toBe('inflection==0.5.1\n');
  });

  it('has none without either, or when the file holds only comments', () => {
    expect(load().run.requirements).toBeUndefined();
    expect(load({ flags: { requirements: 'req.txt' }, files: { [`${CWD}/req.txt`]: '# later\n' } }).run.requirements).toBeUndefined();
  });

  it('names a missing file and the flag or key it came from (exit 3)', () => {
    const flagged = errorOf(() => load({ flags: { requirements: 'nope.txt' } }));
    expect(flagged.code).toBe('LOADCTL_CONFIG_INVALID');
    expect(flagged.exitCategory).toBe('usage');
    expect(flagged.message).toBe(`--requirements: the requirements file ${CWD}/nope.txt does not exist`);
    const inFile = errorOf(() => load({ files: { [`${CWD}/loadctl.yaml`]: 'requirements: nope.txt\n' } }));
    expect(inFile.message).toBe(`${CWD}/loadctl.yaml: requirements: the requirements file ${CWD}/nope.txt does not exist`);
  });

  it('refuses a mapping, a non-text entry, and a -r line, naming where', () => {
    expect(errorOf(() => load({ files: { [`${CWD}/loadctl.yaml`]: 'requirements: {inflection: 0.5.1}\n' } })).message).toMatch(/requirements: expected a requirements file's path or a list/);
    expect(errorOf(() => load({ files: { [`${CWD}/loadctl.yaml`]: 'requirements: [inflection==0.5.1, 3]\n' } })).message).toMatch(/requirements\[1\]: expected a non-empty text/);
    const local = errorOf(() => load({ flags: { requirements: 'req.txt' }, files: { [`${CWD}/req.txt`]: '-r base.txt\n' } }));
    expect(local.code).toBe('LOADCTL_REQUIREMENTS_INVALID');
    expect(local.exitCategory).toBe('usage');
    expect(local.message).toContain(`--requirements (${CWD}/req.txt): the requirements "-r base.txt" refers to a local file`);
  });
});
