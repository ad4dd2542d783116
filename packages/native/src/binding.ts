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
  /** Releases Rust memory now; absent where the garbage collector owns it (N-API finalizers). */
  free?(): void;
}

/** Everything a binary exposes: one interface per core, joined here. */
export interface Binding extends StatsBinding {
  readonly kind: BackendKind;
}

export interface StatsBinding {
  sumF32(values: Float32Array): number;
  RunningMeanStd: new (dim: number, epsilon: number) => RunningMeanStdCore;
  /** Panics inside Rust on purpose: tests use it to prove a panic becomes an exception. */
  panicForTesting(message: string): never;
}
