/**
 * The wasm binding of the frames core (crates/frames via crates/wasm/src/frames.rs).
 *
 * Each object owns one input buffer per pooled frame in wasm memory and hands them out as views
 * (`inputView`): a frame written there goes to Rust without a copy. Any other Uint8Array is copied
 * into scratch memory first. A view detaches when wasm memory grows (any allocation may grow it),
 * so `inputView` re-creates it when that happened, and passing a detached view throws instead of
 * reading an empty array.
 */
import { expectAttached, expectIndex, expectTypedArray } from '../args.js';
import type { FramePreprocessorBatchCore, FramePreprocessorCore, FramesBinding } from '../frames-binding.js';
import { outOfMemory, type WasmModule } from './module.js';

interface FramesExports {
  acme_frames_new(...options: number[]): number;
  acme_frames_free(handle: number): void;
  acme_frames_reset(handle: number, frame: number, len: number): number;
  acme_frames_step(
    handle: number,
    hasPrevious: number,
    previous: number,
    previousLen: number,
    latest: number,
    latestLen: number,
  ): number;
  acme_frames_read_u8(handle: number, out: number, len: number): number;
  acme_frames_read_f32(handle: number, out: number, len: number): number;
  acme_frames_batch_new(numEnvs: number, ...options: number[]): number;
  acme_frames_batch_free(handle: number): void;
  acme_frames_batch_reset(
    handle: number,
    frames: number,
    framesLen: number,
    hasMask: number,
    mask: number,
    maskLen: number,
  ): number;
  acme_frames_batch_step(
    handle: number,
    hasPrevious: number,
    previous: number,
    previousLen: number,
    latest: number,
    latestLen: number,
    hasMask: number,
    mask: number,
    maskLen: number,
  ): number;
  acme_frames_batch_read_u8(handle: number, out: number, len: number): number;
  acme_frames_batch_read_f32(handle: number, out: number, len: number): number;
}

const U32 = 0xffffffff;
const OPTION_NAMES = [
  'height',
  'width',
  'scaleDims[0]',
  'scaleDims[1]',
  'grayscaling',
  'pooledFrames',
  'numStackedFrames',
  'resetFill',
] as const;

/** Scratch slots of `WasmModule` used here (any call may reuse them once it returns). */
const SCRATCH_PREVIOUS = 0;
const SCRATCH_LATEST = 1;
const SCRATCH_MASK = 2;
const SCRATCH_OUT = 3;

