/**
 * Atari frame preprocessing: the hot path of pixel-based agents, in Rust.
 *
 * Raw RGB frames in (height x width x 3 uint8, HWC), stacked observations out, in the
 * Stable-Baselines3 `WarpFrame` / OpenAI-baselines order the DQN papers use:
 * 1. element-wise max of the last two frames (Atari sprites flicker);
 * 2. RGB to gray exactly as OpenCV's `cvtColor(COLOR_RGB2GRAY)`;
 * 3. area resize exactly as OpenCV's `resize(INTER_AREA)` (210x160 -> 84x84 by default);
 * 4. a stack of the last `numStackedFrames` results on a new last axis, oldest first
 *    (84 x 84 x 4, the layout of Acme's `FrameStacker` and of tfjs' NHWC tensors).
 *
 * Results equal OpenCV 4.x (as built for x86-64) bit for bit; see crates/frames.
 */

import { describe, expectAttached, expectBinding } from './args.js';
import type { Binding } from './binding.js';
import type { FramePreprocessorBatchCore, FramePreprocessorCore } from './frames-binding.js';
import { native } from './loader.js';

/** What fills the stack on `reset`. */
export type ResetFill = 'zeros' | 'first';

export interface FramePreprocessorOptions {
  /** Input frame height (rows). Default 210, the ALE screen. */
  height?: number;
  /** Input frame width (columns). Default 160. */
  width?: number;
  /** Output `[height, width]`, each at most the input's (Acme's `scale_dims`). Default `[84, 84]`. */
  scaleDims?: readonly [number, number];
  /** Gray output; `false` keeps RGB, resized per channel (Acme's `grayscaling`). Default true. */
  grayscaling?: boolean;
  /** Frames max-pooled into one, 1 or 2 (Acme's `pooled_frames`). Default 2. */
  pooledFrames?: 1 | 2;
  /** Depth of the frame stack (Acme's `num_stacked_frames`), 1 to 64. Default 4. */
  numStackedFrames?: number;
  /**
   * How `reset` fills the stack: `'zeros'` (k - 1 zero frames then the first frame: Acme's
   * `FrameStacker`, SB3's `VecFrameStack`) or `'first'` (k copies of the first frame: OpenAI
   * baselines, Gymnasium's `FrameStackObservation`). Default `'zeros'`.
   */
  resetFill?: ResetFill;
}

/** The options with every default filled in. */
export type ResolvedFrameOptions = Required<FramePreprocessorOptions>;

const DEFAULTS: ResolvedFrameOptions = {
  height: 210,
  width: 160,
  scaleDims: [84, 84],
  grayscaling: true,
  pooledFrames: 2,
  numStackedFrames: 4,
  resetFill: 'zeros',
};

const KEYS = new Set(Object.keys(DEFAULTS));

/** Checks the types of `options` (Rust checks the ranges) and fills in defaults. */
export function resolveFrameOptions(options: FramePreprocessorOptions = {}): ResolvedFrameOptions {
  if (typeof options !== 'object' || options === null) throw new TypeError('options must be an object');
  for (const key of Object.keys(options)) {
    if (!KEYS.has(key)) throw new TypeError(`unknown option ${key}; expected one of ${[...KEYS].join(', ')}`);
  }
  const o = { ...DEFAULTS, ...options } as ResolvedFrameOptions;
  for (const key of ['height', 'width', 'pooledFrames', 'numStackedFrames'] as const) {
    if (typeof o[key] !== 'number') throw new TypeError(`${key} must be a number`);
  }
  if (!Array.isArray(o.scaleDims) || o.scaleDims.length !== 2) {
    throw new TypeError('scaleDims must be an array [height, width]');
  }
  o.scaleDims.forEach((v, i) => {
    if (typeof v !== 'number') throw new TypeError(`scaleDims[${i}] must be a number`);
  });
  if (typeof o.grayscaling !== 'boolean') throw new TypeError('grayscaling must be a boolean');
  if (o.resetFill !== 'zeros' && o.resetFill !== 'first') {
    throw new RangeError(`resetFill must be 'zeros' or 'first', got ${describe(o.resetFill)}`);
  }
  return { ...o, scaleDims: [o.scaleDims[0], o.scaleDims[1]] };
}

/** The positional numbers the native constructors take. */
function nativeArgs(o: ResolvedFrameOptions): number[] {
  return [
    o.height,
    o.width,
    o.scaleDims[0],
    o.scaleDims[1],
    o.grayscaling ? 1 : 0,
    o.pooledFrames,
    o.numStackedFrames,
    o.resetFill === 'zeros' ? 0 : 1,
  ];
}

