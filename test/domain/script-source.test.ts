import { describe, expect, it } from 'vitest';
import { LoadctlError } from '../../src/domain/errors.js';
import { MAX_SCRIPT_BYTES, checkScriptText, decodeScriptContent, sha256Of } from '../../src/domain/script-source.js';

const SCRIPT = 'from locust import HttpUser, task\n\nclass Shopper(HttpUser):\n    @task\n    def browse(self):\n        self.client.get("/")  # café ✓\n';
const base64 = (value: string | Uint8Array): string => Buffer.from(value).toString('base64');

/** The LoadctlError a call throws, so its code and message can be checked. */
function errorOf(call: () => unknown): LoadctlError {
  try {
    call();
  } catch (error) {
    if (error instanceof LoadctlError) return error;
    throw error;
  }
  throw new Error('expected a LoadctlError, but nothing was thrown');
}

describe('decodeScriptContent', () => {
  it('decodes base64 of a UTF-8 script to the exact text', () => {
    expect(decodeScriptContent(base64(SCRIPT))).toBe(SCRIPT);
  });

  it('accepts base64 wrapped over several lines, as `base64` prints it', () => {
    const wrapped = base64(SCRIPT).replace(/.{76}/g, '$&\n');
    expect(wrapped).toContain('\n');
    expect(decodeScriptContent(`${wrapped}\n`)).toBe(SCRIPT);
  });

  it.each([
    ['text that is not base64', 'class Shopper(HttpUser): pass'],
    ['a length that is not a multiple of 4', 'YWJjZA='],
    ['padding in the middle', 'YQ==YWJj'],
    ['base64url characters', base64('\xfb\xff print(1)').replace(/\+/g, '-').replace(/\//g, '_') + '-_'],
  ])('refuses %s with LOADCTL_SCRIPT_INVALID naming scriptContent', (_name, input) => {
    const error = errorOf(() => decodeScriptContent(input));
    expect(error.code).toBe('LOADCTL_SCRIPT_INVALID');
    expect(error.message).toMatch(/base64/);
    expect(error.details).toEqual({ field: 'scriptContent' });
  });

  it('refuses bytes that are not UTF-8', () => {
    const error = errorOf(() => decodeScriptContent(base64(Uint8Array.from([0x70, 0x72, 0x69, 0x6e, 0x74, 0x28, 0xff, 0xfe, 0x29]))));
    expect(error.code).toBe('LOADCTL_SCRIPT_INVALID');
    expect(error.message).toMatch(/UTF-8/);
  });

  it('refuses Latin-1 text (é as one byte)', () => {
    const error = errorOf(() => decodeScriptContent(base64(Buffer.from('# caf\xe9\nprint(1)\n', 'latin1'))));
    expect(error.message).toMatch(/UTF-8/);
  });

  it('refuses a script with a NUL byte', () => {
    const error = errorOf(() => decodeScriptContent(base64('print(1)\0\n')));
    expect(error.code).toBe('LOADCTL_SCRIPT_INVALID');
    expect(error.message).toMatch(/NUL/);
  });

  it.each([
    ['empty', ''],
    ['blank lines and spaces', ' \n\n\t \r\n'],
  ])('refuses an %s script', (_name, text) => {
    const error = errorOf(() => decodeScriptContent(base64(text)));
    expect(error.code).toBe('LOADCTL_SCRIPT_INVALID');
    expect(error.message).toMatch(/empty/);
  });
});

describe('checkScriptText size limit', () => {
  // A valid script padded with a comment to an exact byte size.
  const scriptOfSize = (bytes: number): Uint8Array => Buffer.from(`# ${'x'.repeat(bytes - 3)}\n`, 'utf8');

  it('is 1 MiB', () => {
    expect(MAX_SCRIPT_BYTES).toBe(1_048_576);
  });

  it('accepts a script of exactly 1 MiB', () => {
    const bytes = scriptOfSize(1_048_576);
    expect(bytes.byteLength).toBe(1_048_576);
    expect(checkScriptText(bytes)).toHaveLength(1_048_576);
  });

  it('refuses one byte more, saying the size and the limit', () => {
    const bytes = scriptOfSize(1_048_577);
    const error = errorOf(() => checkScriptText(bytes));
    expect(error.code).toBe('LOADCTL_SCRIPT_INVALID');
    expect(error.message).toContain('1048577 bytes');
    expect(error.message).toContain('1 MiB');
  });

  it('counts bytes, not characters', () => {
    // 524,289 two-byte characters are 1,048,578 bytes but only 524,289 characters.
    const bytes = Buffer.from('é'.repeat(524_289), 'utf8');
    expect(errorOf(() => checkScriptText(bytes)).code).toBe('LOADCTL_SCRIPT_INVALID');
  });

  it('applies through base64 too', () => {
    expect(() => decodeScriptContent(base64(scriptOfSize(1_048_576)))).not.toThrow();
    expect(errorOf(() => decodeScriptContent(base64(scriptOfSize(1_048_577)))).message).toContain('limit');
  });
});

describe('sha256Of', () => {
  it('matches the published test vectors', () => {
    // FIPS 180-2 appendix B.1 and the empty message.
    expect(sha256Of('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Of('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('hashes the UTF-8 bytes of the text', () => {
    // From `printf '\xc3\xa9' | sha256sum` ("é" in UTF-8); the Latin-1 byte E9 would give de2e331d….
    expect(sha256Of('é')).toBe('4a99557e4033c3539de2eb65472017cad5f9557f7a0625a09f1c3f6e2ba69c4c');
  });
});
