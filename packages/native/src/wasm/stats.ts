/** The wasm binding of the stats core (crates/stats via crates/wasm/src/stats.rs). */
import { expectIndex, expectNumber, expectTypedArray, overlaps } from '../args.js';
import type { RunningMeanStdCore, StatsBinding } from '../binding.js';
import { Handles } from './handles.js';
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
  let x = wasm.typed<StatsExports>();
  wasm.onNewInstance(() => {
    x = wasm.typed<StatsExports>();
  });
  const handles = new Handles(wasm, 'RunningMeanStd', (h) => x.acme_rms_free(h));

  class RunningMeanStd implements RunningMeanStdCore {
    /** Frees the Rust half now; later calls throw. Freeing twice is harmless. */
    free(): void {
      handles.free(this);
    }
    constructor(dim: number, epsilon: number) {
      expectIndex(dim, 'dim', 0xffffffff);
      expectNumber(epsilon, 'epsilon');
      const handle = wasm.call('RunningMeanStd', () => x.acme_rms_new(dim, epsilon));
      if (handle === 0) wasm.check(x.acme_error_code());
      handles.add(this, handle);
    }
    get dim(): number {
      return x.acme_rms_dim(handles.get(this)) >>> 0;
    }
    get count(): number {
      return x.acme_rms_count(handles.get(this));
    }
    get mean(): Float64Array {
      const h = handles.get(this);
      return wasm.f64s(x.acme_rms_mean(h), this.dim);
    }
    get var(): Float64Array {
      const h = handles.get(this);
      return wasm.f64s(x.acme_rms_var(h), this.dim);
    }
    update(batch: Float32Array): void {
      const h = handles.get(this);
      expectTypedArray(batch, 'batch', 'Float32Array');
      const ptr = wasm.copyIn(0, batch, 'batch');
      wasm.check(wasm.call('RunningMeanStd.update', () => x.acme_rms_update(h, ptr, batch.length)));
    }
    normalize(input: Float32Array, output: Float32Array, clip: number): void {
      const h = handles.get(this);
      expectTypedArray(input, 'input', 'Float32Array');
      expectTypedArray(output, 'output', 'Float32Array');
      expectNumber(clip, 'clip');
      if (overlaps(input, output)) throw new RangeError('output must not share memory with input');
      const inPtr = wasm.copyIn(0, input, 'input');
      const outPtr = wasm.scratchPtr(1, output.byteLength, 'output');
      wasm.check(
        wasm.call('RunningMeanStd.normalize', () =>
          x.acme_rms_normalize(h, inPtr, input.length, outPtr, output.length, clip),
        ),
      );
      output.set(new Float32Array(x.memory.buffer, outPtr, output.length));
    }
  }

  return {
    sumF32(values: Float32Array): number {
      expectTypedArray(values, 'values', 'Float32Array');
      const ptr = wasm.copyIn(0, values, 'values');
      return wasm.call('sumF32', () => x.acme_sum_f32(ptr, values.length));
    },
    panicForTesting(message: string): never {
      if (typeof message !== 'string') throw new TypeError('message must be a string');
      const bytes = new TextEncoder().encode(message);
      const ptr = wasm.copyIn(0, bytes, 'message');
      wasm.call('panicForTesting', () => x.acme_panic_for_testing(ptr, bytes.length));
      throw new Error('unreachable: acme_panic_for_testing returned');
    },
    RunningMeanStd,
  };
}