/** Shapes shared by both classes, per environment. */
class FrameShapes {
  readonly options: ResolvedFrameOptions;
  /** Bytes of one input frame (height x width x 3). */
  readonly frameLength: number;
  /** `[h, w, k]` gray, `[h, w, 3, k]` RGB (Acme's layout). */
  readonly observationShape: readonly number[];
  /** Elements of one observation. */
  readonly observationLength: number;

  constructor(options: ResolvedFrameOptions) {
    this.options = options;
    const [h, w] = options.scaleDims;
    const k = options.numStackedFrames;
    this.frameLength = options.height * options.width * 3;
    this.observationShape = options.grayscaling ? [h, w, k] : [h, w, 3, k];
    this.observationLength = this.observationShape.reduce((a, b) => a * b, 1);
  }
}

/**
 * With `length`, `out` must have it: checked before a step, so that a wrong `out` leaves the
 * preprocessor as it was rather than stepped with nothing read.
 */
function expectOut(out: unknown, length?: number): asserts out is Uint8Array | Float32Array {
  if (!(ArrayBuffer.isView(out) && (isTag(out, 'Uint8Array') || isTag(out, 'Float32Array')))) {
    throw new TypeError('out must be a Uint8Array or a Float32Array');
  }
  // Before the length: a detached array reads as length 0, and both binaries must say "detached".
  expectAttached(out.buffer, 'out');
  const actual = (out as Uint8Array | Float32Array).length;
  if (length !== undefined && actual !== length) {
    throw new RangeError(`out must have length ${length}, got ${actual}`);
  }
}

function expectBytes(value: unknown, name: string): asserts value is Uint8Array {
  if (!(ArrayBuffer.isView(value) && isTag(value, 'Uint8Array')))
    throw new TypeError(`${name} must be a Uint8Array`);
}

function isTag(view: ArrayBufferView, tag: string): boolean {
  return (view as { [Symbol.toStringTag]?: string })[Symbol.toStringTag] === tag;
}

/**
 * Input buffers, one per pooled frame: wasm memory views where the binary has them. `live` is
 * false once the object was freed: the N-API addon's buffers live in JavaScript and would outlive
 * it, but a freed object refuses every call on both binaries alike.
 */
function frameBufferOf(
  core: FramePreprocessorCore | FramePreprocessorBatchCore,
  own: Uint8Array[],
  slot: number,
  pooled: number,
  length: number,
  what: string,
  live: boolean,
): Uint8Array {
  if (!live) throw new TypeError(`receiver must be a live ${what} instance`);
  if (!(Number.isInteger(slot) && slot >= 0 && slot < pooled)) {
    throw new RangeError(`slot must be an integer in [0, ${pooled - 1}], got ${describe(slot)}`);
  }
  if (core.inputView) return core.inputView(slot);
  own[slot] ??= new Uint8Array(length);
  return own[slot]!;
}

/**
 * One environment's frames in, stacked observations out.
 *
 * ```ts
 * const pre = new FramePreprocessor(); // 210x160 RGB -> 84x84 gray, max of 2, stack of 4
 * const obs = new Uint8Array(pre.observationLength); // 84 * 84 * 4, oldest frame first
 * pre.reset(firstFrame, obs);
 * pre.step(previousFrame, latestFrame, obs); // max-pools the two, pushes the result
 * ```
 *
 * To skip a copy, render frames straight into `frameBuffer(0)` and `frameBuffer(1)` and pass
 * those (the max is symmetric, so the two can simply alternate). On the wasm binary they are
 * views into wasm memory: fetch them again after creating other native objects, since growing
 * wasm memory detaches old views (`step` then throws rather than reading garbage).
 *
 * Every method checks its arguments before changing anything: a wrong type is a `TypeError`, a
 * wrong length or option a `RangeError`, each naming the argument.
 */
export class FramePreprocessor extends FrameShapes {
  readonly #core: FramePreprocessorCore;
  readonly #own: Uint8Array[] = [];
  #freed = false;

  constructor(options: FramePreprocessorOptions = {}, binding: Binding = native()) {
    super(resolveFrameOptions(options));
    expectBinding(binding, 'binding');
    this.#core = new binding.FramePreprocessor(...(nativeArgs(this.options) as ConstructorArgs));
  }

  /** Input buffer `slot` (0 .. pooledFrames - 1), see the class notes. */
  frameBuffer(slot = 0): Uint8Array {
    return frameBufferOf(
      this.#core,
      this.#own,
      slot,
      this.options.pooledFrames,
      this.frameLength,
      'FramePreprocessor',
      !this.#freed,
    );
  }

