/**
 * Argument checks shared by the TypeScript API and the wasm binding, whose C ABI only sees pointers
 * and numbers. The N-API addon makes the binding's checks in Rust (crates/node/src/napi.rs); the
 * messages here are worded identically so both binaries fail alike. Checks of values (ranges,
 * lengths) live in the Rust cores, which both binaries share.
 */
import type { Binding } from './binding.js';

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
    throw new RangeError(`${name} must be an integer in [0, ${max}], got ${describe(value)}`);
  }
}

/** True when two views share at least one byte of the same buffer. */
export function overlaps(a: ArrayBufferView, b: ArrayBufferView): boolean {
  if (a.buffer !== b.buffer || a.byteLength === 0 || b.byteLength === 0) return false;
  return a.byteOffset < b.byteOffset + b.byteLength && b.byteOffset < a.byteOffset + a.byteLength;
}

/**
 * A value as an error message shows it. Never throws: `String()` does for a Symbol, and a detached
 * typed array's `join` does too, which would replace the message naming the argument with one
 * that names nothing. Numbers read as JavaScript writes them (the Rust cores use the same
 * formatter, `acme_common::Js`).
 */
export function describe(value: unknown): string {
  try {
    switch (typeof value) {
      case 'string':
        return JSON.stringify(value);
      case 'bigint':
        return `${value}n`;
      case 'symbol':
        return value.toString();
      case 'function':
        return 'a function';
      case 'object':
        return value === null ? 'null' : describeObject(value);
      default:
        return String(value);
    }
  } catch {
    return 'a value that cannot be printed';
  }
}

function describeObject(value: object): string {
  if (ArrayBuffer.isView(value)) {
    const tag = (value as { [Symbol.toStringTag]?: string })[Symbol.toStringTag] ?? 'DataView';
    const a = /^[AEIOU]/.test(tag) ? 'an' : 'a';
    if (isDetached(value.buffer)) return `${a} ${tag} over a detached ArrayBuffer`;
    const length = (value as { length?: number }).length;
    return length === undefined
      ? `${a} ${tag} of ${value.byteLength} bytes`
      : `${a} ${tag} of length ${length}`;
  }
  if (value instanceof ArrayBuffer) return `an ArrayBuffer of ${value.byteLength} bytes`;
  if (Array.isArray(value)) {
    return value.length <= 8 ? `[${value.map(describe).join(', ')}]` : `an array of length ${value.length}`;
  }
  return 'an object';
}

/**
 * `value` must be a binding (`loadBinding()`, `initWasm()`, `native()`); checked where an option
 * takes one, so that `binding: null` is refused by name instead of failing inside the class.
 */
export function expectBinding(value: unknown, name: string): asserts value is Binding {
  const kind = typeof value === 'object' && value !== null ? (value as { kind?: unknown }).kind : undefined;
  if (kind !== 'napi' && kind !== 'wasm') {
    throw new TypeError(
      `${name} must be a binding (from native(), loadBinding() or initWasm()), got ${describe(value)}`,
    );
  }
}

/** The largest batch `createSample`, `createBatch` and `ReplayBatch` make (2^24 rows). */
export const MAX_BATCH = 2 ** 24;
