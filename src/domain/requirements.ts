// The Python packages a run's script needs besides Locust (`--requirements FILE`, `requirements:`
// in loadctl.yaml). Pure: normalising, checking and hashing the text, and the hint for a script
// that imports a module nobody installed. Installing them is src/locust/requirements-env.ts.
import { LoadctlError } from './errors.js';
import { sha256Of } from './script-source.js';

/** What a run stores and the API shows: the normalised requirements and their sha256. */
export interface RunRequirements {
  /** One requirement (or pip option) per line, comments and blank lines removed. */
  text: string;
  sha256: string;
}

export const MAX_REQUIREMENTS_BYTES = 64 * 1024;
const MAX_REQUIREMENT_LINES = 500;

// They name files or folders of the machine that wrote them: the text must install the same
// environment on the control plane's machine and on every worker's.
const LOCAL_REFERENCES = /^(-r|--requirement|-c|--constraint|-e|--editable)\b/;

/**
 * Checks and normalises a requirements text (pip's requirements-file syntax). `source` names
 * where it came from in messages. Null when nothing is left (only comments or blank lines).
 */
export function parseRequirements(text: string, source: string): RunRequirements | null {
  if (Buffer.byteLength(text, 'utf8') > MAX_REQUIREMENTS_BYTES) {
    throw invalidRequirements(source, `is over ${MAX_REQUIREMENTS_BYTES / 1024} KiB; list only the packages the script imports`);
  }
  const lines = logicalLines(text)
    .map((line) => line.replace(/(^|\s)#.*$/, '').trim())
    .filter((line) => line !== '');
  if (lines.length > MAX_REQUIREMENT_LINES) throw invalidRequirements(source, `has ${lines.length} lines; at most ${MAX_REQUIREMENT_LINES} are accepted`);
  for (const [index, line] of lines.entries()) {
    if (LOCAL_REFERENCES.test(line)) {
      throw invalidRequirements(source, `"${line}" refers to a local file or folder, which other machines do not have; list the packages themselves (requirement ${index + 1})`);
    }
    if (/[\u0000-\u001f\u007f]/.test(line)) throw invalidRequirements(source, `requirement ${index + 1} holds a control character`);
  }
  if (lines.length === 0) return null;
  const normalised = `${lines.join('\n')}\n`;
  return { text: normalised, sha256: sha256Of(normalised) };
}

/** pip joins a line ending in a backslash with the next one. */
function logicalLines(text: string): string[] {
  return text.replace(/^\uFEFF/, '').replace(/\\\r?\n/g, '').split(/\r?\n/);
}

function invalidRequirements(source: string, problem: string): LoadctlError {
  return new LoadctlError('LOADCTL_REQUIREMENTS_INVALID', `${source}: the requirements ${problem}.`, { details: { field: 'requirements' } });
}

const MISSING_MODULE = /ModuleNotFoundError: No module named '([^']+)'/;

/**
 * What to add to Locust's "ModuleNotFoundError: No module named 'x'" so the person knows the fix;
 * undefined for any other error line.
 */
export function missingModuleHint(errorLine: string, hadRequirements: boolean): string | undefined {
  const module = MISSING_MODULE.exec(errorLine)?.[1]?.split('.')[0];
  if (!module) return undefined;
  return hadRequirements
    ? `the run's requirements do not install "${module}": add its package to the file of --requirements or to \`requirements:\` in loadctl.yaml`
    : `the script imports "${module}", which is not installed beside Locust: list its package in a requirements file given with --requirements FILE, or under \`requirements:\` in loadctl.yaml`;
}
