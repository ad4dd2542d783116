/**
 * Leaf-level helpers of the adders: checking one value against its signature leaf (dtype and
 * size, as Reverb validates items), copying leaves in and out of step storage, and taking the
 * newest frame out of a frame stack.
 */
import { type ArraySpec, describeValue, dtypeOf, integerRange, type TypedArray } from '@acme-ts/core';
import type { ColumnArray } from '@acme-ts/native';

/**
 * Throws unless `value` fits `spec`: a number for shape [], else a typed array of its dtype and
 * size. The error names `prefix + suffix` (joined only when throwing: checks run every step).
 */
export function checkLeafValue(spec: ArraySpec, value: unknown, prefix: string, suffix = ''): void {
  if (spec.shape.length === 0) {
    if (typeof value !== 'number') {
      throw new TypeError(
        `${prefix + suffix} must be a ${spec.dtype} of shape [] (a number), got ${describeValue(value)}`,
      );
    }
    const range = integerRange(spec.dtype);
    if (range && !(Number.isInteger(value) && value >= range[0] && value <= range[1])) {
      throw new RangeError(
        `${prefix + suffix} must be a ${spec.dtype} of shape [] (an integer in [${range[0]}, ${range[1]}]), got ${value}`,
      );
    }
    return;
  }
  if (dtypeOf(value) !== spec.dtype || (value as TypedArray).length !== spec.size) {
    const where = prefix + suffix;
    throw new TypeError(
      `${where} must be a ${spec.dtype} of shape [${spec.shape.join(', ')}] (${spec.size} elements), got ${describeValue(value)}`,
    );
  }
}

/** Throws unless `value` is a number (size 1) or a typed array of `size` elements, whatever its dtype. */
export function checkNumeric(value: unknown, size: number, prefix: string, suffix = ''): void {
  if (typeof value === 'number') {
    if (size !== 1)
      throw new RangeError(`${prefix + suffix} must have ${size} elements, got the number ${value}`);
    return;
  }
  if (dtypeOf(value) === undefined || (value as TypedArray).length !== size) {
    throw new TypeError(
      `${prefix + suffix} must be ${size === 1 ? 'a number' : `a typed array of ${size} elements`}, got ${describeValue(value)}`,
    );
  }
}

/** Copies a leaf value (a number or a typed array) into `store` at `at`. */
export function storeLeaf(store: Float64Array, at: number, value: unknown, size: number): void {
  if (typeof value === 'number') store[at] = value;
  else {
    const v = value as TypedArray;
    for (let i = 0; i < size; i++) store[at + i] = v[i]!;
  }
}

/** Copies `size` stored elements into a one-row column. */
export function loadLeaf(column: ColumnArray, store: Float64Array, at: number, size: number): void {
  for (let i = 0; i < size; i++) column[i] = store[at + i]!;
}

/** Writes a leaf value (a number or a typed array) into a one-row column. */
export function writeLeaf(column: ColumnArray, value: unknown): void {
  if (typeof value === 'number') column[0] = value;
  else column.set(value as TypedArray);
}

/**
 * The newest frame of a stack: with the stack axis last (`[h, w, k]`) it is every k-th byte from
 * k - 1; with the axis first (`[k, h, w]`), the last `frameSize` bytes.
 */
export function newestFrame(
  stack: Uint8Array,
  out: Uint8Array,
  depth: number,
  axisLast: boolean,
): Uint8Array {
  const n = out.length;
  if (axisLast) {
    for (let p = 0, s = depth - 1; p < n; p++, s += depth) out[p] = stack[s]!;
  } else {
    const from = (depth - 1) * n;
    for (let p = 0; p < n; p++) out[p] = stack[from + p]!;
  }
  return out;
}

/**
 * The value at `keys` under `root`; a TypeError naming the path when a structure is missing.
 * The path is built only when throwing.
 */
export function valueAtChecked(root: unknown, keys: readonly (string | number)[], where: string): unknown {
  let v = root;
  for (let i = 0; i < keys.length; i++) {
    if (v === null || typeof v !== 'object') {
      const path = keys
        .slice(0, i)
        .reduce<string>((p, k) => (typeof k === 'number' ? `${p}[${k}]` : `${p}.${k}`), where);
      throw new TypeError(`${path} must be a structure, got ${String(v)}`);
    }
    v = (v as Record<string | number, unknown>)[keys[i]!];
  }
  return v;
}
