// A second OS process racing this one on the same SQLite file (fixtures/race-transitions.mjs,
// which runs the built store in dist/: `npm run build` first).
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Run } from '../../src/domain/types.js';
import type { Transition } from '../../src/store/store.js';

const RACE_SCRIPT = fileURLToPath(new URL('./fixtures/race-transitions.mjs', import.meta.url));

export interface Rival {
  /** Resolves once the rival has opened the store; `go()` then starts its transitions. */
  ready: Promise<void>;
  go(): void;
  results: Promise<(Run | null)[]>;
}

export function startSqliteRival(file: string, runIds: readonly string[], transition: Transition): Rival {
  const child = spawn(process.execPath, [RACE_SCRIPT, file], { stdio: ['pipe', 'pipe', 'inherit'] });
  child.stdin.write(`${JSON.stringify({ runIds, transition })}\n`);
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const nextLine = async (what: string): Promise<string> => {
    const line = await Promise.race([lines.next(), exited.then(() => ({ done: true as const, value: undefined }))]);
    if (line.done) throw new Error(`the rival process exited before ${what}`);
    return line.value;
  };
  return {
    ready: nextLine('saying ready').then((line) => {
      if (line !== 'ready') throw new Error(`the rival process said ${line}`);
    }),
    go: () => child.stdin.end('go\n'),
    results: nextLine('reporting its results').then((line) => JSON.parse(line) as (Run | null)[]),
  };
}

/** The same race with a second Store instance (its own MongoClient) in this process. */
export function startInstanceRival(open: () => Promise<{ transitionRun: (id: string, transition: Transition) => Promise<Run | null> }>, runIds: readonly string[], transition: Transition): Rival {
  let release!: () => void;
  const started = new Promise<void>((resolve) => (release = resolve));
  const opened = open();
  return {
    ready: opened.then(() => undefined),
    go: release,
    results: opened.then(async (store) => {
      await started;
      const results: (Run | null)[] = [];
      for (const runId of runIds) results.push(await store.transitionRun(runId, transition));
      return results;
    }),
  };
}
