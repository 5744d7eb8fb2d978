import { createHash } from 'node:crypto';
import { LoadctlError } from './errors.js';

export const MAX_SCRIPT_BYTES = 1024 * 1024;
const BASE64 = /^[A-Za-z0-9+/\r\n]*={0,2}\s*$/;

/** Decodes the `scriptContent` of an upload (base64 of the clean script) and checks it is usable text. */
export function decodeScriptContent(base64: string): string {
  const compact = base64.replace(/\s+/g, '');
  if (!BASE64.test(base64) || compact.length % 4 !== 0) {
    throw new LoadctlError('LOADCTL_SCRIPT_INVALID', 'scriptContent is not valid base64. Encode the script file, e.g. `base64 -w0 locustfile.py`.', { details: { field: 'scriptContent' } });
  }
  return checkScriptText(Buffer.from(compact, 'base64'));
}

/** Checks size, encoding and that the script is not empty; returns it as a string. */
export function checkScriptText(bytes: Uint8Array): string {
  if (bytes.byteLength > MAX_SCRIPT_BYTES) {
    throw new LoadctlError('LOADCTL_SCRIPT_INVALID', `The script is ${bytes.byteLength} bytes; the limit is ${MAX_SCRIPT_BYTES} bytes (1 MiB).`, { details: { field: 'scriptContent' } });
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (cause) {
    throw new LoadctlError('LOADCTL_SCRIPT_INVALID', 'The script is not UTF-8 text. Save it as UTF-8 and upload it again.', { cause, details: { field: 'scriptContent' } });
  }
  if (text.includes('\u0000')) {
    throw new LoadctlError('LOADCTL_SCRIPT_INVALID', 'The script contains NUL bytes; it must be a Python text file.', { details: { field: 'scriptContent' } });
  }
  if (text.trim() === '') {
    throw new LoadctlError('LOADCTL_SCRIPT_INVALID', 'The script is empty. It needs at least one Locust User class.', { details: { field: 'scriptContent' } });
  }
  return text;
}

export function sha256Of(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
