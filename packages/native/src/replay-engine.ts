/**
 * `ReplayEngine`: one Reverb-like table in Rust (N-API or wasm) — items in columnar storage, a
 * sampler and a remover chosen among Reverb's selectors, a rate limiter's counters, a seeded
 * generator, and optionally deduplicated frames for pixel observations. It is the engine under
 * `@acme-ts/replay`'s `Table`, which adds blocking on the rate limiter, adders and datasets.
 *
 * Keys are JavaScript numbers (exact integers below 2^53), passed in batches as `Float64Array`s:
 * one typed array crosses the boundary per batch, and numbers work as `Map` keys and in JSON,
 * which BigInts do not. A key encodes its slot and a generation, so lookups need no hashing and
 * keys are never reused.
 */
import { describe, expectBinding, expectTypedArray, MAX_BATCH } from './args.js';
import type { Binding, ReplayEngineCore } from './binding.js';
import { native } from './loader.js';
import { encodeRateLimiter, type RateLimiterSpec, RateLimiters } from './replay-rate-limiter.js';
import { encodeSelector, type SelectorSpec, Selectors } from './replay-selectors.js';
import { type ColumnSpec, type FramesOptions, ReplayBatch, ReplayLayout } from './replay-storage.js';

export interface ReplayEngineOptions {
  /** Items kept; beyond it the remover deletes one item per insert. */
  readonly maxSize: number;
  readonly sampler: SelectorSpec;
  /** Default: `Selectors.fifo()` (the oldest item goes). */
  readonly remover?: SelectorSpec;
  /** Default: `RateLimiters.minSize(1)`. */
  readonly rateLimiter?: RateLimiterSpec;
  /** An item is deleted after this many samples; 0 (default) means never. */
  readonly maxTimesSampled?: number;
  /** Seed of the generator behind every random choice (default 0). */
  readonly seed?: number;
  /**
   * With a prioritized sampler: draw a batch stratified (one draw per equal segment of the total
   * priority, as prioritized-replay DQN does; default) or with independent draws (Reverb).
   */
  readonly stratified?: boolean;
  /** Keep a min tree so `minProbability()` works (for globally normalised importance weights). */
  readonly trackMinProbability?: boolean;
  readonly columns?: readonly ColumnSpec[];
  readonly frames?: FramesOptions;
  /** Which binary (default: the one `native()` picks). */
  readonly binding?: Binding;
}

/** Preallocated outputs of `sample`, refilled by every call. */
export interface ReplaySample {
  readonly keys: Float64Array;
  /** Probability of each draw at sample time. */
  readonly probabilities: Float64Array;
  /** Each item's priority (only when created with `info`). */
  readonly priorities?: Float64Array;
  /** Times each item was sampled, this draw included (only when created with `info`). */
  readonly timesSampled?: Int32Array;
  /** Items in the table when the batch was drawn. */
  tableSize: number;
}

function flag(value: unknown, name: string, fallback: boolean): number {
  if (value === undefined) return fallback ? 1 : 0;
  if (typeof value !== 'boolean') throw new TypeError(`${name} must be a boolean`);
  return value ? 1 : 0;
}

function numberOr(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number') throw new TypeError(`${name} must be a number`);
  return value;
}

/** The config array the core decodes (layout documented in crates/replay/src/config.rs). */
function encodeConfig(options: ReplayEngineOptions, layout: ReplayLayout): Float64Array {
  const f = layout.frames;
  return new Float64Array([
    1,
    numberOr(options.maxSize, 'maxSize', Number.NaN),
    numberOr(options.maxTimesSampled, 'maxTimesSampled', 0),
    numberOr(options.seed, 'seed', 0),
    ...encodeSelector(options.sampler, 'sampler'),
    ...encodeSelector(options.remover ?? Selectors.fifo(), 'remover'),
    flag(options.stratified, 'stratified', true),
    flag(options.trackMinProbability, 'trackMinProbability', false),
    ...encodeRateLimiter(options.rateLimiter ?? RateLimiters.minSize(1)),
    f ? f.frameSize : 0,
    f ? f.capacity : 0,
    f ? f.stack : 0,
    f?.resetFill === 'first' ? 1 : 0,
    f?.axis === 'first' ? 1 : 0,
    layout.columns.length,
    ...layout.encodeColumns(),
  ]);
}

