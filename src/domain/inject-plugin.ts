// The plugin import must come after the module docstring (so it stays the docstring) and
// after `from __future__` imports (Python requires those first); everything else follows it.

export const PLUGIN_IMPORT = 'import loadctl_plugin  # added by loadctl: reports this run to the control plane';

// Module level only: an import indented inside a function or class would not load the plugin at start.
const ALREADY_INJECTED = /^(import\s+loadctl_plugin\b|from\s+loadctl_plugin\s+import\b)/m;
const FUTURE_IMPORT = /^from\s+__future__\s+import\b/;
const DOCSTRING_START = /^[rRuUbB]{0,2}("""|''')/;
const REST_OF_LINE_EMPTY = /^\s*(#.*)?$/;
const SINGLE_LINE_STRING = /^[rRuUbB]{0,2}("[^"\\]*(\\.[^"\\]*)*"|'[^'\\]*(\\.[^'\\]*)*')\s*(#.*)?$/;

export function isPluginInjected(script: string): boolean {
  return ALREADY_INJECTED.test(script);
}

/** Returns the script with the plugin import added once; a script that has it already is returned unchanged. */
export function injectPlugin(script: string): string {
  if (isPluginInjected(script)) return script;
  const newline = script.includes('\r\n') ? '\r\n' : '\n';
  const lines = script.split(/\r?\n/);
  const insertAt = findInsertionLine(lines);
  lines.splice(insertAt, 0, PLUGIN_IMPORT);
  return lines.join(newline);
}

/** Index of the first line after the shebang/encoding comments, the docstring and `from __future__` imports. */
function findInsertionLine(lines: string[]): number {
  let index = skipBlankAndComments(lines, 0);
  // Python reads a shebang only on line 1 and a coding cookie only on lines 1-2: stay below them.
  let insertAt = index;

  const docstringEnd = endOfDocstring(lines, index);
  if (docstringEnd !== null) {
    insertAt = docstringEnd + 1;
    index = skipBlankAndComments(lines, insertAt);
  }

  while (index < lines.length && FUTURE_IMPORT.test(lines[index]!)) {
    index = endOfStatement(lines, index) + 1;
    insertAt = index;
    index = skipBlankAndComments(lines, index);
  }
  return insertAt;
}

function skipBlankAndComments(lines: string[], from: number): number {
  let index = from;
  while (index < lines.length && /^\s*(#.*)?$/.test(lines[index]!)) index += 1;
  return index;
}

/** Last line index of a module docstring starting at `index`, or null when there is none. */
function endOfDocstring(lines: string[], index: number): number | null {
  const line = lines[index];
  if (line === undefined) return null;
  const triple = DOCSTRING_START.exec(line);
  if (triple) {
    const quote = triple[1]!;
    const rest = line.slice(triple[0].length);
    if (rest.includes(quote)) return closesStatement(rest, quote) ? index : null;
    for (let next = index + 1; next < lines.length; next += 1) {
      if (lines[next]!.includes(quote)) return closesStatement(lines[next]!, quote) ? next : null;
    }
    return null; // unterminated: leave it to the syntax check to report
  }
  return SINGLE_LINE_STRING.test(line) ? index : null;
}

/** True when nothing but a comment follows the closing quote: `"""doc""".format(\n…)` is no docstring. */
function closesStatement(line: string, quote: string): boolean {
  return REST_OF_LINE_EMPTY.test(line.slice(line.indexOf(quote) + quote.length));
}

/** A `from __future__ import (a,\n b)` may span lines inside parentheses or after backslashes. */
function endOfStatement(lines: string[], index: number): number {
  let depth = 0;
  for (let current = index; current < lines.length; current += 1) {
    const code = lines[current]!.replace(/#.*$/, '');
    depth += (code.match(/\(/g) ?? []).length - (code.match(/\)/g) ?? []).length;
    if (depth <= 0 && !code.trimEnd().endsWith('\\')) return current;
  }
  return lines.length - 1;
}
