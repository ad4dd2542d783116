/**
 * Reverb's Table over the Rust replay engine: items validated against a signature and stored in
 * the engine's columns, a sampler and a remover (Reverb's selectors), a rate limiter, optional
 * deduplicated frames, and checkpoints.
 *
 * The engine only counts; waiting is done here. Every call comes in two forms:
 * - `tryInsert` / `trySample` (and the adders' `tryInsertRow`) return at once: the result when the
 *   rate limiter allows the call now, `undefined` (or -1) when it does not. A single-process agent
 *   uses these and never waits.
 * - `insert` / `sample` return promises that wait, first come first served, until the limiter
 *   lets them through, with an optional `timeoutMs` (rejecting with `RateLimiterTimeoutError`)
 *   and `signal`. A sample that must wait is drawn in parts as the limiter allows, as Reverb's
 *   samplers do, so a batch larger than the limiter's window still completes.
 * Waiting calls proceed when another call (an insert, a sample, a delete) changes the counters.
 */
import { type AtomicFs, type NestedSpec, writeFileAtomic } from '@acme-ts/core';
import {
  type Binding,
  native,
  RateLimiter,
  type RateLimiterSpec,
  RateLimiters,
  type ReplayBatch,
  ReplayEngine,
  type SelectorSpec,
  Selectors,
} from '@acme-ts/native';
import { decodeCheckpoint, encodeCheckpoint, FORMAT_VERSION } from './checkpoint_file.js';
import { RateLimiterTimeoutError, TableCancelledError } from './errors.js';
import { ItemLayout } from './item_layout.js';
import { isPlainObject } from './nest.js';
import { specFromJson, specToJson } from './spec_json.js';
import { TableSample } from './table_sample.js';

/** Frame deduplication for pixel observations (see `@acme-ts/native`'s `frames` option). */
export interface TableFramesOptions {
  /** Shape of one frame, e.g. `[84, 84]`. */
  readonly shape: readonly number[];
  /** Frames per stack (default 4). */
  readonly stack?: number;
  /** Frames kept (default maxSize + maxSize/32 + 64). */
  readonly capacity?: number;
  /** Frames before an episode's first: `'zeros'` (default) or `'first'`; match the frame stacker. */
  readonly resetFill?: 'zeros' | 'first';
  /** Stack axis: `'last'` (default, `[...shape, stack]`) or `'first'`. */
  readonly axis?: 'last' | 'first';
  /** Signature leaves stored as frame stacks, e.g. `['observation', 'nextObservation']`. */
  readonly fields: readonly string[];
}

export interface TableOptions {
  readonly name: string;
  readonly sampler: SelectorSpec;
  readonly remover: SelectorSpec;
  readonly maxSize: number;
  readonly rateLimiter: RateLimiterSpec;
  /** An item is deleted after this many samples; 0 (default) means never. */
  readonly maxTimesSampled?: number;
  /** The items' structure, shapes and dtypes (a nested spec). */
  readonly signature: NestedSpec;
  readonly frames?: TableFramesOptions;
  /** Items may be shorter than the signature along every leaf's leading axis (episodes, truncated sequences). */
  readonly variableLength?: boolean;
  /** Seed of every random choice of the table (default 0). */
  readonly seed?: number;
  /** Prioritized batches drawn stratified (default, as prioritized-replay DQN) or independently (Reverb). */
  readonly stratified?: boolean;
  /** Track the smallest probability (for importance weights normalised over the table). */
  readonly trackMinProbability?: boolean;
  /** Which binary (default: the one `@acme-ts/native` picks). */
  readonly binding?: Binding;
}

export interface WaitOptions {
  /** Reject with `RateLimiterTimeoutError` after this many milliseconds (default: wait forever). */
  readonly timeoutMs?: number;
  /** Reject with `TableCancelledError` when aborted. */
  readonly signal?: AbortSignal;
}

export interface SampleOptions extends WaitOptions {
  /**
   * Called synchronously the moment a sample that had to wait completes (`error` undefined) or
   * fails, before its promise settles: for pollers such as a dataset's `tryNext()`.
   */
  readonly onSettled?: (error: unknown) => void;
}

export interface RateLimiterInfo {
  readonly spec: RateLimiterSpec;
  readonly samplesPerInsert: number;
  readonly minSizeToSample: number;
  readonly minDiff: number;
  readonly maxDiff: number;
  readonly inserts: number;
  readonly samples: number;
  readonly deletes: number;
}

