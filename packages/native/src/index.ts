/**
 * @acme-ts/native: the Rust cores of acme-ts behind one TypeScript API.
 *
 * In Node the N-API addon is loaded; when it is missing or fails to load, the WebAssembly module
 * is used instead. `ACME_NATIVE=napi` or `ACME_NATIVE=wasm` forces one (and fails loudly if it
 * cannot load). `backendInfo()` says which one runs and why.
 */

import { expectBinding } from './args.js';
import type { Binding, RunningMeanStdCore } from './binding.js';
import { native } from './loader.js';

export type { BackendKind, Binding } from './binding.js';
export * from './frames.js';
export { type BackendInfo, backendInfo, initWasm, loadBinding, native } from './loader.js';
export * from './replay.js';

/** Sum of a Float32Array, accumulated in float64. */
export function sumF32(values: Float32Array): number {
  return native().sumF32(values);
}

/**
 * Running per-element mean and variance of a stream of vectors (Stable-Baselines3's
 * `RunningMeanStd`), for observation normalisation.
 *
 * ```ts
 * const rms = new RunningMeanStd(2);
 * rms.update(new Float32Array([1, 10, 3, 30])); // two rows of dim 2
 * const out = new Float32Array(2);
 * rms.normalize(new Float32Array([2, 20]), out); // ≈ [0, 0]
 * ```
 */
export class RunningMeanStd {
  readonly #core: RunningMeanStdCore;

  /** @param epsilon pseudo-count of the initial (mean 0, variance 1) estimate. */
  constructor(dim: number, epsilon = 1e-4, binding: Binding = native()) {
    expectBinding(binding, 'binding');
    this.#core = new binding.RunningMeanStd(dim, epsilon);
  }

  get dim(): number {
    return this.#core.dim;
  }
  get count(): number {
    return this.#core.count;
  }
  get mean(): Float64Array {
    return this.#core.mean;
  }
  get var(): Float64Array {
    return this.#core.var;
  }

  /** Folds in `batch.length / dim` rows; a batch holding NaN or ±Infinity is refused whole. */
  update(batch: Float32Array): void {
    this.#core.update(batch);
  }

  /** Writes clip((x - mean) / sqrt(var + 1e-8), ±clip) of every row of `input` into `output`. */
  normalize(input: Float32Array, output: Float32Array, clip = 10): void {
    this.#core.normalize(input, output, clip);
  }

  /** Frees the Rust memory now (otherwise the garbage collector does it). */
  free(): void {
    this.#core.free();
  }

  [Symbol.dispose](): void {
    this.free();
  }
}

export {
  type AdamStep,
  adamUpdate,
  type Conv2dGeometry,
  conv2d,
  conv2dBackpropFilter,
  conv2dBackpropInput,
  denseBackward,
  type FusedActivation,
  type FusedOptions,
  type KernelOptions,
  kernelThreads,
  type MatMulShape,
  matMul,
  setKernelThreads,
  unsortedSegmentSum,
} from './kernels.js';
