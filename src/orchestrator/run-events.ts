import { EventEmitter } from 'node:events';
import type { Run } from '../domain/types.js';

// Not a run id: those are generated and never contain a space.
const ALL_RUNS = 'all runs';

export type RunListener = (run: Run) => void;

/** In-process fan-out of run updates to live watchers (the SSE stream). */
export class RunEventBus {
  readonly #emitter = new EventEmitter();

  constructor() {
    // One listener per watcher of a run; many watchers are normal for a shared serve.
    this.#emitter.setMaxListeners(0);
  }

  publish(run: Run): void {
    this.#emitter.emit(run.id, run);
    this.#emitter.emit(ALL_RUNS, run);
  }

  /** Every run's updates (the console's run list, serve's log). */
  subscribeAll(listener: RunListener): () => void {
    this.#emitter.on(ALL_RUNS, listener);
    return () => this.#emitter.off(ALL_RUNS, listener);
  }

  subscribe(runId: string, listener: RunListener): () => void {
    this.#emitter.on(runId, listener);
    return () => this.#emitter.off(runId, listener);
  }
}
