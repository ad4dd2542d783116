/**
 * Walking nested specs and values (dm-tree's structures: a leaf, an array, or a plain object) with
 * the key path of every leaf, so that a leaf can be read out of a value without re-walking the
 * structure. Leaves come in the order `@acme-ts/core`'s `mapSpec` visits them.
 */
import { ArraySpec, describeValue, type Nested, type NestedSpec } from '@acme-ts/core';

export type Key = string | number;

export interface SpecLeaf {
  readonly spec: ArraySpec;
  readonly keys: readonly Key[];
  /** `a.b[0]`-style path ('' for a bare leaf), as core's `mapSpec` names it. */
  readonly path: string;
}

export function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (x === null || typeof x !== 'object') return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

export function joinPath(path: string, key: Key): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}

/** Every leaf of `spec` with its keys and path. */
export function specLeaves(spec: NestedSpec, keys: readonly Key[] = [], path = ''): SpecLeaf[] {
  if (spec instanceof ArraySpec) return [{ spec, keys, path }];
  if (Array.isArray(spec)) {
    return spec.flatMap((s, i) => specLeaves(s as NestedSpec, [...keys, i], joinPath(path, i)));
  }
  if (isPlainObject(spec)) {
    return Object.keys(spec).flatMap((k) =>
      specLeaves((spec as Record<string, NestedSpec>)[k]!, [...keys, k], joinPath(path, k)),
    );
  }
  throw new TypeError(`not a spec${path ? ` at ${path}` : ''}: ${describeValue(spec)}`);
}

/** The value at `keys` inside `root` (no checks: the structure was validated before). */
export function valueAt(root: unknown, keys: readonly Key[]): unknown {
  let v = root;
  for (let i = 0; i < keys.length; i++) v = (v as Record<Key, unknown>)[keys[i]!];
  return v;
}

/** Rebuilds the structure of `spec` with `leaf(i)` for its i-th leaf. */
export function buildLike<T>(spec: NestedSpec, leaf: (index: number) => T): Nested<T> {
  let next = 0;
  const build = (s: NestedSpec): Nested<T> => {
    if (s instanceof ArraySpec) return leaf(next++);
    if (Array.isArray(s)) return s.map((x) => build(x as NestedSpec));
    const out: Record<string, Nested<T>> = {};
    for (const k of Object.keys(s)) out[k] = build((s as Record<string, NestedSpec>)[k]!);
    return out;
  };
  return build(spec);
}

/**
 * Checks that `value` has the structure of `spec` (same array lengths, same object keys) and
 * calls `leaf` for every leaf value; errors name the path.
 */
export function checkStructure(
  spec: NestedSpec,
  value: unknown,
  what: string,
  leaf: (spec: ArraySpec, value: unknown, where: string) => void,
): void {
  const walk = (s: NestedSpec, v: unknown, where: string): void => {
    if (s instanceof ArraySpec) {
      leaf(s, v, where);
      return;
    }
    if (Array.isArray(s)) {
      if (!Array.isArray(v) || v.length !== s.length) {
        throw new TypeError(`${where} must be an array of ${s.length} items, got ${describeValue(v)}`);
      }
      s.forEach((x, i) => {
        walk(x as NestedSpec, v[i], `${where}[${i}]`);
      });
      return;
    }
    const keys = Object.keys(s);
    if (!isPlainObject(v)) {
      throw new TypeError(
        `${where} must be an object with keys [${keys.join(', ')}], got ${describeValue(v)}`,
      );
    }
    const got = Object.keys(v);
    if (got.length !== keys.length || !keys.every((k) => Object.hasOwn(v, k))) {
      throw new TypeError(`${where} must have keys [${keys.join(', ')}], got [${got.join(', ')}]`);
    }
    for (const k of keys) walk((s as Record<string, NestedSpec>)[k]!, v[k], `${where}.${k}`);
  };
  walk(spec, value, what);
}
