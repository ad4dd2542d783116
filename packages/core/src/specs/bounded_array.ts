/** dm_env's `specs.BoundedArray`: an Array whose elements lie in inclusive [minimum, maximum]. */
import { ArraySpec, type ArraySpecChanges, describeValue } from './array.js';
import {
  type ArrayValue,
  castScalar,
  type DType,
  integerRange,
  TYPED_ARRAY,
  type TypedArray,
} from './dtype.js';

/** A bound: one number for every element, or one per element (length = the spec's size). */
export type Bound = number | ArrayLike<number>;

export interface BoundedArrayChanges extends ArraySpecChanges {
  minimum?: Bound;
  maximum?: Bound;
}

export class BoundedArray extends ArraySpec {
  /** Per-element minimum (one entry for a scalar spec), already rounded to the dtype. */
  readonly minimum: Float64Array;
  /** Per-element maximum (one entry for a scalar spec), already rounded to the dtype. */
  readonly maximum: Float64Array;
  /** Every element shares one [minimum, maximum]: validation compares against two numbers. */
  readonly #uniform: boolean;

  constructor(shape: readonly number[], dtype: DType, minimum: Bound, maximum: Bound, name = '') {
    super(shape, dtype, name);
    this.minimum = this.#broadcast(minimum, 'minimum');
    this.maximum = this.#broadcast(maximum, 'maximum');
    for (let i = 0; i < this.minimum.length; i++) {
      if (this.minimum[i]! > this.maximum[i]!) {
        throw new RangeError(
          `${this.kind()} ${JSON.stringify(name)}: minimum ${this.minimum[i]} exceeds maximum ${this.maximum[i]} at element ${i}`,
        );
      }
    }
    this.#uniform = isConstant(this.minimum) && isConstant(this.maximum);
  }

  override validate<T>(value: T): T {
    this.checkStructure(value);
    if (this.isScalar) {
      const x = value as number;
      if (!(x >= this.minimum[0]! && x <= this.maximum[0]!)) {
        this.fail(RangeError, value, `outside [${this.minimum[0]}, ${this.maximum[0]}]`);
      }
      return value;
    }
    const v = value as unknown as TypedArray;
    const n = v.length;
    if (this.#uniform) {
      const lo = this.minimum[0]!;
      const hi = this.maximum[0]!;
      for (let i = 0; i < n; i++) {
        const x = v[i]!;
        // Written so that NaN fails too.
        if (!(x >= lo && x <= hi))
          this.fail(RangeError, value, `element ${i} = ${x} is outside [${lo}, ${hi}]`);
      }
    } else {
      for (let i = 0; i < n; i++) {
        const x = v[i]!;
        if (!(x >= this.minimum[i]! && x <= this.maximum[i]!)) {
          this.fail(
            RangeError,
            value,
            `element ${i} = ${x} is outside [${this.minimum[i]}, ${this.maximum[i]}]`,
          );
        }
      }
    }
    return value;
  }

  /** A conforming value filled with the minimum (dm_env's `generate_value`). */
  override generateValue(): ArrayValue {
    if (this.isScalar) return this.minimum[0]!;
    const out = new TYPED_ARRAY[this.dtype](this.size);
    if (this.#uniform) out.fill(this.minimum[0]!);
    else out.set(this.minimum);
    return out;
  }

  override equals(other: unknown): boolean {
    return (
      super.equals(other) &&
      sameValues((other as BoundedArray).minimum, this.minimum) &&
      sameValues((other as BoundedArray).maximum, this.maximum)
    );
  }

  override replace(changes: BoundedArrayChanges): BoundedArray {
    return new BoundedArray(
      changes.shape ?? this.shape,
      changes.dtype ?? this.dtype,
      changes.minimum ?? this.boundFor(this.minimum),
      changes.maximum ?? this.boundFor(this.maximum),
      changes.name ?? this.name,
    );
  }

  protected override kind(): string {
    return 'BoundedArray';
  }

  protected override fields(): string[] {
    return [
      ...super.fields(),
      `minimum=${formatBound(this.minimum, this.#uniform)}`,
      `maximum=${formatBound(this.maximum, this.#uniform)}`,
    ];
  }

  /** The compact form of a stored bound, for replace(): one number when every element shares it. */
  protected boundFor(bound: Float64Array): Bound {
    return isConstant(bound) ? bound[0]! : bound;
  }

  #broadcast(bound: Bound, what: string): Float64Array {
    const n = this.isScalar ? 1 : this.size;
    const out = new Float64Array(n);
    if (typeof bound === 'number') {
      out.fill(this.#cast(bound, what));
      return out;
    }
    if (bound === null || typeof bound !== 'object' || typeof bound.length !== 'number') {
      throw new TypeError(`${what} must be a number or an array of numbers, got ${describeValue(bound)}`);
    }
    if (bound.length === 1) {
      out.fill(this.#cast(bound[0]!, what));
      return out;
    }
    if (bound.length !== n) {
      throw new RangeError(
        `${what} has ${bound.length} elements; it must be one number or ${n} (shape [${this.shape.join(', ')}])`,
      );
    }
    for (let i = 0; i < n; i++) out[i] = this.#cast(bound[i]!, what);
    return out;
  }

  #cast(x: number, what: string): number {
    if (typeof x !== 'number' || Number.isNaN(x)) {
      throw new TypeError(`${what} must hold numbers (not NaN), got ${describeValue(x)}`);
    }
    const range = integerRange(this.dtype);
    if (range && Number.isFinite(x) && (!Number.isInteger(x) || x < range[0] || x > range[1])) {
      throw new RangeError(`${what} ${x} is not a ${this.dtype}`);
    }
    return range ? x : castScalar(x, this.dtype);
  }
}

function isConstant(values: Float64Array): boolean {
  for (let i = 1; i < values.length; i++) if (values[i] !== values[0]) return false;
  return true;
}

function sameValues(a: Float64Array, b: Float64Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function formatBound(bound: Float64Array, uniform: boolean): string {
  if (uniform || bound.length === 1) return String(bound[0]);
  const head = Array.from(bound.subarray(0, 6)).join(', ');
  return `[${head}${bound.length > 6 ? ', ...' : ''}]`;
}
