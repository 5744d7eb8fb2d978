import { describe, expect, it } from 'vitest';
import { isIgnored, parseIgnoreRules, type IgnoreRuleSet } from '../../src/domain/ignore-rules.js';

const rootRules = (text: string): IgnoreRuleSet[] => [{ base: '', rules: parseIgnoreRules(text) }];
const ignored = (text: string, path: string, isDir = false): boolean => isIgnored(path, isDir, rootRules(text));

describe('ignore rules (.gitignore subset)', () => {
  it('skips blank lines and comments; a plain name matches at any depth', () => {
    const text = '\n# a comment\n*.log\nsecret.txt\n';
    expect(ignored(text, 'run.log')).toBe(true);
    expect(ignored(text, 'deep/er/run.log')).toBe(true);
    expect(ignored(text, 'sub/secret.txt')).toBe(true);
    expect(ignored(text, 'run.logs')).toBe(false);
    expect(ignored(text, '# a comment')).toBe(false);
  });

  it('a trailing slash matches folders only', () => {
    expect(ignored('build/', 'build', true)).toBe(true);
    expect(ignored('build/', 'src/build', true)).toBe(true);
    expect(ignored('build/', 'build', false)).toBe(false);
  });

  it('a leading or inner slash anchors the pattern to the file’s folder', () => {
    expect(ignored('/data.csv', 'data.csv')).toBe(true);
    expect(ignored('/data.csv', 'sub/data.csv')).toBe(false);
    expect(ignored('docs/*.md', 'docs/a.md')).toBe(true);
    expect(ignored('docs/*.md', 'x/docs/a.md')).toBe(false);
    expect(ignored('docs/*.md', 'docs/deep/a.md')).toBe(false);
  });

  it('* and ? stay within one folder; ** crosses folders', () => {
    expect(ignored('a?c', 'abc')).toBe(true);
    expect(ignored('a?c', 'a/c')).toBe(false);
    expect(ignored('**/fixtures', 'fixtures', true)).toBe(true);
    expect(ignored('**/fixtures', 'x/y/fixtures', true)).toBe(true);
    expect(ignored('logs/**', 'logs/a/b.txt')).toBe(true);
    expect(ignored('a/**/z.txt', 'a/z.txt')).toBe(true);
    expect(ignored('a/**/z.txt', 'a/b/c/z.txt')).toBe(true);
    expect(ignored('a/**/z.txt', 'b/a/z.txt')).toBe(false);
    expect(ignored('[ab].txt', 'a.txt')).toBe(true);
    expect(ignored('[!ab].txt', 'a.txt')).toBe(false);
    expect(ignored('[!ab].txt', 'c.txt')).toBe(true);
  });

  it('! re-includes; the last matching rule wins', () => {
    const text = '*.csv\n!users.csv\n';
    expect(ignored(text, 'big.csv')).toBe(true);
    expect(ignored(text, 'users.csv')).toBe(false);
    expect(ignored('!users.csv\n*.csv\n', 'users.csv')).toBe(true);
    expect(ignored('\\!important', '!important')).toBe(true);
  });

  it('regex characters in a name are literal', () => {
    expect(ignored('a+b(1).txt', 'a+b(1).txt')).toBe(true);
    expect(ignored('a.txt', 'abtxt')).toBe(false);
  });

  it('a nested file’s rules apply below its folder, after the root’s', () => {
    const sets: IgnoreRuleSet[] = [
      { base: '', rules: parseIgnoreRules('*.csv\n') },
      { base: 'data', rules: parseIgnoreRules('!keep.csv\n/local.txt\n') },
    ];
    expect(isIgnored('data/keep.csv', false, sets)).toBe(false);
    expect(isIgnored('keep.csv', false, sets)).toBe(true);
    expect(isIgnored('data/local.txt', false, sets)).toBe(true);
    expect(isIgnored('local.txt', false, sets)).toBe(false);
    expect(isIgnored('database/local.txt', false, sets)).toBe(false);
  });
});
