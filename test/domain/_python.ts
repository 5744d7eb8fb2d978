// Asks a real Python what it makes of a source text, so injection tests check Python's
// own verdict rather than our idea of it.
import { spawnSync } from 'node:child_process';

export interface PythonVerdict {
  /** `compile()` accepted it (this also checks `from __future__` placement, which `ast.parse` does not). */
  compiles: boolean;
  error?: string;
  /** `ast.get_docstring` of the module, unchanged. */
  docstring: string | null;
  /** The source encoding Python reads from the shebang/coding lines (`tokenize.detect_encoding`). */
  encoding: string;
  /** Top-level statement kinds, in order, e.g. ['Expr', 'ImportFrom', 'Import']. */
  body: string[];
}

const INSPECT = `
import ast, io, json, sys, tokenize
data = sys.stdin.buffer.read()
encoding = tokenize.detect_encoding(io.BytesIO(data).readline)[0]
try:
    compile(data, "locustfile.py", "exec")
    tree = ast.parse(data)
    print(json.dumps({"compiles": True, "docstring": ast.get_docstring(tree, clean=False), "encoding": encoding, "body": [type(node).__name__ for node in tree.body]}))
except SyntaxError as error:
    print(json.dumps({"compiles": False, "error": f"{error.msg} (line {error.lineno})", "docstring": None, "encoding": encoding, "body": []}))
`;

export function inspectPython(source: string): PythonVerdict {
  const result = spawnSync('python3', ['-c', INSPECT], { input: Buffer.from(source, 'utf8'), encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`python3 failed: ${result.error?.message ?? result.stderr}`);
  return JSON.parse(result.stdout) as PythonVerdict;
}
