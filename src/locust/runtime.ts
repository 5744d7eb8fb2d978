import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { LoadctlError } from '../domain/errors.js';
import { REQUIREMENTS_FILE, venvBin, venvDirOf } from './paths.js';
import { sha256Of } from '../domain/script-source.js';

/** How to start Locust and which Python checks scripts. */
export interface LocustRuntime {
  /** The command and leading arguments that start Locust, e.g. [venv/bin/python, -m, locust]. */
  command: readonly string[];
  python: string;
  source: 'venv' | 'locust-bin';
}

export const READY_MARKER = '.loadctl-requirements.sha256';

/**
 * Finds the Locust to use: an explicit binary (--locust-bin / LOADCTL_LOCUST) or the virtual
 * environment `loadctl setup` made in the data dir. Null when the venv is missing or stale.
 */
export function findLocustRuntime(options: { dataDir: string; locustBin?: string }): LocustRuntime | null {
  if (options.locustBin) {
    if (!existsSync(options.locustBin)) {
      throw new LoadctlError('LOADCTL_LOCUST_MISSING', `Locust binary ${options.locustBin} (from --locust-bin or LOADCTL_LOCUST) does not exist.`);
    }
    // A locust entry point sits beside the python of its environment.
    const siblingPython = join(dirname(options.locustBin), 'python');
    return { command: [options.locustBin], python: existsSync(siblingPython) ? siblingPython : 'python3', source: 'locust-bin' };
  }
  const venvDir = venvDirOf(options.dataDir);
  const python = venvBin(venvDir, 'python');
  if (!existsSync(python) || !isVenvCurrent(venvDir)) return null;
  return { command: [python, '-m', 'locust'], python, source: 'venv' };
}

export function requirementsDigest(): string {
  return sha256Of(readFileSync(REQUIREMENTS_FILE, 'utf8'));
}

function isVenvCurrent(venvDir: string): boolean {
  const marker = join(venvDir, READY_MARKER);
  return existsSync(marker) && readFileSync(marker, 'utf8').trim() === requirementsDigest();
}

/** Locust's version string, e.g. "2.43.4", or the reason it could not be read. */
export async function readLocustVersion(runtime: LocustRuntime): Promise<{ version?: string; problem?: string }> {
  const [file, ...args] = runtime.command;
  // Loaded here: `loadctl run` finds its runtime before it starts Locust, and needs no version.
  const { execa } = await import('execa');
  const result = await execa(file!, [...args, '--version'], { reject: false, timeout: 30_000 });
  if (result.exitCode !== 0) return { problem: lastLine(result.stderr) || `exit code ${result.exitCode}` };
  const match = /locust\s+([\d.]+\w*)/i.exec(result.stdout);
  return match ? { version: match[1]! } : { problem: `unexpected output: ${lastLine(result.stdout)}` };
}

export function lastLine(text: string): string {
  return text.trim().split(/\r?\n/).pop()?.trim() ?? '';
}
