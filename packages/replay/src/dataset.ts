/**
 * A table as a stream of batches for a learner (Reverb's dataset + Acme's prefetching iterator):
 * an async iterator of `TableSample`s, each with the data in preallocated typed arrays and the
 * keys and probabilities for priority updates and importance weights.
 *
 * Buffers: `prefetch + 1` samples are allocated once and reused in turn. A batch handed out stays
 * valid until the next `next()` / `tryNext()` call; meanwhile up to `prefetch` further batches are
 * drawn ahead, as soon as the rate limiter allows. Prefetched batches are drawn before the
 * priorities of the current batch are updated (as with any prefetching sampler); `prefetch: 0`
 * draws each batch only when asked.
 *
 * `tryNext()` never waits: a ready batch or `undefined`. A single-process agent steps its learner
 * only while `ready()`, as Acme's runner does, and so never blocks the actor.
 */
import type { BatchIterator, PriorityUpdater } from './learner_data.js';
import type { Table, WaitOptions } from './table.js';
import type { TableSample } from './table_sample.js';

export interface ReplayDatasetOptions {
  readonly batchSize: number;
  /** Batches drawn ahead of the consumer (default 1). */
  readonly prefetch?: number;
  /** Each wait for the rate limiter rejects after this long (default: waits forever). */
  readonly timeoutMs?: number;
}

interface Draw {
  readonly sample: TableSample;
  done: boolean;
  error: unknown;
  promise: Promise<TableSample> | undefined;
}

export class ReplayDataset
  implements AsyncIterableIterator<TableSample>, BatchIterator<TableSample>, PriorityUpdater
{
  readonly table: Table;
  readonly batchSize: number;
  readonly prefetch: number;
  readonly #wait: WaitOptions;
  readonly #free: TableSample[];
  readonly #draws: Draw[] = [];
  readonly #abort = new AbortController();
  /** The batch handed out last: its buffers are reused only once the consumer asks again. */
  #current: TableSample | undefined;
  #retrieved = 0;
  #closed = false;

  constructor(table: Table, options: ReplayDatasetOptions) {
    const { batchSize, prefetch = 1, timeoutMs } = options;
    if (!(Number.isInteger(prefetch) && prefetch >= 0))
      throw new RangeError(`prefetch must be an integer >= 0, got ${prefetch}`);
    this.table = table;
    this.batchSize = batchSize;
    this.prefetch = prefetch;
    this.#wait = { timeoutMs, signal: this.#abort.signal };
    this.#free = Array.from({ length: prefetch + 1 }, () => table.createSample(batchSize));
  }

  /** Batches handed out so far (Acme's `retrieved_elements`). */
  get retrievedElements(): number {
    return this.#retrieved;
  }

  /** Whether `tryNext()` would return a batch now (Acme's `PrefetchingIterator.ready`). */
  ready(): boolean {
    if (this.#closed) return false;
    const head = this.#draws[0];
    if (head) return head.done;
    return this.table.canSample(this.batchSize);
  }

  /** The next batch if one is ready now, else `undefined` (nothing waits). */
  tryNext(): TableSample | undefined {
    if (this.#closed) return undefined;
    this.#release();
    this.#start();
    const head = this.#draws[0];
    if (!head?.done) return undefined;
    return this.#handOut();
  }

  async next(): Promise<IteratorResult<TableSample, undefined>> {
    if (this.#closed) return { done: true, value: undefined };
    this.#release();
    this.#start();
    const head = this.#draws[0]!;
    if (!head.done) {
      try {
        await head.promise;
      } catch {
        // Recorded in head.error, thrown by #handOut.
      }
    }
    if (this.#closed) return { done: true, value: undefined };
    return { done: false, value: this.#handOut() };
  }

  /** Stops prefetching: waiting draws end and the iterator is done. */
  async return(): Promise<IteratorResult<TableSample, undefined>> {
    this.close();
    return { done: true, value: undefined };
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#abort.abort();
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** Updates priorities in the dataset's table (unknown keys are ignored). */
  updatePriorities(keys: Float64Array, priorities: Float64Array): number {
    return this.table.updatePriorities(keys, priorities);
  }

  #release(): void {
    if (this.#current) this.#free.push(this.#current);
    this.#current = undefined;
  }

  /**
   * Starts a draw into every free buffer: with the batch handed out holding one buffer, that is
   * `prefetch` draws ahead, and one more when the consumer asks.
   */
  #start(): void {
    while (this.#free.length > 0) {
      const sample = this.#free.pop()!;
      const draw: Draw = { sample, done: false, error: undefined, promise: undefined };
      // Synchronously when the limiter allows it (and no earlier draw waits), so that tryNext()
      // can hand it out at once.
      if (this.table.trySample(sample)) draw.done = true;
      else {
        draw.promise = this.table.sample(sample, {
          ...this.#wait,
          onSettled: (err) => {
            draw.done = true;
            draw.error = err;
          },
        });
        // Failures are handed to the consumer by #handOut.
        draw.promise.catch(() => {});
      }
      this.#draws.push(draw);
    }
  }

  #handOut(): TableSample {
    const head = this.#draws.shift()!;
    if (head.error !== undefined) {
      this.#free.push(head.sample);
      throw head.error;
    }
    this.#current = head.sample;
    this.#retrieved++;
    // Draw ahead while the consumer works on this batch.
    this.#start();
    return head.sample;
  }
}
