/**
 * The WebAssembly binding: a hand-written loader for the C-ABI module built from crates/wasm
 * (wasm-bindgen is not available here). Conventions, from crates/wasm/src/ffi.rs: the caller
 * allocates with `acme_alloc`; a fallible export returns a status code (1 TypeError, 2 RangeError,
 * 3 Error) with its message behind `acme_error_*`; a Rust panic traps after storing its message
 * under code 4.
 */
/** Exports every module has (crates/wasm/src/ffi.rs); each core's file declares its own. */
export interface CoreExports {
  memory: WebAssembly.Memory;
  acme_init(): void;
  acme_error_code(): number;
  acme_error_ptr(): number;
  acme_error_len(): number;
  acme_error_clear(): void;
  acme_alloc(size: number, align: number): number;
  acme_free(ptr: number, size: number, align: number): void;
}

const PANIC = 4;
const ERRORS = [Error, TypeError, RangeError, Error] as const;

/** One instantiated module: memory access, error translation and reusable scratch buffers. */
export class WasmModule {
  readonly exports: CoreExports;
  private readonly scratch: { ptr: number; bytes: number }[] = [];

  constructor(module: WebAssembly.Module) {
    this.exports = new WebAssembly.Instance(module, {}).exports as unknown as CoreExports;
    this.exports.acme_init();
  }

  /** Runs `fn`, turning a trap into the panic's message (or the trap's, if none was stored). */
  call<T>(what: string, fn: () => T): T {
    const x = this.exports;
    try {
      return fn();
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

  /** The exports of one core, typed by that core's binding file. */
  typed<T>(): T & CoreExports {
    return this.exports as T & CoreExports;
  }

  f64s(ptr: number, len: number): Float64Array {
    return new Float64Array(this.exports.memory.buffer, ptr, len).slice();
  }
}
