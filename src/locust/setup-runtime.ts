import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { LoadctlError } from '../domain/errors.js';
import { REQUIREMENTS_FILE, venvBin, venvDirOf } from './paths.js';
import { READY_MARKER, findLocustRuntime, lastLine, requirementsDigest, type LocustRuntime } from './runtime.js';

export interface SetupOptions {
  dataDir: string;
  /** The Python that creates the venv; LOADCTL_PYTHON or python3. */
  python: string;
  onStep?: (message: string) => void;
}

/**
 * Creates `<dataDir>/venv` and installs the pinned requirements into it. The ready marker is
 * written last, so an interrupted setup is redone instead of being mistaken for a good one.
 */
export async function setupLocustRuntime({ dataDir, python, onStep = () => {} }: SetupOptions): Promise<LocustRuntime> {
  const venvDir = venvDirOf(dataDir);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  rmSync(join(venvDir, READY_MARKER), { force: true });

  onStep(`Creating a Python virtual environment in ${venvDir}`);
  await runStep([python, '-m', 'venv', venvDir], `Could not create a virtual environment with ${python}. Install Python 3.9+ with its venv module (Debian: apt-get install python3-venv), or set LOADCTL_PYTHON.`, 'LOADCTL_PYTHON_MISSING');

  onStep('Installing Locust (locust/requirements.txt)');
  await runStep(
    [venvBin(venvDir, 'python'), '-m', 'pip', 'install', '--disable-pip-version-check', '--quiet', '-r', REQUIREMENTS_FILE],
    'Installing Locust with pip failed. Check that PyPI is reachable (or a pip mirror is configured), then run `loadctl setup` again.',
    'LOADCTL_SETUP_FAILED',
  );

  writeFileSync(join(venvDir, READY_MARKER), requirementsDigest());
  const runtime = findLocustRuntime({ dataDir });
  if (!runtime) throw new LoadctlError('LOADCTL_SETUP_FAILED', `Setup finished but no Locust was found in ${venvDir}.`);
  return runtime;
}

async function runStep(command: string[], advice: string, code: 'LOADCTL_PYTHON_MISSING' | 'LOADCTL_SETUP_FAILED'): Promise<void> {
  const [file, ...args] = command;
  const result = await execa(file!, args, { reject: false, all: true });
  if (result.failed) {
    const reason = result.code === 'ENOENT' ? `${file} was not found` : lastLine(result.all ?? '') || result.shortMessage;
    throw new LoadctlError(code, `${advice}\n  cause: ${reason}`, { cause: result });
  }
}
