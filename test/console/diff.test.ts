import { describe, expect, it } from 'vitest';
import { diffLines } from '../../web/src/diff.js';

describe('revision diff', () => {
  it('marks added and removed lines and keeps the common ones with both line numbers', () => {
    const lines = diffLines('a\nb\nc\n', 'a\nc\nd\n');
    expect(lines.map((line) => `${line.kind[0]}${line.text}`)).toEqual(['sa', 'rb', 'sc', 'ad', 's']);
    expect(lines[2]).toEqual({ kind: 'same', text: 'c', oldLine: 3, newLine: 2 });
  });

  it('equal texts have no change', () => {
    expect(diffLines('x\ny', 'x\ny').every((line) => line.kind === 'same')).toBe(true);
  });
});
