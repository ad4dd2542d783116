/** The wasm binding of the stats core (crates/stats via crates/wasm/src/stats.rs). */
import { expectIndex, expectNumber, expectTypedArray, overlaps } from '../args.js';
import type { RunningMeanStdCore, StatsBinding } from '../binding.js';
import type { WasmModule } from './module.js';

interface StatsExports {
  acme_sum_f32(ptr: number, len: number): number;
  acme_panic_for_testing(ptr: number, len: number): void;
  acme_rms_new(dim: number, epsilon: number): number;
  acme_rms_free(handle: number): void;
  acme_rms_update(handle: number, ptr: number, len: number): number;
  acme_rms_normalize(
    handle: number,
    input: number,
    inputLen: number,
    output: number,
    outputLen: number,
    clip: number,
  ): number;
  acme_rms_dim(handle: number): number;
  acme_rms_count(handle: number): number;
  acme_rms_mean(handle: number): number;
  acme_rms_var(handle: number): number;
}

export function bindStats(wasm: WasmModule): StatsBinding {
  const x = wasm.typed<StatsExports>();
  const handles = new WeakMap<object, number>();
  // Frees the Rust half of objects the program forgot to free; `free()` does it deterministically.
  const registry = new FinalizationRegistry<number>((handle) => x.acme_rms_free(handle));

  const handleOf = (self: object): number => {
    const h = handles.get(self);
    if (h === undefined) throw new TypeError('receiver must be a live RunningMeanStd instance');
    return h;
  };

  class RunningMeanStd implements RunningMeanStdCore {
    /** Frees the Rust half now; later calls throw. Freeing twice is harmless. */
    free(): void {
      const h = handles.get(this);
      if (h === undefined) return;
      handles.delete(this);
      registry.unregister(this);
      x.acme_rms_free(h);
    }
    constructor(dim: number, epsilon: number) {
      expectIndex(dim, 'dim', 0xffffffff);
      expectNumber(epsilon, 'epsilon');
      const handle = wasm.call('RunningMeanStd', () => x.acme_rms_new(dim, epsilon));
      if (handle === 0) wasm.check(x.acme_error_code());
      handles.set(this, handle);
      registry.register(this, handle, this);
    }
    get dim(): number {
      return x.acme_rms_dim(handleOf(this));
    }
    get count(): number {
      return x.acme_rms_count(handleOf(this));
    }
    get mean(): Float64Array {
      const h = handleOf(this);
      return wasm.f64s(x.acme_rms_mean(h), this.dim);
    }
    get var(): Float64Array {
      const h = handleOf(this);
      return wasm.f64s(x.acme_rms_var(h), this.dim);
    }
    update(batch: Float32Array): void {
      const h = handleOf(this);
      expectTypedArray(batch, 'batch', 'Float32Array');
      const ptr = wasm.copyIn(0, batch);
      wasm.check(wasm.call('RunningMeanStd.update', () => x.acme_rms_update(h, ptr, batch.length)));
    }
    normalize(input: Float32Array, output: Float32Array, clip: number): void {
      const h = handleOf(this);
      expectTypedArray(input, 'input', 'Float32Array');
      expectTypedArray(output, 'output', 'Float32Array');
      expectNumber(clip, 'clip');
      if (overlaps(input, output)) throw new RangeError('output must not share memory with input');
      const inPtr = wasm.copyIn(0, input);
      const outPtr = wasm.scratchPtr(1, output.byteLength);
      wasm.check(
        wasm.call('RunningMeanStd.normalize', () =>
          x.acme_rms_normalize(h, inPtr, input.length, outPtr, output.length, clip),
        ),
      );
      output.set(new Float32Array(wasm.exports.memory.buffer, outPtr, output.length));
    }
  }

  return {
    sumF32(values: Float32Array): number {
      expectTypedArray(values, 'values', 'Float32Array');
      const ptr = wasm.copyIn(0, values);
      return wasm.call('sumF32', () => x.acme_sum_f32(ptr, values.length));
    },
    panicForTesting(message: string): never {
      if (typeof message !== 'string') throw new TypeError('message must be a string');
      const bytes = new TextEncoder().encode(message);
      const ptr = wasm.copyIn(0, bytes);
      wasm.call('panicForTesting', () => x.acme_panic_for_testing(ptr, bytes.length));
      throw new Error('unreachable: acme_panic_for_testing returned');
    },
    RunningMeanStd,
  };
}
