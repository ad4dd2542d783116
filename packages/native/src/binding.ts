/** The interface both binaries implement; `index.ts` picks one. */

export type BackendKind = 'napi' | 'wasm';

/** Native half of `RunningMeanStd` (see index.ts for the documented public class). */
export interface RunningMeanStdCore {
  readonly dim: number;
  readonly count: number;
  readonly mean: Float64Array;
  readonly var: Float64Array;
  update(batch: Float32Array): void;
  normalize(input: Float32Array, output: Float32Array, clip: number): void;
}

export interface Binding {
  readonly kind: BackendKind;
  sumF32(values: Float32Array): number;
  RunningMeanStd: new (dim: number, epsilon: number) => RunningMeanStdCore;
  /** Panics inside Rust on purpose: tests use it to prove a panic becomes an exception. */
  panicForTesting(message: string): never;
  /** Releases native memory now instead of at garbage collection (a no-op where GC owns it). */
  free(core: object): void;
}
