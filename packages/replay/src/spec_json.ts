/**
 * Nested specs to and from JSON, for checkpoint headers: a checkpoint carries its table's
 * signature so that `Table.restore(path)` needs nothing but the file. The header is written with
 * core's `jsonEncode`, so non-finite numbers (an unbounded BoundedArray, a rate limiter without an
 * upper bound) survive the round trip.
 */
import { ArraySpec, BoundedArray, DiscreteArray, isDType, type NestedSpec } from '@acme-ts/core';
import { isPlainObject } from './nest.js';

interface LeafJson {
  $spec: 'Array' | 'BoundedArray' | 'DiscreteArray';
  shape: number[];
  dtype: string;
  name: string;
  minimum?: number[];
  maximum?: number[];
  numValues?: number;
}

export function specToJson(spec: NestedSpec): unknown {
  if (spec instanceof DiscreteArray) {
    return {
      $spec: 'DiscreteArray',
      shape: [],
      dtype: spec.dtype,
      name: spec.name,
      numValues: spec.numValues,
    };
  }
  if (spec instanceof BoundedArray) {
    return {
      $spec: 'BoundedArray',
      shape: [...spec.shape],
      dtype: spec.dtype,
      name: spec.name,
      minimum: Array.from(spec.minimum),
      maximum: Array.from(spec.maximum),
    };
  }
  if (spec instanceof ArraySpec)
    return { $spec: 'Array', shape: [...spec.shape], dtype: spec.dtype, name: spec.name };
  if (Array.isArray(spec)) return spec.map((s) => specToJson(s as NestedSpec));
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(spec)) out[k] = specToJson((spec as Record<string, NestedSpec>)[k]!);
  return out;
}

export function specFromJson(json: unknown): NestedSpec {
  if (Array.isArray(json)) return json.map(specFromJson);
  if (!isPlainObject(json)) throw new TypeError('signature: expected a leaf, an array or an object');
  if (typeof json.$spec !== 'string') {
    const out: Record<string, NestedSpec> = {};
    for (const k of Object.keys(json)) out[k] = specFromJson(json[k]);
    return out;
  }
  const leaf = json as unknown as LeafJson;
  if (!isDType(leaf.dtype)) throw new TypeError(`signature: unknown dtype ${String(leaf.dtype)}`);
  switch (leaf.$spec) {
    case 'Array':
      return new ArraySpec(leaf.shape, leaf.dtype, leaf.name);
    case 'BoundedArray':
      return new BoundedArray(leaf.shape, leaf.dtype, leaf.minimum ?? [], leaf.maximum ?? [], leaf.name);
    case 'DiscreteArray':
      return new DiscreteArray(leaf.numValues ?? 0, leaf.dtype, leaf.name);
    default:
      throw new TypeError(`signature: unknown spec kind ${String(leaf.$spec)}`);
  }
}
