// Copying the WAL back into the store file (a checkpoint) costs as much as the writes that
// filled it. SQLite does it inside the commit that crosses its threshold, so while pushes pour
// in, every few hundred of them would wait for it. A worker thread with its own connection does
// it instead, off the event loop: a PASSIVE checkpoint never blocks a writer.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** How often the worker copies the WAL back; the WAL holds at most about this long of writes. */
const CHECKPOINT_EVERY_MS = 250;

// A script, not a module file: it must keep working wherever the build puts this module.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { timeout: workerData.busyTimeoutMs });
const checkpoint = () => { try { db.pragma('wal_checkpoint(PASSIVE)'); } catch { /* busy or closing: the next tick tries again */ } };
const timer = setInterval(checkpoint, workerData.everyMs);
parentPort.on('message', () => {
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
`;

export interface Checkpointer {
  /** Stops after one last checkpoint. */
  stop(): Promise<void>;
}

/**
 * Starts checkpointing `file` from a worker thread. `onFailure` runs if the worker cannot work
 * (the caller then lets SQLite checkpoint in its commits again).
 */
export function startCheckpointer(file: string, busyTimeoutMs: number, onFailure: (error: Error) => void): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, driver, busyTimeoutMs, everyMs: CHECKPOINT_EVERY_MS } });
  // It must never keep a finished command alive.
  worker.unref();
  let stopped = false;
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  worker.once('error', (error) => {
    if (!stopped) onFailure(error);
  });
  return {
    async stop() {
      if (stopped) return;
      stopped = true;
      // Held again while it finishes, or an awaiting caller would see its event loop run dry.
      worker.ref();
      worker.postMessage('stop');
      await exited;
    },
  };
}