export function bindFrames(wasm: WasmModule): FramesBinding {
  let x = wasm.typed<FramesExports>();
  wasm.onNewInstance(() => {
    x = wasm.typed<FramesExports>();
  });

  /**
   * What the two classes share: the Rust handle, the input buffers and their views, and the
   * translation of arguments into wasm pointers.
   */
  class Native {
    readonly handle: number;
    readonly inputs: number[] = [];
    readonly inputBytes: number;
    readonly views: (Uint8Array | undefined)[] = [];
    /** Every view handed out, to recognise a detached one. */
    readonly handedOut = new WeakSet<Uint8Array>();
    /** The instance this object lives in (see `WasmModule`). */
    readonly generation = wasm.generation;
    freed = false;

    constructor(what: string, handle: number, inputs: number, inputBytes: number) {
      if (handle === 0) wasm.check(x.acme_error_code());
      this.handle = handle >>> 0;
      this.inputBytes = inputBytes;
      for (let i = 0; i < inputs; i++) {
        const ptr = wasm.alloc(inputBytes, 32);
        if (ptr === 0) {
          this.release(what);
          throw outOfMemory(what === 'FramePreprocessor' ? 'numStackedFrames' : 'numEnvs', inputBytes);
        }
        this.inputs.push(ptr);
      }
    }

    release(what: string): void {
      // Pointers into a replaced instance mean nothing in the new one.
      if (this.generation === wasm.generation) {
        for (const ptr of this.inputs) x.acme_free(ptr, this.inputBytes, 32);
        if (what === 'FramePreprocessor') x.acme_frames_free(this.handle);
        else x.acme_frames_batch_free(this.handle);
      }
      this.inputs.length = 0;
      this.freed = true;
    }

    live(what: string): void {
      if (this.freed) throw new TypeError(`receiver must be a live ${what} instance`);
      if (this.generation !== wasm.generation) {
        throw new TypeError(
          `receiver must be a live ${what} instance; this one was lost with its wasm instance (${wasm.lastTrap})`,
        );
      }
    }

    view(slot: number, what: string): Uint8Array {
      this.live(what);
      expectIndex(slot, 'slot', this.inputs.length - 1);
      let view = this.views[slot];
      if (!view || view.buffer !== x.memory.buffer) {
        view = new Uint8Array(x.memory.buffer, this.inputs[slot]!, this.inputBytes);
        this.views[slot] = view;
        this.handedOut.add(view);
      }
      return view;
    }

    /**
     * The wasm address of `array`'s bytes: where it is when it already lies in wasm memory (one of
     * our views, say), else a copy's in scratch memory.
     */
    place(array: Uint8Array, name: string, scratch: number): number {
      // Before the type check, which would call a grown-out view merely detached.
      if (this.handedOut.has(array) && array.buffer !== x.memory.buffer) {
        throw new TypeError(
          `${name} is a view of wasm memory that has since grown; call frameBuffer() again`,
        );
      }
      expectTypedArray(array, name, 'Uint8Array');
      if (array.buffer === x.memory.buffer) return array.byteOffset;
      return wasm.copyIn(scratch, array, name);
    }

    /** Reads the observation through `readU8`/`readF32` into scratch memory, then into `out`. */
    read(
      out: Uint8Array | Float32Array,
      readU8: (ptr: number, len: number) => number,
      readF32: (ptr: number, len: number) => number,
      what: string,
    ): void {
      const tag = ArrayBuffer.isView(out)
        ? (out as { [Symbol.toStringTag]?: string })[Symbol.toStringTag]
        : '';
      if (tag !== 'Uint8Array' && tag !== 'Float32Array') {
        throw new TypeError('out must be a Uint8Array or a Float32Array');
      }
      expectAttached(out.buffer, 'out');
      const ptr = wasm.scratchPtr(SCRATCH_OUT, out.byteLength, 'out');
      const bytes = tag === 'Uint8Array';
      wasm.check(wasm.call(`${what}.read`, () => (bytes ? readU8 : readF32)(ptr, out.length)));
      const buffer = x.memory.buffer;
      out.set(bytes ? new Uint8Array(buffer, ptr, out.length) : new Float32Array(buffer, ptr, out.length));
    }
  }

  const natives = new WeakMap<object, Native>();
  const registry = new FinalizationRegistry<{ native: Native; what: string }>(({ native, what }) => {
    if (!native.freed) wasm.release(what, () => native.release(what));
  });
  const nativeOf = (self: object, what: string): Native => {
    const native = natives.get(self);
    if (!native) throw new TypeError(`receiver must be a live ${what} instance`);
    native.live(what);
    return native;
  };
  const checkOptions = (options: number[]): void => {
    for (const [i, name] of OPTION_NAMES.entries()) expectIndex(options[i], name, U32);
  };
  const frameBytes = (height: number, width: number): number => height * width * 3;

  class FramePreprocessor implements FramePreprocessorCore {
    constructor(...options: number[]) {
      checkOptions(options);
      const handle = wasm.call('FramePreprocessor', () => x.acme_frames_new(...options));
      const [height, width, , , , pooled] = options as [number, number, number, number, number, number];
      const native = new Native('FramePreprocessor', handle, pooled, frameBytes(height, width));
      natives.set(this, native);
      registry.register(this, { native, what: 'FramePreprocessor' }, this);
    }
    inputView(slot: number): Uint8Array {
      return nativeOf(this, 'FramePreprocessor').view(slot, 'FramePreprocessor');
    }
    reset(frame: Uint8Array): void {
      const n = nativeOf(this, 'FramePreprocessor');
      const ptr = n.place(frame, 'frame', SCRATCH_LATEST);
      wasm.check(
        wasm.call('FramePreprocessor.reset', () => x.acme_frames_reset(n.handle, ptr, frame.length)),
      );
    }
    step(previous: Uint8Array | null, latest: Uint8Array, out?: Uint8Array | Float32Array): void {
      const n = nativeOf(this, 'FramePreprocessor');
      const prev = previous == null ? 0 : n.place(previous, 'previous', SCRATCH_PREVIOUS);
      const ptr = n.place(latest, 'latest', SCRATCH_LATEST);
      const has = previous == null ? 0 : 1;
      const prevLen = previous == null ? 0 : previous.length;
      wasm.check(
        wasm.call('FramePreprocessor.step', () =>
          x.acme_frames_step(n.handle, has, prev, prevLen, ptr, latest.length),
        ),
      );
      // `out` lies outside wasm memory: it is filled by a copy either way.
      if (out !== undefined) this.read(out);
    }
    read(out: Uint8Array | Float32Array): void {
      const n = nativeOf(this, 'FramePreprocessor');
      n.read(
        out,
        (ptr, len) => x.acme_frames_read_u8(n.handle, ptr, len),
        (ptr, len) => x.acme_frames_read_f32(n.handle, ptr, len),
        'FramePreprocessor',
      );
    }
    /** Frees the Rust half and the input buffers now; later calls throw. Freeing twice is harmless. */
    free(): void {
      const n = natives.get(this);
      if (!n || n.freed) return;
      registry.unregister(this);
      n.release('FramePreprocessor');
    }
  }

  class FramePreprocessorBatch implements FramePreprocessorBatchCore {
    constructor(numEnvs: number, ...options: number[]) {
      expectIndex(numEnvs, 'numEnvs', U32);
      checkOptions(options);
      const handle = wasm.call('FramePreprocessorBatch', () => x.acme_frames_batch_new(numEnvs, ...options));
      const [height, width, , , , pooled] = options as [number, number, number, number, number, number];
      const bytes = numEnvs * frameBytes(height, width);
      const native = new Native('FramePreprocessorBatch', handle, pooled, bytes);
      natives.set(this, native);
      registry.register(this, { native, what: 'FramePreprocessorBatch' }, this);
    }
    inputView(slot: number): Uint8Array {
      return nativeOf(this, 'FramePreprocessorBatch').view(slot, 'FramePreprocessorBatch');
    }
    reset(frames: Uint8Array, mask: Uint8Array | null): void {
      const n = nativeOf(this, 'FramePreprocessorBatch');
      const ptr = n.place(frames, 'frames', SCRATCH_LATEST);
      const m = mask == null ? 0 : n.place(mask, 'mask', SCRATCH_MASK);
      const has = mask == null ? 0 : 1;
      const maskLen = mask == null ? 0 : mask.length;
      wasm.check(
        wasm.call('FramePreprocessorBatch.reset', () =>
          x.acme_frames_batch_reset(n.handle, ptr, frames.length, has, m, maskLen),
        ),
      );
    }
    step(
      previous: Uint8Array | null,
      latest: Uint8Array,
      resetMask: Uint8Array | null,
      out?: Uint8Array | Float32Array,
    ): void {
      const n = nativeOf(this, 'FramePreprocessorBatch');
      const prev = previous == null ? 0 : n.place(previous, 'previous', SCRATCH_PREVIOUS);
      const ptr = n.place(latest, 'latest', SCRATCH_LATEST);
      const m = resetMask == null ? 0 : n.place(resetMask, 'resetMask', SCRATCH_MASK);
      const hasPrev = previous == null ? 0 : 1;
      const prevLen = previous == null ? 0 : previous.length;
      const hasMask = resetMask == null ? 0 : 1;
      const maskLen = resetMask == null ? 0 : resetMask.length;
      wasm.check(
        wasm.call('FramePreprocessorBatch.step', () =>
          x.acme_frames_batch_step(n.handle, hasPrev, prev, prevLen, ptr, latest.length, hasMask, m, maskLen),
        ),
      );
      if (out !== undefined) this.read(out);
    }
    read(out: Uint8Array | Float32Array): void {
      const n = nativeOf(this, 'FramePreprocessorBatch');
      n.read(
        out,
        (ptr, len) => x.acme_frames_batch_read_u8(n.handle, ptr, len),
        (ptr, len) => x.acme_frames_batch_read_f32(n.handle, ptr, len),
        'FramePreprocessorBatch',
      );
    }
    free(): void {
      const n = natives.get(this);
      if (!n || n.freed) return;
      registry.unregister(this);
      n.release('FramePreprocessorBatch');
    }
  }

  return {
    FramePreprocessor: FramePreprocessor as unknown as FramesBinding['FramePreprocessor'],
    FramePreprocessorBatch: FramePreprocessorBatch as unknown as FramesBinding['FramePreprocessorBatch'],
  };
}
