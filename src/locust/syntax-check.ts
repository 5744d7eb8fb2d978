import { execa } from 'execa';
import { LoadctlError } from '../domain/errors.js';

// Runs in the same Python that will run the script, so the check matches its grammar.
// compile(), not ast.parse: only the compiler catches e.g. a late `from __future__` or `return` outside a function.
const CHECKER = [
  'import json, sys',
  'source = sys.stdin.read()',
  'try:',
  '    compile(source, "locustfile.py", "exec", dont_inherit=True)',
  'except SyntaxError as error:',
  '    print(json.dumps({"ok": False, "line": error.lineno, "column": error.offset, "message": error.msg, "text": (error.text or "").rstrip()}))',
  'else:',
  '    print(json.dumps({"ok": True}))',
].join('\n');

export type ScriptChecker = (script: string) => Promise<void>;

/** Refuses a script Python cannot parse, naming the line, before it is stored or run. */
export function createPythonSyntaxChecker(python: string): ScriptChecker {
  return async (script) => {
    const result = await execa(python, ['-c', CHECKER], { input: script, reject: false, timeout: 30_000 });
    let verdict: { ok: boolean; line?: number; column?: number; message?: string; text?: string };
    try {
      verdict = JSON.parse(result.stdout);
    } catch (cause) {
      throw new LoadctlError('LOADCTL_PYTHON_MISSING', `Could not check the script with ${python}: ${result.stderr.trim() || result.shortMessage}. Run \`loadctl doctor\`.`, { cause });
    }
    if (!verdict.ok) {
      const where = `line ${verdict.line ?? '?'}${verdict.column ? `, column ${verdict.column}` : ''}`;
      const excerpt = verdict.text ? `\n  ${verdict.line} | ${verdict.text}` : '';
      throw new LoadctlError('LOADCTL_SCRIPT_SYNTAX', `The script has a Python syntax error at ${where}: ${verdict.message}${excerpt}`, {
        details: { field: 'scriptContent', line: verdict.line, column: verdict.column },
      });
    }
  };
}
