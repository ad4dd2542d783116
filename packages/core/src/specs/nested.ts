/**
 * Nested specs and values (dm-tree's structures): a leaf, an array of nested items, or a plain
 * object of them. Observations such as ObservationActionReward's `{ observation, action, reward }`
 * and vector or dict rewards use them.
 */
import { ArraySpec, describeValue } from './array.js';
import type { ArrayValue } from './dtype.js';

export type Nested<T> = T | readonly Nested<T>[] | { readonly [key: string]: Nested<T> };
export type NestedSpec = Nested<ArraySpec>;

function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (x === null || typeof x !== 'object') return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

/** Calls `fn` on every leaf spec, in key order, and rebuilds the structure from its results. */
export function mapSpec<T>(spec: NestedSpec, fn: (leaf: ArraySpec, path: string) => T, path = ''): Nested<T> {
  if (spec instanceof ArraySpec) return fn(spec, path);
  if (Array.isArray(spec)) return spec.map((s, i) => mapSpec(s as NestedSpec, fn, `${path}[${i}]`));
  if (isPlainObject(spec)) {
    const out: Record<string, Nested<T>> = {};
    for (const key of Object.keys(spec)) {
      out[key] = mapSpec(spec[key] as NestedSpec, fn, path ? `${path}.${key}` : key);
    }
    return out;
  }
  throw new TypeError(`not a spec${path ? ` at ${path}` : ''}: ${describeValue(spec)}`);
}

/** The leaf specs in the order mapSpec visits them. */
export function flattenSpec(spec: NestedSpec): ArraySpec[] {
  const out: ArraySpec[] = [];
  mapSpec(spec, (leaf) => out.push(leaf));
  return out;
}

/**
 * Checks that `value` has the structure of `spec` and every leaf validates; returns `value`.
 * Structure errors are TypeErrors that give the path; leaf errors are the leaf spec's.
 */
export function validateNested<T>(spec: NestedSpec, value: T, what = 'value', path = ''): T {
  if (spec instanceof ArraySpec) {
    spec.validate(value);
    return value;
  }
  const where = `${what}${path ? ` at ${path}` : ''}`;
  if (Array.isArray(spec)) {
    if (!Array.isArray(value) || value.length !== spec.length) {
      throw new TypeError(`${where}: expected an array of ${spec.length} items, got ${describeValue(value)}`);
    }
    spec.forEach((s, i) => {
      validateNested(s as NestedSpec, (value as unknown[])[i], what, `${path}[${i}]`);
    });
    return value;
  }
  const keys = Object.keys(spec as object);
  if (!isPlainObject(value)) {
    throw new TypeError(
      `${where}: expected an object with keys [${keys.join(', ')}], got ${describeValue(value)}`,
    );
  }
  const valueKeys = Object.keys(value);
  if (valueKeys.length !== keys.length || !keys.every((k) => Object.hasOwn(value, k))) {
    throw new TypeError(`${where}: expected keys [${keys.join(', ')}], got [${valueKeys.join(', ')}]`);
  }
  for (const key of keys) {
    validateNested(
      (spec as Record<string, NestedSpec>)[key]!,
      value[key],
      what,
      path ? `${path}.${key}` : key,
    );
  }
  return value;
}

/** `generateValue()` of every leaf: zeros, or the minimum of bounded leaves. */
export function generateNestedValue(spec: NestedSpec): Nested<ArrayValue> {
  return mapSpec(spec, (leaf) => leaf.generateValue());
}

/** Zeros of every leaf (Acme's `_generate_zeros_from_spec`), e.g. an episode return. */
export function zerosLike(spec: NestedSpec): Nested<ArrayValue> {
  return mapSpec(spec, (leaf) => new ArraySpec(leaf.shape, leaf.dtype).generateValue());
}

/** Structure and every leaf equal (leaf equality as the spec classes define it). */
export function nestedSpecsEqual(a: NestedSpec, b: NestedSpec): boolean {
  if (a instanceof ArraySpec || b instanceof ArraySpec) {
    return a instanceof ArraySpec && a.equals(b);
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) &&
      Array.isArray(b) &&
      a.length === b.length &&
      a.every((s, i) => nestedSpecsEqual(s as NestedSpec, b[i] as NestedSpec))
    );
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return (
    ka.length === kb.length &&
    ka.every(
      (k) =>
        Object.hasOwn(b, k) &&
        nestedSpecsEqual((a as Record<string, NestedSpec>)[k]!, (b as Record<string, NestedSpec>)[k]!),
    )
  );
}