/** Reverb's `TableInfo`, plus what is waiting. */
export interface TableInfo {
  readonly name: string;
  readonly sampler: SelectorSpec;
  readonly remover: SelectorSpec;
  readonly maxSize: number;
  readonly maxTimesSampled: number;
  readonly rateLimiter: RateLimiterInfo;
  readonly signature: NestedSpec;
  readonly currentSize: number;
  readonly variableLength: boolean;
  readonly frames: TableFramesOptions | undefined;
  /** Frames stored so far (the id the next `addFrame` returns); 0 without frames. */
  readonly nextFrameId: number;
  readonly pendingInserts: number;
  readonly pendingSamples: number;
  /** Native memory held by the table's storage. */
  readonly memoryBytes: number;
}

interface Waiter<T> {
  resolve(value: T): void;
  reject(error: unknown): void;
}

interface InsertWaiter extends Waiter<number> {
  readonly row: ReplayBatch;
  readonly priority: number;
}

interface SampleWaiter extends Waiter<TableSample> {
  readonly out: TableSample;
  filled: number;
  readonly onSettled: ((error: unknown) => void) | undefined;
}

interface ResolvedLimiter {
  readonly samplesPerInsert: number;
  readonly minSizeToSample: number;
  readonly minDiff: number;
  readonly maxDiff: number;
}

function checkTimeout(timeoutMs: unknown): number | undefined {
  if (timeoutMs === undefined || timeoutMs === Number.POSITIVE_INFINITY) return undefined;
  if (!(typeof timeoutMs === 'number' && timeoutMs >= 0 && Number.isFinite(timeoutMs))) {
    throw new RangeError(`timeoutMs must be a number >= 0, got ${String(timeoutMs)}`);
  }
  return timeoutMs;
}

/**
 * A priority is a finite number >= 0, checked by type first: `null >= 0` and `"1" >= 0` hold in
 * JavaScript, and a Float64Array would store them as 0 and 1 without a word.
 */
function checkPriority(priority: unknown): void {
  if (typeof priority !== 'number') {
    const shown = typeof priority === 'string' ? JSON.stringify(priority) : String(priority);
    throw new TypeError(`priority must be a finite number >= 0, got ${typeof priority} ${shown}`);
  }
  if (!(priority >= 0 && priority < Number.POSITIVE_INFINITY)) {
    throw new RangeError(`priority must be a finite number >= 0, got ${priority}`);
  }
}

function requireOption(options: TableOptions, key: keyof TableOptions): void {
  if (options[key] === undefined) throw new TypeError(`Table options.${key} is required`);
}

/** A table's options as they go into a checkpoint header (no binding). */
function portableOptions(options: TableOptions): Record<string, unknown> {
  const { binding: _binding, signature, ...rest } = options;
  return { ...rest, signature: specToJson(signature) };
}

/**
 * ```ts
 * const table = new Table({
 *   name: 'priority_table',
 *   sampler: Selectors.prioritized(0.6),
 *   remover: Selectors.fifo(),
 *   maxSize: 100_000,
 *   rateLimiter: RateLimiters.minSize(1),
 *   signature: { observation: new ArraySpec([4], 'float32'), action: new DiscreteArray(2) },
 * });
 * table.tryInsert({ observation: new Float32Array(4), action: 1 }, 1.0);
 * const batch = table.trySample(32); // TableSample, or undefined while the limiter refuses
 * ```
 */
export class Table {
  readonly name: string;
  readonly signature: NestedSpec;
  readonly layout: ItemLayout;
  /** The options the table was made with (`replace` and checkpoints start from them). */
  readonly options: TableOptions;
  /**
   * A one-row buffer adders fill before `tryInsertRow` / `enqueueRow` (column views:
   * `row.columns[path]`, frame ids in `row.frameIdColumns[path]`).
   */
  readonly row: ReplayBatch;
  readonly #engine: ReplayEngine;
  readonly #limiter: ResolvedLimiter;
  /** The limiter's insert condition can never fail (MinSize, or insert blocking disabled). */
  readonly #insertsNeverBlock: boolean;
  readonly #priority = new Float64Array(1);
  readonly #key = new Float64Array(1);
  readonly #insertWaiters: InsertWaiter[] = [];
  readonly #sampleWaiters: SampleWaiter[] = [];
  #pumping = false;
  #closed = false;

