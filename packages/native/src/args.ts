/**
 * Argument checks for the wasm binding, whose C ABI only sees pointers. The N-API addon makes the
 * same checks in Rust; the messages here are worded identically so both binaries fail alike.
 */

export type TypedArrayName = 'Float32Array' | 'Float64Array' | 'Uint8Array' | 'Int32Array' | 'Uint32Array';

/** `value` must be a `name` (checked by its tag, which works across realms). */
export function expectTypedArray(value: unknown, name: string, type: TypedArrayName): void {
  const tag = ArrayBuffer.isView(value)
    ? (value as { [Symbol.toStringTag]?: string })[Symbol.toStringTag]
    : '';
  if (tag !== type) throw new TypeError(`${name} must be a ${type}`);
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
