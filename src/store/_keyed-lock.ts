/**
 * Runs tasks one at a time per key, in call order; tasks under different keys run freely.
 * Used to serialise this process's read-then-write updates of one document.
 */
export class KeyedLock {
  readonly #tails = new Map<string, Promise<void>>();

  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const current = previous.then(task);
    const tail = current.then(
      () => undefined,
      () => undefined,
    );
    this.#tails.set(key, tail);
    try {
      return await current;
    } finally {
      // Forget the key once nothing is queued behind this task, so the map stays small.
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    }
  }
}