  constructor(options: TableOptions) {
    if (typeof options !== 'object' || options === null)
      throw new TypeError('Table options must be an object');
    if (typeof options.name !== 'string' || options.name === '') {
      throw new TypeError(`Table options.name must be a non-empty string, got ${String(options.name)}`);
    }
    for (const key of ['sampler', 'remover', 'maxSize', 'rateLimiter', 'signature'] as const) {
      requireOption(options, key);
    }
    this.name = options.name;
    this.options = options;
    this.signature = options.signature;
    const frames = options.frames;
    if (frames !== undefined && (!Array.isArray(frames.fields) || frames.fields.length === 0)) {
      throw new TypeError('frames.fields must name the signature leaves stored as frame stacks');
    }
    const stack = frames?.stack ?? 4;
    this.layout = new ItemLayout(options.signature, {
      frameFields: frames?.fields ?? [],
      frameStackShape: frames
        ? frames.axis === 'first'
          ? [stack, ...frames.shape]
          : [...frames.shape, stack]
        : [],
      variableLength: options.variableLength,
    });
    const binding = options.binding ?? native();
    this.#engine = new ReplayEngine({
      maxSize: options.maxSize,
      sampler: options.sampler,
      remover: options.remover,
      rateLimiter: options.rateLimiter,
      maxTimesSampled: options.maxTimesSampled,
      seed: options.seed,
      stratified: options.stratified,
      trackMinProbability: options.trackMinProbability,
      columns: this.layout.columns(),
      frames: frames && {
        shape: frames.shape,
        stack: frames.stack,
        capacity: frames.capacity,
        resetFill: frames.resetFill,
        axis: frames.axis,
      },
      binding,
    });
    const limiter = new RateLimiter(options.rateLimiter, binding);
    this.#limiter = {
      samplesPerInsert: limiter.samplesPerInsert,
      minSizeToSample: limiter.minSizeToSample,
      minDiff: limiter.minDiff,
      maxDiff: limiter.maxDiff,
    };
    limiter.free();
    this.#insertsNeverBlock = this.#limiter.maxDiff >= Number.MAX_VALUE;
    this.row = this.#engine.createBatch(1);
  }

  /** Reverb's `Table.queue`: FIFO sampler and remover, each item sampled once, Queue(maxSize) limiter. */
  static queue(
    name: string,
    maxSize: number,
    signature: NestedSpec,
    options: Partial<TableOptions> = {},
  ): Table {
    return new Table({
      name,
      sampler: Selectors.fifo(),
      remover: Selectors.fifo(),
      maxSize,
      maxTimesSampled: 1,
      rateLimiter: RateLimiters.queue(maxSize),
      signature,
      ...options,
    });
  }

  /** Reverb's `Table.stack`: LIFO sampler and remover, each item sampled once, Stack(maxSize) limiter. */
  static stack(
    name: string,
    maxSize: number,
    signature: NestedSpec,
    options: Partial<TableOptions> = {},
  ): Table {
    return new Table({
      name,
      sampler: Selectors.lifo(),
      remover: Selectors.lifo(),
      maxSize,
      maxTimesSampled: 1,
      rateLimiter: RateLimiters.stack(maxSize),
      signature,
      ...options,
    });
  }

  /** Items in the table. */
  get size(): number {
    return this.#engine.size;
  }
  get maxSize(): number {
    return this.options.maxSize;
  }
  get closed(): boolean {
    return this.#closed;
  }

  /** Whether the rate limiter lets `n` inserts through now. */
  canInsert(n = 1): boolean {
    this.#checkOpen();
    return this.#engine.canInsert(n);
  }

  /** Whether the rate limiter lets `n` samples through now. */
  canSample(n = 1): boolean {
    this.#checkOpen();
    return this.#engine.canSample(n);
  }

  /**
   * Inserts `item` now if the rate limiter allows it and returns its key; returns `undefined`
   * (and changes nothing) when it does not. The item is validated against the signature.
   */
  tryInsert(item: unknown, priority: number): number | undefined {
    this.#checkOpen();
    checkPriority(priority);
    const length = this.layout.check(item);
    this.layout.write(item, this.row, 0, length);
    const key = this.tryInsertRow(priority);
    return key < 0 ? undefined : key;
  }

  /** Inserts `item`, waiting while the rate limiter refuses it; resolves to its key. */
  insert(item: unknown, priority: number, options: WaitOptions = {}): Promise<number> {
    try {
      this.#checkOpen();
      checkPriority(priority);
      const length = this.layout.check(item);
      this.layout.write(item, this.row, 0, length);
      const key = this.tryInsertRow(priority);
      return key >= 0 ? Promise.resolve(key) : this.enqueueRow(priority, options);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /**
   * Inserts the item in `row` now if the rate limiter allows it (and nothing waits before it);
   * returns its key, or -1 (nothing inserted) when it must wait. For adders, which fill `row`.
   */
  tryInsertRow(priority: number): number {
    if (this.#closed) this.#checkOpen();
    checkPriority(priority);
    if (this.#insertWaiters.length > 0 || (!this.#insertsNeverBlock && !this.#engine.canInsert(1))) return -1;
    this.#priority[0] = priority;
    this.#engine.insertBatch(this.#priority, this.row, this.#key);
    if (this.#sampleWaiters.length > 0) this.#pump();
    return this.#key[0]!;
  }

  /** Copies the item in `row` and inserts it once the rate limiter allows; resolves to its key. */
  enqueueRow(priority: number, options: WaitOptions = {}): Promise<number> {
    try {
      this.#checkOpen();
      checkPriority(priority);
      const row = this.#engine.createBatch(1);
      row.float32.set(this.row.float32);
      row.int32.set(this.row.int32);
      row.uint8.set(this.row.uint8);
      row.frameIds.set(this.row.frameIds);
      const waiter = { row, priority } as InsertWaiter;
      const promise = this.#wait<number, InsertWaiter>(
        this.#insertWaiters,
        waiter,
        options,
        'insert',
        () => 'an insert',
      );
      this.#pump();
      return promise;
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** Preallocated outputs for batches of `batchSize`, for `trySample` / `sample({ into })`. */
  createSample(batchSize: number): TableSample {
    if (!(Number.isInteger(batchSize) && batchSize >= 1)) {
      throw new RangeError(`batchSize must be an integer >= 1, got ${batchSize}`);
    }
    return new TableSample(this.layout, this.#engine.createBatch(batchSize));
  }

  /**
   * Samples a batch now if the rate limiter allows the whole batch (and no sample waits before
   * it), into `into` or new outputs; returns `undefined`, drawing nothing, when it does not.
   */
  trySample(into: TableSample | number): TableSample | undefined {
    this.#checkOpen();
    const out = this.#outputs(into);
    if (this.#sampleWaiters.length > 0 || !this.#engine.canSample(out.batchSize)) return undefined;
    this.#draw(out, 0, out.batchSize);
    if (this.#insertWaiters.length > 0) this.#pump();
    return out;
  }

  /** Samples a batch, waiting while the rate limiter refuses it; resolves to the outputs. */
  sample(into: TableSample | number, options: SampleOptions = {}): Promise<TableSample> {
    try {
      this.#checkOpen();
      const out = this.#outputs(into);
      if (this.#sampleWaiters.length === 0 && this.#engine.canSample(out.batchSize)) {
        this.#draw(out, 0, out.batchSize);
        if (this.#insertWaiters.length > 0) this.#pump();
        return Promise.resolve(out);
      }
      const waiter = { out, filled: 0, onSettled: options.onSettled } as SampleWaiter;
      const promise = this.#wait<TableSample, SampleWaiter>(
        this.#sampleWaiters,
        waiter,
        options,
        'sample',
        () => `a sample of ${out.batchSize}`,
      );
      this.#pump();
      return promise;
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** Sets the priorities of keys still in the table; unknown keys are ignored, as in Reverb. Returns how many changed. */
  updatePriorities(keys: Float64Array, priorities: Float64Array): number {
    this.#checkOpen();
    return this.#engine.updatePriorities(keys, priorities);
  }

  /** Deletes keys still in the table (unknown keys are ignored); returns how many. */
  delete(keys: Float64Array): number {
    this.#checkOpen();
    const n = this.#engine.delete(keys);
    if (n > 0) this.#pump();
    return n;
  }

  /** Each key's priority, NaN for keys not in the table. */
  prioritiesOf(keys: Float64Array): Float64Array {
    this.#checkOpen();
    return this.#engine.prioritiesOf(keys);
  }

  /**
   * Stores a frame once (tables with `frames`) and returns its id; `previous` is the id of the
   * frame before it in the same episode, or -1 at an episode start.
   */
  addFrame(frame: Uint8Array, previous = -1): number {
    this.#checkOpen();
    const id = this.#engine.addFrame(frame, previous);
    // Frames leaving the ring may take items with them, which can unblock inserts.
    if (this.#insertWaiters.length > 0) this.#pump();
    return id;
  }

  /** The smallest probability any item has (needs `trackMinProbability`). */
  minProbability(): number {
    this.#checkOpen();
    return this.#engine.minProbability();
  }

  /** Reverb's reset: deletes every item and zeroes the rate limiter. Waiting calls keep waiting. */
  reset(): void {
    this.#checkOpen();
    this.#engine.reset();
    this.#pump();
  }

  info(): TableInfo {
    this.#checkOpen();
    const o = this.options;
    return {
      name: this.name,
      sampler: o.sampler,
      remover: o.remover,
      maxSize: o.maxSize,
      maxTimesSampled: o.maxTimesSampled ?? 0,
      rateLimiter: {
        spec: o.rateLimiter,
        ...this.#limiter,
        inserts: this.#engine.inserts,
        samples: this.#engine.samples,
        deletes: this.#engine.deletes,
      },
      signature: this.signature,
      currentSize: this.#engine.size,
      variableLength: this.layout.variableLength,
      frames: o.frames,
      nextFrameId: o.frames ? this.#engine.nextFrameId : 0,
      pendingInserts: this.#insertWaiters.length,
      pendingSamples: this.#sampleWaiters.length,
      memoryBytes: this.#engine.memoryBytes,
    };
  }

  /** Reverb's `replace`: a new, empty table with these options changed. */
  replace(overrides: Partial<TableOptions>): Table {
    return new Table({ ...this.options, ...overrides });
  }

  /**
   * Writes the whole table (items, priorities, times sampled, rate limiter counters, generator
   * state, frames) to `path` atomically: a crash mid-write leaves the previous file intact.
   * Waiting calls are not part of it.
   */
  async checkpoint(path: string, options: { fs?: AtomicFs } = {}): Promise<void> {
    this.#checkOpen();
    const header = { format: FORMAT_VERSION, options: portableOptions(this.options) };
    await writeFileAtomic(path, encodeCheckpoint(header, this.#engine.checkpoint()), options.fs);
  }

  /** A table with the state of the checkpoint at `path`; it samples exactly as the original would have. */
  static async restore(path: string, options: { binding?: Binding } = {}): Promise<Table> {
    const { readFile } = await import('node:fs/promises');
    const bytes = await readFile(path);
    let decoded: { header: unknown; engine: Uint8Array };
    try {
      decoded = decodeCheckpoint(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    } catch (err) {
      throw new RangeError(`${path}: ${(err as Error).message}`);
    }
    const header = decoded.header;
    if (!isPlainObject(header) || !isPlainObject(header.options)) {
      throw new RangeError(`${path}: not a valid table checkpoint: header has no options`);
    }
    const stored = header.options as Record<string, unknown>;
    const table = new Table({
      ...(stored as unknown as TableOptions),
      signature: specFromJson(stored.signature),
      binding: options.binding,
    });
    try {
      table.#engine.restore(decoded.engine);
    } catch (err) {
      table.close();
      throw new RangeError(`${path}: not a valid table checkpoint: ${(err as Error).message}`);
    }
    return table;
  }

  /** Ends every waiting call with `TableCancelledError` and frees the native storage. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    const error = new TableCancelledError(`Table "${this.name}" was closed`);
    for (const w of this.#insertWaiters.splice(0)) w.reject(error);
    for (const w of this.#sampleWaiters.splice(0)) w.reject(error);
    this.#engine.free();
  }
  [Symbol.dispose](): void {
    this.close();
  }

  #checkOpen(): void {
    if (this.#closed) throw new TableCancelledError(`Table "${this.name}" is closed`);
  }

  #outputs(into: TableSample | number): TableSample {
    if (typeof into === 'number') return this.createSample(into);
    if (!(into instanceof TableSample) || into.layout !== this.layout) {
      throw new TypeError("into must be a TableSample from this table's createSample");
    }
    return into;
  }

  /** Draws `count` items into rows [from, from + count) of `out`. */
  #draw(out: TableSample, from: number, count: number): void {
    const engine = this.#engine;
    if (from === 0 && count === out.batchSize) {
      engine.sample(out);
      // Gather at once: an item sampled for the last time (maxTimesSampled) is readable only until the next call.
      engine.gather(out.keys, out.batch);
      return;
    }
    // A batch completed in parts (it had to wait): draw the part into its own buffers, then copy.
    const part = this.createSample(count);
    engine.sample(part);
    engine.gather(part.keys, part.batch);
    out.keys.set(part.keys, from);
    out.probabilities.set(part.probabilities, from);
    out.priorities.set(part.priorities, from);
    out.timesSampled.set(part.timesSampled, from);
    out.tableSize = part.tableSize;
    for (const c of engine.layout.columns) {
      out.batch.columns[c.name]!.set(part.batch.columns[c.name]!, from * c.size);
    }
  }

  /** The largest number of samples, up to `want`, the rate limiter lets through now. */
  #availableSamples(want: number): number {
    const engine = this.#engine;
    if (engine.canSample(want)) return want;
    if (!engine.canSample(1)) return 0;
    let lo = 1;
    let hi = want - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (engine.canSample(mid)) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Lets waiting calls through, oldest first, for as long as the rate limiter allows. */
  #pump(): void {
    if (this.#pumping || this.#closed) return;
    this.#pumping = true;
    try {
      let progress = true;
      while (progress) {
        progress = false;
        while (this.#insertWaiters.length > 0 && this.#engine.canInsert(1)) {
          const w = this.#insertWaiters.shift()!;
          this.#priority[0] = w.priority;
          try {
            this.#engine.insertBatch(this.#priority, w.row, this.#key);
            w.resolve(this.#key[0]!);
          } catch (err) {
            w.reject(err);
          }
          progress = true;
        }
        while (this.#sampleWaiters.length > 0) {
          const w = this.#sampleWaiters[0]!;
          const n = this.#availableSamples(w.out.batchSize - w.filled);
          if (n === 0) break;
          try {
            this.#draw(w.out, w.filled, n);
            w.filled += n;
          } catch (err) {
            this.#sampleWaiters.shift();
            w.reject(err);
            progress = true;
            continue;
          }
          progress = true;
          if (w.filled < w.out.batchSize) break;
          this.#sampleWaiters.shift();
          w.resolve(w.out);
        }
      }
    } finally {
      this.#pumping = false;
    }
  }

  /** Queues `waiter` until the pump settles it, with its timeout and abort signal. */
  #wait<T, W extends Waiter<T>>(
    queue: W[],
    waiter: W,
    options: WaitOptions,
    operation: 'insert' | 'sample',
    describe: () => string,
  ): Promise<T> {
    const timeoutMs = checkTimeout(options.timeoutMs);
    const signal = options.signal;
    if (signal?.aborted) return Promise.reject(new TableCancelledError(`${describe()} was aborted`));
    return new Promise<T>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const onAbort = () =>
        drop(new TableCancelledError(`${describe()} on table "${this.name}" was aborted`));
      const finish = () => {
        if (timer !== undefined) clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      const drop = (error: Error) => {
        const i = queue.indexOf(waiter);
        if (i < 0) return;
        queue.splice(i, 1);
        waiter.reject(error);
        // The head of a queue left: the next call may be able to proceed.
        this.#pump();
      };
      const onSettled = (waiter as Partial<SampleWaiter>).onSettled;
      waiter.resolve = (value) => {
        finish();
        onSettled?.(undefined);
        resolve(value);
      };
      waiter.reject = (error) => {
        finish();
        onSettled?.(error);
        reject(error);
      };
      if (timeoutMs !== undefined) {
        timer = setTimeout(() => {
          drop(
            new RateLimiterTimeoutError(
              `Table "${this.name}": ${describe()} waited ${timeoutMs} ms and the rate limiter still refuses it (${this.#state()})`,
              this.name,
              operation,
              timeoutMs,
            ),
          );
        }, timeoutMs);
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      queue.push(waiter);
    });
  }

  #state(): string {
    const e = this.#engine;
    const l = this.#limiter;
    return (
      `size ${e.size}, inserts ${e.inserts}, samples ${e.samples}, deletes ${e.deletes}; ` +
      `samplesPerInsert ${l.samplesPerInsert}, minSizeToSample ${l.minSizeToSample}, ` +
      `allowed inserts * samplesPerInsert - samples in [${l.minDiff}, ${l.maxDiff}]`
    );
  }
}

/**
 * The same table with inserts that never wait: what Acme's single-process runner does to every
 * table (`max_diff` set to the largest float), so an actor and a learner taking turns in one
 * thread cannot deadlock. Sampling still waits for `minSizeToSample` and the lower bound.
 */
export function disableInsertBlocking(table: Table): Table {
  const info = table.info().rateLimiter;
  return table.replace({
    rateLimiter: RateLimiters.custom(
      info.samplesPerInsert,
      info.minSizeToSample,
      info.minDiff,
      Number.MAX_VALUE,
    ),
  });
}
