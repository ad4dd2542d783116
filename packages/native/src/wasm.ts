/**
 * The WebAssembly binding: a hand-written loader for the C-ABI module built from crates/wasm
 * (wasm-bindgen is not available here). Conventions, from crates/wasm/src/ffi.rs: the caller
 * allocates with `acme_alloc`; a fallible export returns a status code (1 TypeError, 2 RangeError,
 * 3 Error) with its message behind `acme_error_*`; a Rust panic traps after storing its message
 * under code 4.
 */
import { expectIndex, expectNumber, expectTypedArray, overlaps } from './args.js';
import type { Binding, RunningMeanStdCore } from './binding.js';

interface Exports {
  memory: WebAssembly.Memory;
  acme_init(): void;
  acme_error_code(): number;
  acme_error_ptr(): number;
  acme_error_len(): number;
  acme_error_clear(): void;
  acme_alloc(size: number, align: number): number;
  acme_free(ptr: number, size: number, align: number): void;
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

const PANIC = 4;
const ERRORS = [Error, TypeError, RangeError, Error] as const;

/** One instantiated module: memory access, error translation and reusable scratch buffers. */
export class WasmModule {
  readonly exports: Exports;
  private readonly scratch: { ptr: number; bytes: number }[] = [];

  constructor(module: WebAssembly.Module) {
    this.exports = new WebAssembly.Instance(module, {}).exports as unknown as Exports;
    this.exports.acme_init();
  }

  /** Runs `fn`, turning a trap into the panic's message (or the trap's, if none was stored). */
  call<T>(what: string, fn: (x: Exports) => T): T {
    const x = this.exports;
    try {
      return fn(x);
    } catch (err) {
      if (err instanceof WebAssembly.RuntimeError) {
        const message =
          x.acme_error_code() === PANIC ? this.errorMessage() : `${err.message} (no panic message)`;
        x.acme_error_clear();
        throw new Error(`Rust panic in ${what}: ${message}`);
      }
      throw err;
    }
  }

  /** Throws the stored error when `status` is not 0. */
  check(status: number): void {
    if (status === 0) return;
    const message = this.errorMessage();
    this.exports.acme_error_clear();
    throw new (ERRORS[status] ?? Error)(message);
  }

  private errorMessage(): string {
    const x = this.exports;
    return new TextDecoder().decode(new Uint8Array(x.memory.buffer, x.acme_error_ptr(), x.acme_error_len()));
  }

  /** A reusable allocation of at least `bytes` (slot `i`), 8-byte aligned; valid until the next call. */
  scratchPtr(i: number, bytes: number): number {
    const x = this.exports;
    let s = this.scratch[i];
    if (!s || s.bytes < bytes) {
      if (s) x.acme_free(s.ptr, s.bytes, 8);
      const size = Math.max(64, 2 ** Math.ceil(Math.log2(Math.max(bytes, 1))));
      const ptr = x.acme_alloc(size, 8);
      if (ptr === 0) throw new RangeError(`cannot allocate ${bytes} bytes of wasm memory`);
      s = { ptr, bytes: size };
      this.scratch[i] = s;
    }
    return s.ptr;
  }

  /** Copies a typed array into scratch slot `i` and returns its address. */
  copyIn(i: number, values: ArrayBufferView): number {
    const ptr = this.scratchPtr(i, values.byteLength);
    new Uint8Array(this.exports.memory.buffer, ptr, values.byteLength).set(
      new Uint8Array(values.buffer, values.byteOffset, values.byteLength),
    );
    return ptr;
  }

