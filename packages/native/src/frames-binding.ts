/**
 * The native halves of `FramePreprocessor` and `FramePreprocessorBatch` (see frames.ts for the
 * documented public classes), as both binaries implement them. Options travel as positional
 * numbers: height, width, outHeight, outWidth, grayscaling (0/1), pooledFrames,
 * numStackedFrames, resetFill (0 zeros, 1 first).
 */

export interface FramePreprocessorCore {
  reset(frame: Uint8Array): void;
  /**
   * `previous` is null when pooledFrames is 1. With `out`, the observation is read into it as
   * well (in the same call where the binary can).
   */
  step(previous: Uint8Array | null, latest: Uint8Array, out?: Uint8Array | Float32Array): void;
  /** The stacked observation as bytes, or divided by 255 into a Float32Array. */
  read(out: Uint8Array | Float32Array): void;
  /**
   * wasm only: input buffer `slot` (one per pooled frame) as a view into wasm memory; a frame
   * written there is passed to `reset`/`step` without a copy.
   */
  inputView?(slot: number): Uint8Array;
  /** Releases Rust memory now (else the garbage collector does); later calls throw a TypeError. */
  free(): void;
}

export interface FramePreprocessorBatchCore {
  /** Resets the environments whose `mask` byte is non-zero (all when null) from `frames`. */
  reset(frames: Uint8Array, mask: Uint8Array | null): void;
  /**
   * Steps every environment; those whose `resetMask` byte is non-zero are reset instead. With
   * `out`, each observation is read out too (right after its environment's step where the binary
   * can, while its frames are in cache).
   */
  step(
    previous: Uint8Array | null,
    latest: Uint8Array,
    resetMask: Uint8Array | null,
    out?: Uint8Array | Float32Array,
  ): void;
  read(out: Uint8Array | Float32Array): void;
  /** wasm only: as `FramePreprocessorCore.inputView`, `numEnvs` frames long. */
  inputView?(slot: number): Uint8Array;
  free(): void;
}

export interface FramesBinding {
  FramePreprocessor: new (
    height: number,
    width: number,
    outHeight: number,
    outWidth: number,
    grayscaling: number,
    pooledFrames: number,
    numStackedFrames: number,
    resetFill: number,
  ) => FramePreprocessorCore;
  FramePreprocessorBatch: new (
    numEnvs: number,
    height: number,
    width: number,
    outHeight: number,
    outWidth: number,
    grayscaling: number,
    pooledFrames: number,
    numStackedFrames: number,
    resetFill: number,
  ) => FramePreprocessorBatchCore;
}