/** Config entries that fix the layout of rows and stacks: frame size, stack, axis, columns. */
function layoutPart(config: Float64Array): number[] {
  return [config[15]!, config[17]!, config[19]!, ...config.subarray(20)];
}

/**
 * ```ts
 * const engine = new ReplayEngine({
 *   maxSize: 1000,
 *   sampler: Selectors.prioritized(0.6),
 *   columns: [{ name: 'observation', dtype: 'float32', shape: [4] }, { name: 'action', dtype: 'int32' }],
 *   seed: 1,
 * });
 * const key = engine.insert(1.0, { observation: [0.1, 0.2, 0.3, 0.4], action: [1] });
 * const sample = engine.sample(32);
 * const batch = engine.gather(sample.keys);
 * batch.columns.observation; // Float32Array of 32 x 4
 * engine.updatePriorities(sample.keys, new Float64Array(32).fill(2));
 * ```
 */
export class ReplayEngine {
  readonly layout: ReplayLayout;
  readonly #binding: Binding;
  #core: ReplayEngineCore;
  readonly #config: Float64Array;
  #row: ReplayBatch | undefined;
  readonly #priority = new Float64Array(1);
  readonly #key = new Float64Array(1);

  constructor(options: ReplayEngineOptions) {
    if (typeof options !== 'object' || options === null) throw new TypeError('options must be an object');
    const binding = options.binding ?? native();
    expectBinding(binding, 'options.binding');
    this.#binding = binding;
    this.layout = new ReplayLayout(options.columns ?? [], options.frames, options.maxSize);
    this.#config = encodeConfig(options, this.layout);
    this.#core = new this.#binding.ReplayEngine(this.#config);
  }

  /** Items in the table. */
  get size(): number {
    return this.#core.size;
  }
  get maxSize(): number {
    return this.#core.config[1]!;
  }
  /** Rate limiter counters. */
  get inserts(): number {
    return this.#core.inserts;
  }
  get samples(): number {
    return this.#core.samples;
  }
  get deletes(): number {
    return this.#core.deletes;
  }
  /** The id the next `addFrame` returns. */
  get nextFrameId(): number {
    return this.#core.nextFrameId;
  }
  /** Ids in [oldestFrameId, nextFrameId) are stored. */
  get oldestFrameId(): number {
    return this.#core.oldestFrameId;
  }
  /** Bytes of native memory the engine holds. */
  get memoryBytes(): number {
    return this.#core.memoryBytes;
  }

  /** Buffers for `size` rows of this engine's columns. */
  createBatch(size: number): ReplayBatch {
    return new ReplayBatch(this.layout, size);
  }

  /** Outputs for `sample`; with `info`, also each item's priority and times sampled. */
  createSample(batchSize: number, options: { info?: boolean } = {}): ReplaySample {
    // Bounded so that a mistyped size fails at once on both binaries instead of allocating (and
    // on N-API sampling) billions of rows.
    if (!(Number.isInteger(batchSize) && batchSize >= 0 && batchSize <= MAX_BATCH)) {
      throw new RangeError(`batchSize must be an integer in [0, ${MAX_BATCH}], got ${describe(batchSize)}`);
    }
    return {
      keys: new Float64Array(batchSize),
      probabilities: new Float64Array(batchSize),
      ...(options.info
        ? { priorities: new Float64Array(batchSize), timesSampled: new Int32Array(batchSize) }
        : {}),
      tableSize: 0,
    };
  }