  f64s(ptr: number, len: number): Float64Array {
    return new Float64Array(this.exports.memory.buffer, ptr, len).slice();
  }
}

export function bindWasm(wasm: WasmModule): Binding {
  const handles = new WeakMap<object, number>();
  // Frees the Rust half of objects the program forgot to free; `free()` does it deterministically.
  const registry = new FinalizationRegistry<number>((handle) => wasm.exports.acme_rms_free(handle));

  const handleOf = (self: object): number => {
    const h = handles.get(self);
    if (h === undefined) throw new TypeError('receiver must be a live RunningMeanStd instance');
    return h;
  };

  class RunningMeanStd implements RunningMeanStdCore {
    constructor(dim: number, epsilon: number) {
      expectIndex(dim, 'dim', 0xffffffff);
      expectNumber(epsilon, 'epsilon');
      const handle = wasm.call('RunningMeanStd', (x) => x.acme_rms_new(dim, epsilon));
      if (handle === 0) wasm.check(wasm.exports.acme_error_code());
      handles.set(this, handle);
      registry.register(this, handle, this);
    }
    get dim(): number {
      return wasm.exports.acme_rms_dim(handleOf(this));
    }
    get count(): number {
      return wasm.exports.acme_rms_count(handleOf(this));
    }
    get mean(): Float64Array {
      const h = handleOf(this);
      return wasm.f64s(wasm.exports.acme_rms_mean(h), this.dim);
    }
    get var(): Float64Array {
      const h = handleOf(this);
      return wasm.f64s(wasm.exports.acme_rms_var(h), this.dim);
    }
    update(batch: Float32Array): void {
      const h = handleOf(this);
      expectTypedArray(batch, 'batch', 'Float32Array');
      const ptr = wasm.copyIn(0, batch);
      wasm.check(wasm.call('RunningMeanStd.update', (x) => x.acme_rms_update(h, ptr, batch.length)));
    }
    normalize(input: Float32Array, output: Float32Array, clip: number): void {
      const h = handleOf(this);
      expectTypedArray(input, 'input', 'Float32Array');
      expectTypedArray(output, 'output', 'Float32Array');
      expectNumber(clip, 'clip');
      if (overlaps(input, output)) throw new RangeError('input and output must not share memory');
      const inPtr = wasm.copyIn(0, input);
      const outPtr = wasm.scratchPtr(1, output.byteLength);
      wasm.check(
        wasm.call('RunningMeanStd.normalize', (x) =>
          x.acme_rms_normalize(h, inPtr, input.length, outPtr, output.length, clip),
        ),
      );
      output.set(new Float32Array(wasm.exports.memory.buffer, outPtr, output.length));
    }
  }

  return {
    kind: 'wasm',
    sumF32(values: Float32Array): number {
      expectTypedArray(values, 'values', 'Float32Array');
      const ptr = wasm.copyIn(0, values);
      return wasm.call('sumF32', (x) => x.acme_sum_f32(ptr, values.length));
    },
    panicForTesting(message: string): never {
      if (typeof message !== 'string') throw new TypeError('message must be a string');
      const bytes = new TextEncoder().encode(message);
      const ptr = wasm.copyIn(0, bytes);
      wasm.call('panicForTesting', (x) => x.acme_panic_for_testing(ptr, bytes.length));
      throw new Error('unreachable: acme_panic_for_testing returned');
    },
    RunningMeanStd,
    free(core: object): void {
      const h = handles.get(core);
      if (h === undefined) return;
      handles.delete(core);
      registry.unregister(core);
      wasm.exports.acme_rms_free(h);
    },
  };
}

/** Compiles the module shipped beside this package (Node), synchronously. */
export function loadWasmFromDisk(): Binding {
  const proc = globalThis.process;
  if (!proc?.versions?.node) {
    throw new Error('in a browser, call initWasm(source) with the acme_native.wasm bytes or URL first');
  }
  const { readFileSync } = proc.getBuiltinModule('node:fs') as typeof import('node:fs');
  const bytes = readFileSync(new URL('../binaries/acme_native.wasm', import.meta.url));
  return bindWasm(new WasmModule(new WebAssembly.Module(bytes)));
}

/** Compiles the module from bytes, a Response or a URL (any environment with WebAssembly). */
export async function compileWasm(source: BufferSource | Response | URL | string): Promise<Binding> {
  let module: WebAssembly.Module;
  if (source instanceof URL || typeof source === 'string') {
    module = await WebAssembly.compileStreaming(fetch(source));
  } else if (typeof Response !== 'undefined' && source instanceof Response) {
    module = await WebAssembly.compileStreaming(source);
  } else {
    module = await WebAssembly.compile(source as BufferSource);
  }
  return bindWasm(new WasmModule(module));
}
