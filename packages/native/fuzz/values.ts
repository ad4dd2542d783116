/**
 * Malformed values: what a careless or hostile caller passes where an argument is expected. Each
 * maker returns a fresh value (typed arrays are mutable and may be detached by the call).
 */
import type { Random } from './random.js';

/** A typed array whose buffer has been transferred away (it reads as length 0). */
export function detached<T extends ArrayBufferView>(view: T): T {
  // Shared memory cannot be transferred: detach a private copy instead.
  const own = view.buffer instanceof ArrayBuffer ? view : (new Uint8Array(view.byteLength) as unknown as T);
  structuredClone(own.buffer, { transfer: [own.buffer as ArrayBuffer] });
  return own;
}

/** Values of the wrong type, or of the right type but an absurd value, for any argument. */
const ANY: (() => unknown)[] = [
  () => undefined,
  () => null,
  () => true,
  () => 'x',
  () => '',
  () => Symbol('s'),
  () => 1n,
  () => ({}),
  () => [],
  () => [1, 2, 3],
  () => () => 1,
  () => Number.NaN,
  () => Number.POSITIVE_INFINITY,
  () => Number.NEGATIVE_INFINITY,
  () => -1,
  () => -0,
  () => 0,
  () => 0.5,
  () => 1.5,
  () => 3,
  () => 2 ** 31 - 1,
  () => 2 ** 32,
  () => 2 ** 53,
  () => 1e300,
  () => -(2 ** 31),
  () => new Float32Array(3),
  () => new Float64Array(2),
  () => new Uint8Array(5),
  () => new Int32Array(2),
  () => new Uint32Array(4),
  () => detached(new Float32Array(4)),
  () => detached(new Uint8Array(4)),
  () => new ArrayBuffer(8),
  () => new DataView(new ArrayBuffer(8)),
  () => new Float32Array(new SharedArrayBuffer(16)),
];

export function anyBad(r: Random): unknown {
  return r.pick(ANY)();
}

type Typed = Float32Array | Float64Array | Uint8Array | Int32Array | Uint32Array;
const CTORS = [Float32Array, Float64Array, Uint8Array, Int32Array, Uint32Array] as const;

/** A near miss of a valid typed array: another length, another element type, detached, NaN-filled. */
export function badTypedArray(r: Random, good: Typed): unknown {
  const Same = good.constructor as new (n: number) => Typed;
  // Already broken (detached by an earlier mutation): a view of it cannot even be made.
  if (good.buffer.byteLength === 0) return good;
  switch (r.int(6)) {
    case 0:
      return new Same(Math.max(0, good.length + r.pick([-1, 1, 7])));
    case 1:
      return new Same(0);
    case 2:
      return new (r.pick(CTORS))(good.length);
    case 3:
      return detached(good);
    case 4:
      return good.fill(r.pick([Number.NaN, Number.POSITIVE_INFINITY, -1, 2 ** 31]) as number);
    default:
      return good.subarray(r.int(Math.max(1, good.length)));
  }
}

/** A near miss of a valid options object: one field replaced, dropped, or an unknown key added. */
export function badObject(r: Random, good: Record<string, unknown>): unknown {
  const keys = Object.keys(good);
  const copy: Record<string, unknown> = { ...good };
  if (keys.length === 0 || r.chance(0.15)) {
    copy[r.pick(['bogus', '__proto__x', 'constructorx'])] = anyBad(r);
    return copy;
  }
  const key = r.pick(keys);
  const value = good[key];
  if (r.chance(0.2)) delete copy[key];
  else if (ArrayBuffer.isView(value) && !(value instanceof DataView))
    copy[key] = badTypedArray(r, value as Typed);
  else if (isPlain(value) && r.chance(0.6)) copy[key] = badObject(r, value as Record<string, unknown>);
  else if (Array.isArray(value) && value.length > 0 && r.chance(0.6)) {
    const array = [...value];
    array[r.int(array.length)] = isPlain(array[0]) && r.chance(0.6) ? badObject(r, array[0]) : anyBad(r);
    copy[key] = array;
  } else copy[key] = anyBad(r);
  return copy;
}

export function isPlain(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

/** A near miss of `good`, whatever it is. */
export function mutate(r: Random, good: unknown): unknown {
  if (ArrayBuffer.isView(good) && !(good instanceof DataView) && r.chance(0.6)) {
    return badTypedArray(r, good as Typed);
  }
  if (isPlain(good) && r.chance(0.7)) return badObject(r, good);
  if (Array.isArray(good) && good.length > 0 && r.chance(0.5)) {
    const copy = [...good];
    copy[r.int(copy.length)] = anyBad(r);
    return copy;
  }
  return anyBad(r);
}
