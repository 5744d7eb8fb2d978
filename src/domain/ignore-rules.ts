// The common subset of .gitignore syntax, for .gitignore and .loadctlignore files: blank
// lines and # comments, `!` to re-include, a trailing `/` for folders only, a `/` elsewhere
// anchoring the pattern to the file's folder, and the globs * ? [abc] and **.

export interface IgnoreRule {
  regex: RegExp;
  negated: boolean;
  dirOnly: boolean;
}

/** The rules of one ignore file, in order; `base` is the folder holding it, relative to the bundle root ('' for the root). */
export interface IgnoreRuleSet {
  base: string;
  rules: IgnoreRule[];
}

export function parseIgnoreRules(text: string): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  for (const rawLine of text.split(/\r?\n/)) {
    // Trailing spaces are ignored unless escaped with a backslash.
    let line = rawLine.replace(/(?<!\\)\s+$/, '');
    if (line === '' || line.startsWith('#')) continue;
    const negated = line.startsWith('!');
    if (negated) line = line.slice(1);
    else if (line.startsWith('\\!') || line.startsWith('\\#')) line = line.slice(1);
    const dirOnly = line.endsWith('/');
    if (dirOnly) line = line.replace(/\/+$/, '');
    if (line === '') continue;
    // A slash at the start or in the middle anchors the pattern to the ignore file's folder.
    const anchored = line.includes('/');
    if (line.startsWith('/')) line = line.slice(1);
    const body = globToRegex(line);
    rules.push({ regex: new RegExp(anchored ? `^${body}$` : `^(?:.*/)?${body}$`), negated, dirOnly });
  }
  return rules;
}

/**
 * Whether a path (relative to the bundle root, '/'-separated) is ignored by these rule sets,
 * given root first and deeper folders after: the last rule that matches decides.
 */
export function isIgnored(path: string, isDir: boolean, ruleSets: readonly IgnoreRuleSet[]): boolean {
  let ignored = false;
  for (const set of ruleSets) {
    if (set.base !== '' && !path.startsWith(`${set.base}/`)) continue;
    const relative = set.base === '' ? path : path.slice(set.base.length + 1);
    for (const rule of set.rules) {
      if (rule.dirOnly && !isDir) continue;
      if (rule.regex.test(relative)) ignored = !rule.negated;
    }
  }
  return ignored;
}

function globToRegex(glob: string): string {
  let out = '';
  for (let index = 0; index < glob.length; index += 1) {
    const char = glob[index]!;
    if (char === '*') {
      if (glob[index + 1] === '*') {
        const atStart = index === 0 || glob[index - 1] === '/';
        const next = glob[index + 2];
        if (atStart && next === '/') {
          out += '(?:.*/)?'; // "**/": any number of folders, none included
          index += 2;
          continue;
        }
        if (atStart && next === undefined) {
          out += '.*'; // "dir/**": everything inside
          index += 1;
          continue;
        }
        index += 1; // "**" elsewhere is a plain "*"
      }
      out += '[^/]*';
    } else if (char === '?') {
      out += '[^/]';
    } else if (char === '[') {
      const close = glob.indexOf(']', index + 2);
      if (close === -1) {
        out += '\\[';
        continue;
      }
      let set = glob.slice(index + 1, close).replace(/\\/g, '\\\\');
      if (set.startsWith('!')) set = `^${set.slice(1)}`;
      out += `[${set}]`;
      index = close;
    } else if (char === '\\' && index + 1 < glob.length) {
      index += 1;
      out += escapeRegex(glob[index]!);
    } else {
      out += escapeRegex(char);
    }
  }
  return out;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
