/** dm_env's `specs.DiscreteArray`: a scalar integer in [0, numValues - 1], e.g. a discrete action. */
import { describeValue } from './array.js';
import { BoundedArray, type BoundedArrayChanges } from './bounded_array.js';
import { type DType, integerRange } from './dtype.js';

export interface DiscreteArrayChanges {
  numValues?: number;
  dtype?: DType;
  name?: string;
}

export class DiscreteArray extends BoundedArray {
  readonly numValues: number;

  constructor(numValues: number, dtype: DType = 'int32', name = '') {
    if (!Number.isInteger(numValues) || numValues <= 0) {
      throw new RangeError(`numValues must be a positive integer, got ${describeValue(numValues)}`);
    }
    const range = integerRange(dtype);
    if (!range) throw new TypeError(`DiscreteArray needs an integer dtype, got ${describeValue(dtype)}`);
    if (numValues - 1 > range[1]) {
      throw new RangeError(`numValues ${numValues} does not fit in ${dtype} (max ${range[1]})`);
    }
    super([], dtype, 0, numValues - 1, name);
    this.numValues = numValues;
  }

  /** The hot path of every env step: one typeof, one integer test, two comparisons. */
  override validate<T>(value: T): T {
    if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < this.numValues) {
      return value;
    }
    if (typeof value !== 'number') this.fail(TypeError, value, 'expected an integer number');
    this.fail(RangeError, value, `expected an integer in [0, ${this.numValues - 1}]`);
  }

  override replace(changes: DiscreteArrayChanges & BoundedArrayChanges): DiscreteArray {
    if (changes.shape !== undefined || changes.minimum !== undefined || changes.maximum !== undefined) {
      throw new TypeError(
        'a DiscreteArray is scalar with bounds [0, numValues - 1]; change numValues instead',
      );
    }
    return new DiscreteArray(
      changes.numValues ?? this.numValues,
      changes.dtype ?? this.dtype,
      changes.name ?? this.name,
    );
  }

  protected override kind(): string {
    return 'DiscreteArray';
  }

  protected override fields(): string[] {
    return [`name=${JSON.stringify(this.name)}`, `dtype=${this.dtype}`, `numValues=${this.numValues}`];
  }
}
