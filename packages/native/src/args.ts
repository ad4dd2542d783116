/**
 * Argument checks for the wasm binding, whose C ABI only sees pointers and numbers. The N-API addon
 * makes the same checks in Rust (crates/node/src/napi.rs); the messages here are worded identically
 * so both binaries fail alike. Checks of values (ranges, lengths) live in the Rust cores, which
 * both binaries share.
 */

export type TypedArrayName = 'Float32Array' | 'Float64Array' | 'Uint8Array' | 'Int32Array' | 'Uint32Array';

/** True when `buffer` was detached (transferred): its views then read as empty. */
export function isDetached(buffer: ArrayBufferLike): boolean {
  const flag = (buffer as { detached?: boolean }).detached;
  if (typeof flag === 'boolean') return flag;
  // Node 20 has no `detached` property; only a detached buffer refuses a new view.
  if (buffer.byteLength !== 0) return false;
  try {
    new Uint8Array(buffer);
    return false;
  } catch {
    return true;
  }
}

/** `value` must be a `name` (checked by its tag, which works across realms) over a live buffer. */
export function expectTypedArray(value: unknown, name: string, type: TypedArrayName): void {
  const tag = ArrayBuffer.isView(value)
    ? (value as { [Symbol.toStringTag]?: string })[Symbol.toStringTag]
    : '';
  if (tag !== type) throw new TypeError(`${name} must be a ${type}`);
  expectAttached((value as ArrayBufferView).buffer, name);
}

/** A detached buffer is refused rather than read as empty (a dropped `bias`, a sum of 0). */
export function expectAttached(buffer: ArrayBufferLike, name: string): void {
  if (isDetached(buffer)) throw new TypeError(`${name} must not be backed by a detached ArrayBuffer`);
}

export function expectNumber(value: unknown, name: string): asserts value is number {
  if (typeof value !== 'number') throw new TypeError(`${name} must be a number`);
}

/** `value` must be an integer in [0, max]. */
export function expectIndex(value: unknown, name: string, max: number): asserts value is number {
  expectNumber(value, name);
  if (!(Number.isInteger(value) && value >= 0 && value <= max)) {
    throw new RangeError(`${name} must be an integer in [0, ${max}], got ${value}`);
  }
}

/** True when two views share at least one byte of the same buffer. */
export function overlaps(a: ArrayBufferView, b: ArrayBufferView): boolean {
  if (a.buffer !== b.buffer || a.byteLength === 0 || b.byteLength === 0) return false;
  return a.byteOffset < b.byteOffset + b.byteLength && b.byteOffset < a.byteOffset + a.byteLength;
}
