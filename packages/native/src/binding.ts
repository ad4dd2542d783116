/** The interface both binaries implement; `index.ts` picks one. */
import type { FramesBinding } from './frames-binding.js';
import type { KernelsBinding } from './kernels-binding.js';

export type BackendKind = 'napi' | 'wasm';

/** Native half of `RunningMeanStd` (see index.ts for the documented public class). */
export interface RunningMeanStdCore {
  readonly dim: number;
  readonly count: number;
  readonly mean: Float64Array;
  readonly var: Float64Array;
  update(batch: Float32Array): void;
  normalize(input: Float32Array, output: Float32Array, clip: number): void;
  /** Releases Rust memory now (else the garbage collector does); later calls throw a TypeError. */
  free(): void;
}

/** Everything a binary exposes: one interface per core, joined here. */
export interface Binding extends FramesBinding, StatsBinding, ReplayBinding, KernelsBinding {
  readonly kind: BackendKind;
}

export interface StatsBinding {
  sumF32(values: Float32Array): number;
  RunningMeanStd: new (dim: number, epsilon: number) => RunningMeanStdCore;
  /** Panics inside Rust on purpose: tests use it to prove a panic becomes an exception. */
  panicForTesting(message: string): never;
}

/**
 * Native half of `ReplayEngine` (see replay-engine.ts for the documented public class). Batches
 * cross as typed arrays; keys and frame ids are numbers below 2^53 in Float64Arrays.
 */
export interface ReplayEngineCore {
  readonly size: number;
  readonly inserts: number;
  readonly samples: number;
  readonly deletes: number;
  readonly nextFrameId: number;
  readonly oldestFrameId: number;
  readonly memoryBytes: number;
  /** The encoded config (replay-config.ts), as decoded and validated by the core. */
  readonly config: Float64Array;
  insert(
    priorities: Float64Array,
    float32: Float32Array,
    int32: Int32Array,
    uint8: Uint8Array,
    frameIds: Float64Array,
    keys: Float64Array,
  ): void;
  addFrame(frame: Uint8Array, previous: number): number;
  sample(keys: Float64Array, probabilities: Float64Array): number;
  sampleWithInfo(
    keys: Float64Array,
    probabilities: Float64Array,
    priorities: Float64Array,
    timesSampled: Int32Array,
  ): number;
  updatePriorities(keys: Float64Array, priorities: Float64Array): number;
  delete(keys: Float64Array): number;
  gather(
    keys: Float64Array,
    float32: Float32Array,
    int32: Int32Array,
    uint8: Uint8Array,
    stacks: Uint8Array,
  ): void;
  prioritiesOf(keys: Float64Array, out: Float64Array): number;
  reset(): void;
  canInsert(numInserts: number): boolean;
  canSample(numSamples: number): boolean;
  minProbability(): number;
  checkpoint(): Uint8Array;
  restore(bytes: Uint8Array): void;
  getRngState(out: Uint32Array): void;
  setRngState(state: Uint32Array): void;
  free(): void;
}

/** Native half of `RateLimiter` (see replay-rate-limiter.ts). */
export interface RateLimiterCore {
  readonly samplesPerInsert: number;
  readonly minSizeToSample: number;
  readonly minDiff: number;
  readonly maxDiff: number;
  readonly inserts: number;
  readonly samples: number;
  readonly deletes: number;
  canInsert(numInserts: number): boolean;
  canSample(numSamples: number): boolean;
  insert(n: number): void;
  sample(n: number): void;
  delete(n: number): void;
  reset(): void;
  free(): void;
}

export interface ReplayBinding {
  ReplayEngine: new (config: Float64Array) => ReplayEngineCore;
  RateLimiter: new (spec: Float64Array) => RateLimiterCore;
}
