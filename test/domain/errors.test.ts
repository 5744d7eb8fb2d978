import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { exitCodeOf } from '../../src/cli/exit-codes.js';
import { ERROR_CATALOGUE, LoadctlError, isLoadctlError, type ErrorCode } from '../../src/domain/errors.js';

const ERRORS_DOC = readFileSync(new URL('../../docs/ERRORS.md', import.meta.url), 'utf8');
const CODES = Object.keys(ERROR_CATALOGUE) as ErrorCode[];

/** `## LOADCTL_X` heading → the text of its section. */
function documentedSections(markdown: string): Map<string, string> {
  const sections = new Map<string, string>();
  const parts = markdown.split(/^## /m).slice(1);
  for (const part of parts) {
    const [heading = '', ...body] = part.split('\n');
    sections.set(heading.trim(), body.join('\n'));
  }
  return sections;
}

describe('docs/ERRORS.md', () => {
  const sections = documentedSections(ERRORS_DOC);

  it('has a section for every code in the catalogue', () => {
    expect(CODES.filter((code) => !sections.has(code))).toEqual([]);
  });

  it('documents no code the catalogue does not have', () => {
    expect([...sections.keys()].filter((code) => !(code in ERROR_CATALOGUE))).toEqual([]);
  });

  it('documents each code once', () => {
    const headings = [...ERRORS_DOC.matchAll(/^## (\S+)/gm)].map((match) => match[1]);
    expect(headings.length).toBe(new Set(headings).size);
  });

  it.each(CODES)('gives %s the catalogue’s HTTP status and exit category, and says when it happens and what to do', (code) => {
    const section = sections.get(code) ?? '';
    const spec = ERROR_CATALOGUE[code];
    expect(section).toMatch(new RegExp(`^- HTTP status: ${spec.status}$`, 'm'));
    expect(section).toMatch(new RegExp(`^- Exit category: ${spec.exit} \\(exit code ${exitCodeOf(spec.exit)}\\)$`, 'm'));
    expect(section).toMatch(/^- When: \S/m);
    expect(section).toMatch(/^- What to do: \S/m);
  });
});

describe('LoadctlError', () => {
  it('takes its HTTP status and exit category from the catalogue', () => {
    expect(new LoadctlError('LOADCTL_SCRIPT_SYNTAX', 'bad').httpStatus).toBe(400);
    expect(new LoadctlError('LOADCTL_RUN_CONFLICT', 'done').httpStatus).toBe(409);
    expect(new LoadctlError('LOADCTL_STORE_UNAVAILABLE', 'down').httpStatus).toBe(503);
    expect(new LoadctlError('LOADCTL_CONFIG_INVALID', 'x').exitCategory).toBe('usage');
    expect(new LoadctlError('LOADCTL_SETUP_FAILED', 'x').exitCategory).toBe('run');
    expect(new LoadctlError('LOADCTL_INTERNAL', 'x').exitCategory).toBe('internal');
  });

  it('keeps the message, details and cause, and is recognised as a LoadctlError', () => {
    const cause = new Error('socket closed');
    const error = new LoadctlError('LOADCTL_SCRIPT_SYNTAX', 'line 3', { cause, details: { line: 3 } });
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name: 'LoadctlError', code: 'LOADCTL_SCRIPT_SYNTAX', message: 'line 3', details: { line: 3 }, cause });
    expect(isLoadctlError(error)).toBe(true);
    expect(isLoadctlError(cause)).toBe(false);
    expect(isLoadctlError({ code: 'LOADCTL_INTERNAL' })).toBe(false);
  });

  it('maps every client error to a 4xx status and every other to 5xx', () => {
    for (const code of CODES) {
      const { status, exit } = ERROR_CATALOGUE[code];
      if (exit === 'usage') expect(status, code).toBeLessThan(500);
      else expect(status, code).toBeGreaterThanOrEqual(500);
    }
  });
});
