// Group commit: writes that arrive in the same turn of the event loop share one transaction.
// Pushes of many runs land together; committing each alone costs more than the write itself
// (a transaction's fixed cost, and the same index and run pages written to the WAL again).

/** One write's outcome inside a batch: a failed write fails alone, the others still commit. */
export type WriteOutcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

export interface WriteBatch<I, T> {
  /** Queues the write; it runs with the others queued in this turn, after the current I/O. */
  add(item: I): Promise<T>;
  /** Writes what is queued now (e.g. before the store closes). */
  flush(): void;
}

/**
 * `writeAll` writes every item in one transaction and returns one outcome per item, in order;
 * when it throws (the transaction itself failed), every write of the batch fails with that error.
 */
export function createWriteBatch<I, T>(writeAll: (items: readonly I[]) => WriteOutcome<T>[]): WriteBatch<I, T> {
  let queued: Array<{ item: I; resolve: (value: T) => void; reject: (error: unknown) => void }> = [];
  let scheduled = false;

  const flush = (): void => {
    scheduled = false;
    const batch = queued;
    queued = [];
    if (batch.length === 0) return;
    let outcomes: WriteOutcome<T>[];
    try {
      outcomes = writeAll(batch.map((entry) => entry.item));
    } catch (error) {
      for (const entry of batch) entry.reject(error);
      return;
    }
    batch.forEach((entry, index) => {
      const outcome = outcomes[index]!;
      if (outcome.ok) entry.resolve(outcome.value);
      else entry.reject(outcome.error);
    });
  };

  return {
    add(item) {
      return new Promise<T>((resolve, reject) => {
        queued.push({ item, resolve, reject });
        if (!scheduled) {
          scheduled = true;
          // After the I/O callbacks of this turn: every request read in it joins the batch.
          setImmediate(flush);
        }
      });
    },
    flush,
  };
}

/** The outcome of one write, its error caught so the batch goes on. */
export function outcomeOf<T>(write: () => T): WriteOutcome<T> {
  try {
    return { ok: true, value: write() };
  } catch (error) {
    return { ok: false, error };
  }
}