  /**
   * Starts an episode from its first frame (not pooled: there is no frame before it) and fills the
   * rest of the stack per `resetFill`; writes the observation to `out` when given.
   */
  reset(frame: Uint8Array, out?: Uint8Array | Float32Array): void {
    expectBytes(frame, 'frame');
    if (out !== undefined) expectOut(out, this.observationLength);
    this.#core.reset(frame);
    if (out !== undefined) this.#core.read(out);
  }

  /**
   * Pushes the next observation: `latest` max-pooled with `previous` (which must be null when
   * `pooledFrames` is 1); writes the stacked observation to `out` when given.
   */
  step(previous: Uint8Array | null, latest: Uint8Array, out?: Uint8Array | Float32Array): void {
    checkStepFrames(this.options.pooledFrames, previous, latest);
    if (out !== undefined) expectOut(out, this.observationLength);
    this.#core.step(previous, latest, out);
  }

  /** Writes the stacked observation: bytes into a Uint8Array, or divided by 255 into a Float32Array. */
  read(out: Uint8Array | Float32Array): void {
    expectOut(out);
    this.#core.read(out);
  }

  /** Frees the Rust memory now (otherwise the garbage collector does it). */
  free(): void {
    this.#freed = true;
    this.#core.free();
  }

  [Symbol.dispose](): void {
    this.free();
  }
}

type ConstructorArgs = [number, number, number, number, number, number, number, number];

function checkStepFrames(pooled: number, previous: Uint8Array | null, latest: Uint8Array): void {
  if (pooled === 2) {
    expectBytes(previous, 'previous');
  } else if (previous !== null && previous !== undefined) {
    throw new TypeError('previous must be null when pooledFrames is 1');
  }
  expectBytes(latest, 'latest');
}

/**
 * `numEnvs` environments in one call (vectorised environments): each argument holds the
 * environments' frames (or masks, or observations) back to back, environment 0 first.
 *
 * ```ts
 * const batch = new FramePreprocessorBatch(8);
 * const obs = new Uint8Array(8 * batch.observationLength);
 * batch.reset(firstFrames, obs);
 * batch.step(previousFrames, latestFrames, obs, doneMask); // done envs restart from latestFrames
 * ```
 */
export class FramePreprocessorBatch extends FrameShapes {
  readonly numEnvs: number;
  readonly #core: FramePreprocessorBatchCore;
  readonly #own: Uint8Array[] = [];
  #freed = false;

  constructor(numEnvs: number, options: FramePreprocessorOptions = {}, binding: Binding = native()) {
    super(resolveFrameOptions(options));
    if (typeof numEnvs !== 'number') throw new TypeError('numEnvs must be a number');
    expectBinding(binding, 'binding');
    this.#core = new binding.FramePreprocessorBatch(
      numEnvs,
      ...(nativeArgs(this.options) as ConstructorArgs),
    );
    this.numEnvs = numEnvs;
  }

  /** Input buffer `slot`, `numEnvs` frames long (see `FramePreprocessor.frameBuffer`). */
  frameBuffer(slot = 0): Uint8Array {
    return frameBufferOf(
      this.#core,
      this.#own,
      slot,
      this.options.pooledFrames,
      this.numEnvs * this.frameLength,
      'FramePreprocessorBatch',
      !this.#freed,
    );
  }

  /**
   * Resets the environments whose `mask` byte is non-zero (all without a mask) from their frames in
   * `frames`; writes every environment's observation to `out` when given.
   */
  reset(frames: Uint8Array, out?: Uint8Array | Float32Array, mask?: Uint8Array | null): void {
    expectBytes(frames, 'frames');
    if (out !== undefined) expectOut(out, this.numEnvs * this.observationLength);
    if (mask != null) expectBytes(mask, 'mask');
    this.#core.reset(frames, mask ?? null);
    if (out !== undefined) this.#core.read(out);
  }

  /**
   * Steps every environment; one whose `resetMask` byte is non-zero is reset from its `latest`
   * frame instead (an auto-resetting vector env returns the next episode's first frame there).
   */
  step(
    previous: Uint8Array | null,
    latest: Uint8Array,
    out?: Uint8Array | Float32Array,
    resetMask?: Uint8Array | null,
  ): void {
    checkStepFrames(this.options.pooledFrames, previous, latest);
    if (out !== undefined) expectOut(out, this.numEnvs * this.observationLength);
    if (resetMask != null) expectBytes(resetMask, 'resetMask');
    this.#core.step(previous, latest, resetMask ?? null, out);
  }

  read(out: Uint8Array | Float32Array): void {
    expectOut(out);
    this.#core.read(out);
  }

  free(): void {
    this.#freed = true;
    this.#core.free();
  }

  [Symbol.dispose](): void {
    this.free();
  }
}
