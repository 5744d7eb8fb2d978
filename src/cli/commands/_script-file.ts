import { readFileSync } from 'node:fs';
import { LoadctlError } from '../../domain/errors.js';
import { checkScriptText } from '../../domain/script-source.js';

/** Reads a Locust script from disk, checked to be usable text (size, UTF-8, not empty). */
export function readScriptText(path: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (cause) {
    const why = (cause as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (cause as Error).message;
    throw new LoadctlError('LOADCTL_CONFIG_MISSING', `Cannot read the script ${path}: ${why}.`, { cause });
  }
  return checkScriptText(bytes);
}

/** The script as the API's `scriptContent`: base64 of the clean text. */
export function readScriptContent(path: string): string {
  return Buffer.from(readScriptText(path), 'utf8').toString('base64');
}
