/**
 * @acme-ts/native: the Rust cores of acme-ts behind one TypeScript API.
 *
 * In Node the N-API addon is loaded; when it is missing or fails to load, the WebAssembly module
 * is used instead. `ACME_NATIVE=napi` or `ACME_NATIVE=wasm` forces one (and fails loudly if it
 * cannot load). `backendInfo()` says which one runs and why.
 */

import { describe, expectBinding } from './args.js';
import type { BackendKind, Binding, RunningMeanStdCore } from './binding.js';
import { loadNapi } from './napi.js';
import { compileWasm, loadWasmFromDisk } from './wasm/index.js';

export type { BackendKind, Binding } from './binding.js';
export * from './frames.js';
export * from './replay.js';

export interface BackendInfo {
  kind: BackendKind;
  /** Why this backend: forced by ACME_NATIVE, the default, or the fallback (with the error). */
  reason: string;
}

let current: { binding: Binding; info: BackendInfo } | undefined;
const loaded = new Map<BackendKind, Binding>();

/** Loads (once) and returns a specific binary; throws if it cannot be loaded. */
export function loadBinding(kind: BackendKind): Binding {
  if (kind !== 'napi' && kind !== 'wasm') {
    throw new RangeError(`kind must be 'napi' or 'wasm', got ${describe(kind)}`);
  }
  let binding = loaded.get(kind);
  if (!binding) {
    binding = kind === 'napi' ? loadNapi() : loadWasmFromDisk();
    loaded.set(kind, binding);
  }
  return binding;
}

function forcedKind(): BackendKind | undefined {
  const value = globalThis.process?.env?.ACME_NATIVE;
  if (value === undefined || value === '') return undefined;
  if (value === 'napi' || value === 'wasm') return value;
  throw new Error(`ACME_NATIVE must be "napi" or "wasm", got "${value}"`);
}

function select(): { binding: Binding; info: BackendInfo } {
  const forced = forcedKind();
  if (forced) {
    try {
      return { binding: loadBinding(forced), info: { kind: forced, reason: 'forced by ACME_NATIVE' } };
    } catch (err) {
      throw new Error(
        `ACME_NATIVE=${forced} but the ${forced} binary failed to load: ${(err as Error).message}`,
      );
    }
  }
  try {
    return { binding: loadBinding('napi'), info: { kind: 'napi', reason: 'default: N-API addon loaded' } };
  } catch (err) {
    const why = (err as Error).message.split('\n')[0];
    return {
      binding: loadBinding('wasm'),
      info: { kind: 'wasm', reason: `fallback: N-API addon unavailable (${why})` },
    };
  }
}

/** The binary in use, loaded on first use. */
export function native(): Binding {
  current ??= select();
  return current.binding;
}

/** Which binary is in use and why. */
export function backendInfo(): BackendInfo {
  current ??= select();
  return current.info;
}

/**
 * For browsers and other hosts without the filesystem: compiles the wasm module from its bytes,
 * a `Response` or a URL and makes it the binary in use.
 */
export async function initWasm(source: BufferSource | Response | URL | string): Promise<Binding> {
  let binding: Binding;
  try {
    binding = await compileWasm(source);
  } catch (err) {
    // WebAssembly's own messages ("expected magic word") do not say which argument was wrong.
    const why = err instanceof Error ? err.message : String(err);
    throw new TypeError(`source must be the acme_native.wasm module (bytes, a Response or a URL): ${why}`);
  }
  loaded.set('wasm', binding);
  current = { binding, info: { kind: 'wasm', reason: 'initialised by initWasm()' } };
  return binding;
}

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
