/**
 * dm_env's `specs.Array`: a value of a fixed shape and dtype. Named `ArraySpec` here so that it
 * does not shadow the global `Array`; `specs.Array` is the same class.
 */
import {
  type ArrayValue,
  castScalar,
  type DType,
  dtypeOf,
  integerRange,
  isDType,
  TYPED_ARRAY,
} from './dtype.js';

export interface ArraySpecChanges {
  shape?: readonly number[];
  dtype?: DType;
  name?: string;
}

export class ArraySpec {
  readonly shape: readonly number[];
  readonly dtype: DType;
  readonly name: string;
  /** Number of elements: the product of the shape (1 for a scalar). */
  readonly size: number;

  constructor(shape: readonly number[], dtype: DType, name = '') {
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
      throw new TypeError(`shape must be an array of non-negative integers, got ${describeValue(shape)}`);
    }
    if (!isDType(dtype))
      throw new TypeError(`dtype must be one of the DType names, got ${describeValue(dtype)}`);
    if (typeof name !== 'string') throw new TypeError(`name must be a string, got ${describeValue(name)}`);
    this.shape = Object.freeze([...shape]);
    this.dtype = dtype;
    this.name = name;
    this.size = shape.reduce((a, b) => a * b, 1);
  }

  /** True for shape `[]`, whose values are plain numbers. */
  get isScalar(): boolean {
    return this.shape.length === 0;
  }

  /**
   * Returns `value` if it conforms (exact dtype, exact number of elements); throws a TypeError
   * (wrong kind, dtype or length) or a RangeError (a value the dtype or the bounds exclude) whose
   * message names this spec and the offending value.
   */
  validate<T>(value: T): T {
    this.checkStructure(value);
    return value;
  }

  /** A conforming value of zeros (dm_env's `generate_value`). */
  generateValue(): ArrayValue {
    return this.isScalar ? 0 : new TYPED_ARRAY[this.dtype](this.size);
  }

  /** Same shape and dtype; the name is ignored, as in dm_env. */
  equals(other: unknown): boolean {
    return (
      other instanceof ArraySpec &&
      other.constructor === this.constructor &&
      other.dtype === this.dtype &&
      other.shape.length === this.shape.length &&
      other.shape.every((d, i) => d === this.shape[i])
    );
  }

  /** A copy with some fields replaced. */
  replace(changes: ArraySpecChanges): ArraySpec {
    return new ArraySpec(changes.shape ?? this.shape, changes.dtype ?? this.dtype, changes.name ?? this.name);
  }

  toString(): string {
    return `${this.kind()}(${this.fields().join(', ')})`;
  }

  protected kind(): string {
    return 'Array';
  }

  protected fields(): string[] {
    return [`name=${JSON.stringify(this.name)}`, `shape=[${this.shape.join(', ')}]`, `dtype=${this.dtype}`];
  }

  /** Checks kind, dtype and length (and, for scalars, that the dtype can hold the number). */
  protected checkStructure(value: unknown): void {
    if (this.isScalar) {
      if (typeof value !== 'number') this.fail(TypeError, value, 'expected a number for shape []');
      if (Number.isNaN(value)) {
        if (integerRange(this.dtype)) this.fail(RangeError, value, `NaN is not a ${this.dtype}`);
        return;
      }
      if (castScalar(value, this.dtype) !== value) {
        this.fail(RangeError, value, `not exactly representable as ${this.dtype}`);
      }
      return;
    }
    const dtype = dtypeOf(value);
    if (dtype === undefined) {
      this.fail(TypeError, value, `expected a ${TYPED_ARRAY[this.dtype].name}`);
    }
    if (dtype !== this.dtype) {
      this.fail(TypeError, value, `dtype ${dtype} differs from ${this.dtype}`);
    }
    const length = (value as ArrayLike<number>).length;
    if (length !== this.size) {
      this.fail(
        RangeError,
        value,
        `${length} elements where shape [${this.shape.join(', ')}] has ${this.size}`,
      );
    }
  }

  protected fail(kind: typeof TypeError | typeof RangeError, value: unknown, reason: string): never {
    throw new kind(`${this} rejects ${describeValue(value)}: ${reason}`);
  }
}

/** A short, readable rendering of any value for error messages. */
export function describeValue(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null || value === undefined) return String(value);
  if (ArrayBuffer.isView(value) && 'length' in value) {
    const array = value as unknown as ArrayLike<number>;
    const head = Array.prototype.slice.call(array, 0, 6) as number[];
    const more = array.length > head.length ? ', ...' : '';
    return `${value.constructor.name}(${array.length}) [${head.join(', ')}${more}]`;
  }
  if (Array.isArray(value)) return `Array(${value.length})`;
  return (value as object).constructor?.name ?? typeof value;
}
