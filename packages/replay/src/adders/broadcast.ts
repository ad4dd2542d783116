/**
 * numpy-style broadcasting for rewards and discounts, as Acme's n-step adder does: structures
 * first (a bare leaf is tiled into the other side's structure, `tree_utils.broadcast_structures`),
 * then shapes leaf by leaf (dimensions aligned from the right, a 1 stretches to match), and
 * numpy's type promotion for the result's dtype.
 */
import { ArraySpec, type DType, integerRange, type NestedSpec } from '@acme-ts/core';
import { buildLike, specLeaves } from '../nest.js';

export function broadcastShapes(a: readonly number[], b: readonly number[], what: string): number[] {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) {
      throw new RangeError(`${what}: shapes [${a.join(', ')}] and [${b.join(', ')}] do not broadcast`);
    }
    out.push(x === 1 ? y : x);
  }
  return out;
}

/**
 * For every element of an array of shape `out` (row-major), the index of the element of an
 * array of shape `input` that broadcasting maps onto it.
 */
export function broadcastIndex(out: readonly number[], input: readonly number[]): Int32Array {
  const size = out.reduce((p, d) => p * d, 1);
  const map = new Int32Array(size);
  const offset = out.length - input.length;
  const index = new Array<number>(out.length).fill(0);
  for (let e = 0; e < size; e++) {
    let flat = 0;
    for (let k = 0; k < input.length; k++) {
      const dim = input[k]!;
      flat = flat * dim + (dim === 1 ? 0 : index[offset + k]!);
    }
    map[e] = flat;
    for (let k = out.length - 1; k >= 0; k--) {
      if (++index[k]! < out[k]!) break;
      index[k] = 0;
    }
  }
  return map;
}

const BITS: Readonly<Record<DType, number>> = {
  int8: 8,
  uint8: 8,
  int16: 16,
  uint16: 16,
  int32: 32,
  uint32: 32,
  float32: 32,
  float64: 64,
};

/** numpy's `result_type` over the dtypes acme-ts knows (int64 does not exist here: float64 stands in). */
export function resultType(a: DType, b: DType): DType {
  if (a === b) return a;
  const ia = integerRange(a);
  const ib = integerRange(b);
  if (!ia && !ib) return BITS[a] >= BITS[b] ? a : b;
  if (!ia || !ib) {
    const [float, int] = ia ? [b, a] : [a, b];
    // float32 holds int8/uint8/int16/uint16 exactly; wider integers need float64.
    return float === 'float32' && BITS[int] <= 16 ? 'float32' : 'float64';
  }
  const signedA = ia[0] < 0;
  const signedB = ib[0] < 0;
  if (signedA === signedB) return BITS[a] >= BITS[b] ? a : b;
  const [signed, unsigned] = signedA ? [a, b] : [b, a];
  if (BITS[signed] > BITS[unsigned]) return signed;
  if (BITS[unsigned] === 8) return 'int16';
  if (BITS[unsigned] === 16) return 'int32';
  return 'float64';
}

/** Gives two nested specs the same structure: a bare leaf is tiled into the other's structure. */
export function broadcastStructures(a: NestedSpec, b: NestedSpec, what: string): [NestedSpec, NestedSpec] {
  if (a instanceof ArraySpec && !(b instanceof ArraySpec)) return [buildLike(b, () => a), b];
  if (b instanceof ArraySpec && !(a instanceof ArraySpec)) return [a, buildLike(a, () => b)];
  const pa = specLeaves(a).map((l) => l.path);
  const pb = specLeaves(b).map((l) => l.path);
  if (pa.length !== pb.length || pa.some((p, i) => p !== pb[i])) {
    throw new TypeError(`${what}: structures [${pa.join(', ')}] and [${pb.join(', ')}] differ`);
  }
  return [a, b];
}
