/**
 * The WebAssembly binding: a hand-written loader for the C-ABI module built from crates/wasm
 * (wasm-bindgen is not available here). Conventions, from crates/wasm/src/ffi.rs: the caller
 * allocates with `acme_alloc`; a fallible export returns a status code (1 TypeError, 2 RangeError,
 * 3 Error) with its message behind `acme_error_*`; a Rust panic traps after storing its message
 * under code 4.
 *
 * Addresses and sizes come back from wasm as i32s: every one is read through `>>> 0`, or past
 * 2 GiB of memory it would turn negative.
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
/**
 * The largest block wasm32 can allocate (Rust's `isize::MAX`). Sizes and lengths cross into wasm as
 * 32-bit integers, so anything larger must be refused before the call, never passed truncated.
 */
export const MAX_ALLOCATION = 2 ** 31 - 1;
const ERRORS = [Error, TypeError, RangeError, Error] as const;

/**
 * One module and its current instance: memory access, error translation and reusable scratch
 * buffers.
 *
 * A trap (a Rust panic, or an allocation that failed where it could not be refused) leaves the
 * instance in an unknown state: a structure may be half updated, and Rust's runtime counts the
 * unfinished panic, so that after two it stops reporting messages at all. The module is therefore
 * instantiated afresh after every trap. Objects made on the old instance are lost (their methods
 * say so); everything made afterwards works, and every panic keeps its message.
 */
export class WasmModule {
  #exports!: CoreExports;
  /** Increments with every instance; an object remembers the one it was made on. */
  generation = 0;
  /** Why the last instance was replaced (empty until a trap). */
  lastTrap = '';
  readonly #module: WebAssembly.Module;
  readonly #listeners: (() => void)[] = [];
  private scratch: ({ ptr: number; bytes: number } | undefined)[] = [];

  constructor(module: WebAssembly.Module) {
    this.#module = module;
    this.#instantiate();
  }

  get exports(): CoreExports {
    return this.#exports;
  }

  #instantiate(): void {
    this.#exports = new WebAssembly.Instance(this.#module, {}).exports as unknown as CoreExports;
    this.#exports.acme_init();
    this.scratch = [];
    this.generation++;
    for (const listener of this.#listeners) listener();
  }

  /** Calls `listener` after each new instance (a core's file re-reads its exports there). */
  onNewInstance(listener: () => void): void {
    this.#listeners.push(listener);
  }

  /**
   * Runs `fn`, turning a trap into an Error carrying the panic's message (or saying that none was
   * stored: an allocation failure aborts without one), after which a fresh instance replaces the
   * trapped one.
   */
  call<T>(what: string, fn: () => T): T {
    const x = this.#exports;
    try {
      return fn();
    } catch (err) {
      if (err instanceof WebAssembly.RuntimeError) {
        const message =
          x.acme_error_code() === PANIC
            ? this.errorMessage()
            : `${err.message} (no panic message: an allocation failed or Rust aborted)`;
        this.lastTrap = `Rust panic in ${what}: ${message}`;
        this.#instantiate();
        throw new Error(
          `${this.lastTrap}; the wasm instance was replaced, and objects made before it are lost`,
        );
      }
      throw err;
    }
  }

  /**
   * Runs a finalizer's free (`what` names the object): as `call`, but a trap is not thrown, since
   * a FinalizationRegistry callback has no caller to throw to and an uncaught error there would end
   * the process. The trapped instance is replaced all the same.
   */
  release(what: string, fn: () => void): void {
    try {
      this.call(`the finalizer of ${what}`, fn);
    } catch {
      // `call` has already recorded the trap in `lastTrap` and replaced the instance.
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
    const x = this.#exports;
    const bytes = new Uint8Array(x.memory.buffer, x.acme_error_ptr() >>> 0, x.acme_error_len() >>> 0);
    return new TextDecoder().decode(bytes);
  }

  /**
   * `acme_alloc`, with the address read as unsigned; 0 when the memory cannot be had.
   *
   * `bytes` is checked here, not in Rust: a JavaScript number passed for a `usize` is truncated to
   * 32 bits, so 2^32 + 8 would arrive as 8 and return a block far smaller than the caller believes
   * it has, and every write into it would corrupt the heap. Nothing over `MAX_ALLOCATION` can be
   * allocated on wasm32 anyway.
   */
  alloc(bytes: number, align: number): number {
    if (!(Number.isInteger(bytes) && bytes >= 0 && bytes <= MAX_ALLOCATION)) return 0;
    return this.#exports.acme_alloc(bytes, align) >>> 0;
  }

  /**
   * A reusable allocation of at least `bytes` (slot `i`), 8-byte aligned; valid until the next
   * call. `name` is the argument it holds, for the error when the memory cannot be had.
   */
  scratchPtr(i: number, bytes: number, name: string): number {
    // Before the slot is looked at: a size the slot's test cannot order (NaN) must not reuse it.
    if (!(Number.isInteger(bytes) && bytes >= 0 && bytes <= MAX_ALLOCATION)) throw outOfMemory(name, bytes);
    const x = this.#exports;
    let s = this.scratch[i];
    if (!s || s.bytes < bytes) {
      if (s) {
        // Forget the slot first: if the larger allocation fails, no later call may use it.
        this.scratch[i] = undefined;
        x.acme_free(s.ptr, s.bytes, 8);
      }
      // Powers of two, so a slot that grows does so rarely; a request above half the largest
      // allocation takes exactly what it asks for (its power of two could not be had at all).
      const size =
        bytes > MAX_ALLOCATION / 2 ? bytes : Math.max(64, 2 ** Math.ceil(Math.log2(Math.max(bytes, 1))));
      const ptr = this.alloc(size, 8);
      if (ptr === 0) throw outOfMemory(name, bytes);
      s = { ptr, bytes: size };
      this.scratch[i] = s;
    }
    return s.ptr;
  }

  /** Copies `values` (argument `name`) into scratch slot `i` and returns its address. */
  copyIn(i: number, values: ArrayBufferView, name: string): number {
    const ptr = this.scratchPtr(i, values.byteLength, name);
    new Uint8Array(this.#exports.memory.buffer, ptr, values.byteLength).set(
      new Uint8Array(values.buffer, values.byteOffset, values.byteLength),
    );
    return ptr;
  }

  /** The exports of one core, typed by that core's binding file (re-read after a new instance). */
  typed<T>(): T & CoreExports {
    return this.#exports as T & CoreExports;
  }

  f64s(ptr: number, len: number): Float64Array {
    return new Float64Array(this.#exports.memory.buffer, ptr >>> 0, len).slice();
  }
}

/** The error for an argument that does not fit in what is left of the 4 GiB of wasm memory. */
export function outOfMemory(name: string, bytes: number): RangeError {
  return new RangeError(`${name} needs ${bytes} bytes of wasm memory, more than can be allocated`);
}
