/**
 * The two seams between a learner and its replay (Acme's learner reads an iterator of batches and
 * writes priorities through a Reverb client; it never holds the table). A learner that sees only
 * these runs unchanged beside its table, across a message port or across a network from it.
 */

/** Batches for a learner. A single process steps its learner only while `ready()`, never waiting. */
export interface BatchIterator<B> {
  /** Whether `tryNext()` would give a batch now. */
  ready(): boolean;
  /** The next batch when one is ready, else undefined. A batch is valid until the next call. */
  tryNext(): B | undefined;
  /** The next batch, waiting for one (a learner with a thread or process of its own). */
  next(): Promise<IteratorResult<B, undefined>>;
}

/** Where new priorities go: the table beside the learner, or a client of a table elsewhere. */
export interface PriorityUpdater {
  /** Sets the priorities of the items with these keys; unknown keys (already removed) are ignored. */
  updatePriorities(keys: Float64Array, priorities: Float64Array): unknown;
}
