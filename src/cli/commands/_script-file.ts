import { readFileSync } from 'node:fs';
import { LoadctlError } from '../../domain/errors.js';
import { checkScriptText } from '../../domain/script-source.js';

/** Reads a Locust script from disk and returns it as the API's `scriptContent` (base64 of the clean text). */
export function readScriptContent(path: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (cause) {
    const why = (cause as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (cause as Error).message;
    throw new LoadctlError('LOADCTL_CONFIG_MISSING', `Cannot read the script ${path}: ${why}.`, { cause });
  }
  return Buffer.from(checkScriptText(bytes), 'utf8').toString('base64');
}
