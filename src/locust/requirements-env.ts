import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { LoadctlError } from '../domain/errors.js';
import { parseRequirements } from '../domain/requirements.js';
import { sha256Of } from '../domain/script-source.js';
import type { LocustRuntime } from './runtime.js';
import { withEnvLock } from './_env-lock.js';

/**
 * An environment of a run's extra packages: a folder pip installed them into (`--target`),
 * put on Locust's PYTHONPATH after Locust's own site-packages, so Locust and its dependencies
 * always come from the environment loadctl set up, never from the extra folder.
 */
export interface RequirementsEnv {
  /** `<dataDir>/envs/<hash>`. */
  envDir: string;
  /** What Locust's PYTHONPATH gets, in order: Locust's site-packages, then the packages' folder. */
  pythonPath: string[];
  /** Of the requirements, the Python and every package of Locust's environment. */
  hash: string;
  /** True when the environment already existed (pip did not run). */
  cached: boolean;
}

export interface PrepareRequirementsOptions {
  dataDir: string;
  runtime: LocustRuntime;
  /** A requirements text (pip's syntax); normalised again here so a worker can pass the run's text as is. */
  requirements: string;
  /** Progress for the person waiting ("Installing …"). */
  onStep?: (message: string) => void;
}

/** Written last into a finished environment; its presence is what "cached" means. */
export const ENV_MARKER = '.loadctl-env.json';
const SITE_DIR = 'site';
const PIP_TIMEOUT_MS = 15 * 60_000;
const PIP_TAIL_LINES = 12;

/** Python asked about itself: version, where its packages live and which are installed. */
interface PythonProbe {
  version: string;
  platform: string;
  sitePackages: string[];
  distributions: [string, string][];
}

const PROBE = [
  'import json, os, site, sys, sysconfig',
  'from importlib import metadata',
  'paths = site.getsitepackages() + [sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]]',
  'dists = {}',
  'for d in metadata.distributions():',
  '    name = d.metadata["Name"]',
  '    if name: dists.setdefault(name.lower().replace("_", "-"), d.version)',
  'print(json.dumps({"version": sys.version, "platform": sysconfig.get_platform(),',
  '    "sitePackages": [p for p in dict.fromkeys(paths) if os.path.isdir(p)], "distributions": sorted(dists.items())}))',
].join('\n');

// One build per environment at a time in this process (a burst of runs with the same requirements).
const building = new Map<string, Promise<RequirementsEnv>>();

/**
 * Installs `requirements` into `<dataDir>/envs/<hash>` for the Python of `runtime`, or reuses that
 * environment when it exists. Built in a temporary folder and renamed into place, so a run never
 * sees a half-installed environment and two processes building the same one do not mix files.
 * pip runs with Locust's installed packages as constraints: a requirement that would change
 * Locust or one of its dependencies fails instead of replacing it. Used by `loadctl run`/`serve`
 * (the orchestrator, before Locust starts) and by a `loadctl worker` with the run's `requirements.text`.
 */
export async function prepareRequirementsEnv(options: PrepareRequirementsOptions): Promise<RequirementsEnv> {
  const { dataDir, runtime, onStep = () => {} } = options;
  const parsed = parseRequirements(options.requirements, 'requirements');
  if (!parsed) return { envDir: '', pythonPath: [], hash: '', cached: true };
  const probe = await probePython(runtime.python);
  const hash = sha256Of(JSON.stringify({ requirements: parsed.text, python: probe.version, platform: probe.platform, locust: probe.distributions })).slice(0, 24);
  const envDir = join(dataDir, 'envs', hash);
  const env = (cached: boolean): RequirementsEnv => ({ envDir, pythonPath: [...probe.sitePackages, join(envDir, SITE_DIR)], hash, cached });
  if (existsSync(join(envDir, ENV_MARKER))) return env(true);

  let build = building.get(envDir);
  if (!build) {
    build = (async () => {
      await mkdir(join(dataDir, 'envs'), { recursive: true, mode: 0o700 });
      const outcome = await withEnvLock(`${envDir}.lock`, () => buildEnv({ envDir, python: runtime.python, requirements: parsed.text, probe, onStep }), {
        ready: () => existsSync(join(envDir, ENV_MARKER)),
        onWait: () => onStep(`Waiting for another loadctl that installs the same requirements into ${envDir}`),
        staleMs: PIP_TIMEOUT_MS + 60_000,
      });
      return env(outcome === 'ready');
    })();
    building.set(envDir, build);
    void build.then(
      () => building.delete(envDir),
      () => building.delete(envDir),
    );
  }
  return build;
}