  /**
   * Inserts one item and returns its key. `row` is a 1-row `ReplayBatch`, or an object with one
   * entry per column: the row's values for data columns, the newest frame id for frame stacks.
   */
  insert(priority: number, row?: ReplayBatch | Readonly<Record<string, ArrayLike<number> | number>>): number {
    if (typeof priority !== 'number') throw new TypeError('priority must be a number');
    // Checked here, not by the core, whose message would name priorities[0].
    if (!(priority >= 0 && Number.isFinite(priority))) {
      throw new RangeError(`priority must be a finite number >= 0, got ${describe(priority)}`);
    }
    this.#priority[0] = priority;
    const batch = row instanceof ReplayBatch ? row : this.#fillRow(row ?? {});
    this.insertBatch(this.#priority, batch, this.#key);
    return this.#key[0]!;
  }

  #fillRow(values: Readonly<Record<string, ArrayLike<number> | number>>): ReplayBatch {
    if (typeof values !== 'object' || values === null)
      throw new TypeError('row must be an object or a ReplayBatch');
    this.#row ??= this.createBatch(1);
    const row = this.#row;
    for (const c of this.layout.columns) {
      const v = values[c.name];
      if (v === undefined) throw new RangeError(`row.${c.name} is missing`);
      if (c.kind === 'frameStack') {
        if (typeof v !== 'number') throw new TypeError(`row.${c.name} must be a frame id (a number)`);
        row.frameIdColumns[c.name]![0] = v;
      } else {
        const values = typeof v === 'number' ? [v] : v;
        if (typeof values !== 'object' || values === null || typeof values.length !== 'number') {
          throw new TypeError(`row.${c.name} must be a number or an array of numbers, got ${describe(v)}`);
        }
        if (values.length !== c.size) {
          throw new RangeError(`row.${c.name} must have ${c.size} values, got ${values.length}`);
        }
        for (let i = 0; i < values.length; i++) {
          if (typeof values[i] !== 'number') {
            throw new TypeError(`row.${c.name}[${i}] must be a number, got ${describe(values[i])}`);
          }
        }
        row.columns[c.name]!.set(values);
      }
    }
    return row;
  }

  /** Inserts `priorities.length` items from `batch`; writes and returns their keys. */
  insertBatch(priorities: Float64Array, batch: ReplayBatch, keys?: Float64Array): Float64Array {
    // Checked before a default `keys` is made from its length.
    expectTypedArray(priorities, 'priorities', 'Float64Array');
    const out = keys ?? new Float64Array(priorities.length);
    if (!(batch instanceof ReplayBatch)) throw new TypeError('batch must be a ReplayBatch');
    if (batch.layout !== this.layout && layoutKey(batch.layout) !== layoutKey(this.layout)) {
      throw new RangeError("batch must come from this engine's createBatch (its columns differ)");
    }
    if (batch.size !== priorities.length) {
      throw new RangeError(`batch has ${batch.size} rows but priorities has ${priorities.length}`);
    }
    this.#core.insert(priorities, batch.float32, batch.int32, batch.uint8, batch.frameIds, out);
    return out;
  }

  /**
   * Stores a frame once and returns its id; `previous` is the id of the frame before it in the
   * same episode, or -1 at an episode start. Items whose stacks use a frame that leaves the ring
   * are deleted.
   */
  addFrame(frame: Uint8Array, previous = -1): number {
    return this.#core.addFrame(frame, previous);
  }

  /**
   * Samples into `into` (or new outputs for a batch of that many). The sampler decides; the rate
   * limiter is not consulted here (a blocking table asks `canSample` first).
   */
  sample(into: ReplaySample | number): ReplaySample {
    const out = typeof into === 'number' ? this.#sampleOf(into) : into;
    expectSample(out);
    out.tableSize =
      out.priorities && out.timesSampled
        ? this.#core.sampleWithInfo(out.keys, out.probabilities, out.priorities, out.timesSampled)
        : this.#core.sample(out.keys, out.probabilities);
    return out;
  }

