// A FerretDB server for a bench: the binary LOADCTL_FERRETDB_BIN names (else the one
// scripts/build-ferretdb.sh builds) on a fresh SQLite data dir, as test/support/ferretdb.ts starts it.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function ferretDbBinary(env = process.env) {
  return env.LOADCTL_FERRETDB_BIN || fileURLToPath(new URL('../.cache/bin/ferretdb-test', import.meta.url));
}

export function hasFerretDb(env = process.env) {
  return existsSync(ferretDbBinary(env));
}

/** Starts it on a free loopback port; resolves to { uri, pid, stop() } once it prints its URI. */
export async function startFerretDb(binary = ferretDbBinary()) {
  const dataDir = mkdtempSync(join(tmpdir(), 'loadctl-bench-ferretdb-'));
  // stdin stays open as a pipe: the server exits when it closes, so it dies with the bench.
  const child = spawn(binary, ['--data-dir', dataDir, '--listen', '127.0.0.1:0'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const uri = await new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => reject(new Error(`FerretDB (${binary}) printed no URI in 20 s\n${stderr}`)), 20_000);
    // Kept only until it starts (for the error); drained after, so a chatty server never blocks.
    child.stderr.on('data', (chunk) => {
      if (stderr.length < 65_536) stderr += chunk;
    });
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      const line = stdout.split('\n').find((candidate) => candidate.startsWith('mongodb://'));
      if (line) {
        clearTimeout(timer);
        resolve(line.trim());
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`FerretDB (${binary}) exited (${code})\n${stderr}`));
    });
  });
  return {
    uri,
    pid: child.pid,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