async function buildEnv(options: { envDir: string; python: string; requirements: string; probe: PythonProbe; onStep: (message: string) => void }): Promise<void> {
  const { envDir, python, requirements, probe, onStep } = options;
  const envsDir = join(envDir, '..');
  const staging = await mkdtemp(join(envsDir, '.building-'));
  try {
    await writeFile(join(staging, 'requirements.txt'), requirements);
    // Pinned to what Locust's environment has, so pip refuses to install other versions of them.
    await writeFile(join(staging, 'locust-constraints.txt'), probe.distributions.map(([name, version]) => `${name}==${version}`).join('\n') + '\n');
    const count = requirements.trim().split('\n').length;
    onStep(`Installing ${count} Python requirement${count === 1 ? '' : 's'} into ${envDir} (first use of these requirements)`);
    const started = Date.now();
    const result = await execa(
      python,
      ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', '--target', join(staging, SITE_DIR), '-c', join(staging, 'locust-constraints.txt'), '-r', join(staging, 'requirements.txt')],
      // Our own PYTHONPATH must not make pip see other packages as installed.
      { reject: false, all: true, timeout: PIP_TIMEOUT_MS, cwd: tmpdir(), env: { PYTHONPATH: '' } },
    );
    if (result.failed) throw pipFailure(result, python);
    await writeFile(join(staging, ENV_MARKER), JSON.stringify({ requirements, python: probe.version, locust: probe.distributions, createdAt: new Date().toISOString() }, null, 2));
    await moveIntoPlace(staging, envDir);
    onStep(`Requirements installed in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** rename() is atomic; when another process finished the same environment first, theirs is kept. */
async function moveIntoPlace(staging: string, envDir: string): Promise<void> {
  try {
    await rename(staging, envDir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if ((code === 'EEXIST' || code === 'ENOTEMPTY') && existsSync(join(envDir, ENV_MARKER))) return;
    if (code === 'EEXIST' || code === 'ENOTEMPTY') {
      // A folder without the marker is not ours to trust (left by hand?): replace it.
      await rm(envDir, { recursive: true, force: true });
      await rename(staging, envDir);
      return;
    }
    throw error;
  }
}

function pipFailure(result: { exitCode?: number; all?: string; code?: string; timedOut: boolean }, python: string): LoadctlError {
  const output = (result.all ?? '').trim();
  const tail = output.split(/\r?\n/).filter((line) => line.trim() !== '').slice(-PIP_TAIL_LINES).map((line) => `    ${line}`).join('\n');
  let why: string;
  if (result.code === 'ENOENT') why = `${python} was not found; run \`loadctl setup\` or check --locust-bin`;
  else if (result.timedOut) why = `pip did not finish within ${PIP_TIMEOUT_MS / 60_000} minutes`;
  else if (/ResolutionImpossible|conflicting dependencies|\(constraint\)/.test(output)) {
    why = `a requirement asks for another version of Locust or of one of its dependencies, which loadctl keeps as installed; remove that requirement or loosen its version (pip exit code ${result.exitCode})`;
  } else why = `pip exit code ${result.exitCode ?? 'unknown'}; check the package names and versions, and that PyPI (or your pip index) is reachable`;
  return new LoadctlError('LOADCTL_REQUIREMENTS_FAILED', `Installing the run's Python requirements failed: ${why}.${tail ? `\n  pip said:\n${tail}` : ''}`, { cause: result });
}

async function probePython(python: string): Promise<PythonProbe> {
  const result = await execa(python, ['-c', PROBE], { reject: false, timeout: 60_000, cwd: tmpdir(), env: { PYTHONPATH: '' } });
  try {
    return JSON.parse(result.stdout) as PythonProbe;
  } catch (cause) {
    throw new LoadctlError('LOADCTL_PYTHON_MISSING', `Could not ask ${python} about its packages: ${result.stderr.trim() || result.shortMessage}. Run \`loadctl doctor\`.`, { cause });
  }
}