  /** `createSample(into)` for `sample(into)`, whose argument is named `into`. */
  #sampleOf(into: number): ReplaySample {
    if (!(Number.isInteger(into) && into >= 0 && into <= MAX_BATCH)) {
      throw new RangeError(
        `into must be a ReplaySample or a batch size in [0, ${MAX_BATCH}], got ${describe(into)}`,
      );
    }
    return this.createSample(into);
  }

  /** Sets priorities of keys still in the table (others are skipped); returns how many changed. */
  updatePriorities(keys: Float64Array, priorities: Float64Array): number {
    return this.#core.updatePriorities(keys, priorities);
  }

  /** Deletes keys still in the table (others are skipped); returns how many were deleted. */
  delete(keys: Float64Array): number {
    return this.#core.delete(keys);
  }

  /**
   * Writes the rows of `keys` into `into` (by default a new batch). Keys sampled for the last
   * time (`maxTimesSampled`) can still be gathered until the next insert, sample, update or
   * delete.
   */
  gather(keys: Float64Array, into?: ReplayBatch): ReplayBatch {
    expectTypedArray(keys, 'keys', 'Float64Array');
    const batch = into ?? this.createBatch(keys.length);
    if (!(batch instanceof ReplayBatch)) throw new TypeError('into must be a ReplayBatch');
    if (batch.size !== keys.length)
      throw new RangeError(`into has ${batch.size} rows but keys has ${keys.length}`);
    this.#core.gather(keys, batch.float32, batch.int32, batch.uint8, batch.stacks);
    return batch;
  }

  /** Each key's priority, NaN for keys not in the table. */
  prioritiesOf(keys: Float64Array, out?: Float64Array): Float64Array {
    expectTypedArray(keys, 'keys', 'Float64Array');
    const result = out ?? new Float64Array(keys.length);
    this.#core.prioritiesOf(keys, result);
    return result;
  }

  /** Whether the rate limiter lets `numInserts` inserts through now. */
  canInsert(numInserts = 1): boolean {
    return this.#core.canInsert(numInserts);
  }
  /** Whether the rate limiter lets `numSamples` samples through now. */
  canSample(numSamples = 1): boolean {
    return this.#core.canSample(numSamples);
  }

  /** The smallest probability any item has now (needs `trackMinProbability`). */
  minProbability(): number {
    return this.#core.minProbability();
  }

  /** Deletes every item and frame and zeroes the rate limiter; later keys never repeat old ones. */
  reset(): void {
    this.#core.reset();
  }

  /** The whole state as versioned, checksummed bytes. */
  checkpoint(): Uint8Array {
    return this.#core.checkpoint();
  }

  /**
   * Replaces the state with a checkpoint's. The checkpoint's columns and frame layout must match
   * this engine's; its other options (maxSize, selectors, rate limiter) come with it, as in
   * Reverb. Corrupt bytes are refused with a RangeError and change nothing.
   */
  restore(bytes: Uint8Array): void {
    const fresh = new this.#binding.ReplayEngine(this.#config);
    try {
      fresh.restore(bytes);
      if (layoutPart(fresh.config).join() !== layoutPart(this.#core.config).join()) {
        throw new RangeError("the checkpoint's columns or frame layout differ from this engine's");
      }
    } catch (err) {
      fresh.free();
      throw err;
    }
    this.#core.free();
    this.#core = fresh;
  }

  /** The generator's state (4 words); `setRngState` puts it back. */
  getRngState(): Uint32Array {
    const out = new Uint32Array(4);
    this.#core.getRngState(out);
    return out;
  }
  setRngState(state: Uint32Array): void {
    this.#core.setRngState(state);
  }

  /** Frees the Rust memory now (otherwise the garbage collector does it). */
  free(): void {
    this.#core.free();
  }
  [Symbol.dispose](): void {
    this.free();
  }
}

/** `sample(into)`'s outputs: Float64Arrays `keys` and `probabilities`, optionally the info pair. */
function expectSample(into: unknown): asserts into is ReplaySample {
  if (typeof into !== 'object' || into === null || ArrayBuffer.isView(into) || Array.isArray(into)) {
    throw new TypeError(
      `into must be a ReplaySample (from createSample) or a batch size, got ${describe(into)}`,
    );
  }
  const s = into as ReplaySample;
  expectTypedArray(s.keys, 'into.keys', 'Float64Array');
  expectTypedArray(s.probabilities, 'into.probabilities', 'Float64Array');
  if (s.priorities !== undefined) expectTypedArray(s.priorities, 'into.priorities', 'Float64Array');
  if (s.timesSampled !== undefined) expectTypedArray(s.timesSampled, 'into.timesSampled', 'Int32Array');
}

function layoutKey(layout: ReplayLayout): string {
  return JSON.stringify([
    layout.columns,
    layout.frames?.frameSize,
    layout.frames?.stack,
    layout.frames?.axis,
  ]);
}
