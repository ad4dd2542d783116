/**
 * How a table's items map onto the replay engine's columns: one column per leaf of the
 * signature, named by the leaf's path (`observation`, `reward.a`, `extras.state`, ...).
 *
 * The engine stores three element types, so leaves are kept as: float32 and float64 → float32
 * (TensorFlow.js computes in float32; a float64 leaf loses precision beyond 24 bits), int8, int16,
 * int32 and uint16 → int32 (exact), uint8 → uint8. uint32 leaves are refused: int32 cannot hold
 * them and float32 would round them. Validation still checks the signature's own dtype, as
 * Reverb does: a Float64Array where the signature says float32 is an error.
 *
 * Frame fields (Atari) hold a frame id in the item and come back as the stack of frames.
 * Variable-length tables accept items shorter than the signature along the leading (time) axis of
 * every leaf; rows are zero-padded and a hidden column keeps each item's length.
 */
import {
  type ArraySpec,
  type ArrayValue,
  type DType,
  describeValue,
  dtypeOf,
  integerRange,
  type Nested,
  type NestedSpec,
  TYPED_ARRAY,
  type TypedArray,
} from '@acme-ts/core';
import type { ColumnArray, ColumnSpec, ReplayBatch } from '@acme-ts/native';
import { buildLike, checkStructure, type Key, specLeaves } from './nest.js';

export type StorageKind = 'float32' | 'int32' | 'uint8' | 'frameStack';

/** The hidden column holding each item's length in variable-length tables. */
export const LENGTH_COLUMN = '__length';

export interface LeafLayout {
  readonly spec: ArraySpec;
  readonly keys: readonly Key[];
  /** Column name: the leaf's path in the signature. */
  readonly path: string;
  readonly storage: StorageKind;
  /** Elements of one item's value (for variable-length tables, at the maximum length). */
  readonly size: number;
  /** Elements per step along the leading axis (variable-length tables), else `size`. */
  readonly stepSize: number;
}

export interface ItemLayoutOptions {
  /** Signature paths stored as frame stacks, and the shape one stack has. */
  readonly frameFields?: readonly string[];
  readonly frameStackShape?: readonly number[];
  readonly variableLength?: boolean;
}

export function storageOf(dtype: DType, path: string): 'float32' | 'int32' | 'uint8' {
  switch (dtype) {
    case 'float32':
    case 'float64':
      return 'float32';
    case 'int8':
    case 'int16':
    case 'int32':
    case 'uint16':
      return 'int32';
    case 'uint8':
      return 'uint8';
    default:
      throw new RangeError(
        `signature leaf "${path}" has dtype ${dtype}, which replay storage (float32, int32, uint8) cannot hold exactly; use int32 or float32`,
      );
  }
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

export class ItemLayout {
  readonly signature: NestedSpec;
  readonly leaves: readonly LeafLayout[];
  readonly variableLength: boolean;
  /** The leading-axis length of every leaf in a variable-length table (else 0). */
  readonly maxLength: number;
  readonly #byPath: Map<string, LeafLayout>;

  constructor(signature: NestedSpec, options: ItemLayoutOptions = {}) {
    this.signature = signature;
    this.variableLength = options.variableLength === true;
    const frameFields = new Set(options.frameFields ?? []);
    const leaves = specLeaves(signature);
    let maxLength = 0;
    if (this.variableLength) {
      for (const { spec, path } of leaves) {
        const name = path || 'item';
        if (spec.shape.length === 0 || spec.shape[0]! < 1) {
          throw new RangeError(
            `variableLength needs a leading (time) axis on every leaf; "${name}" has shape [${spec.shape.join(', ')}]`,
          );
        }
        if (maxLength !== 0 && spec.shape[0] !== maxLength) {
          throw new RangeError(
            `variableLength needs the same leading axis on every leaf; "${name}" has ${spec.shape[0]}, others ${maxLength}`,
          );
        }
        maxLength = spec.shape[0]!;
      }
    }
    this.maxLength = maxLength;
    const out: LeafLayout[] = [];
    this.#byPath = new Map();
    for (const { spec, keys, path: leafPath } of leaves) {
      // A bare-leaf signature has no path; its column needs a name.
      const path = leafPath || 'item';
      let storage: StorageKind;
      if (frameFields.has(path)) {
        frameFields.delete(path);
        const stack = options.frameStackShape ?? [];
        if (this.variableLength) throw new RangeError('frame fields cannot be used with variableLength');
        if (spec.dtype !== 'uint8' || !sameShape(spec.shape, stack)) {
          throw new RangeError(
            `frame field "${path}" must be uint8 of shape [${stack.join(', ')}] (one stack) in the signature, got ${spec.dtype} [${spec.shape.join(', ')}]`,
          );
        }
        storage = 'frameStack';
      } else {
        storage = storageOf(spec.dtype, path);
      }
      const size = spec.size;
      const stepSize = this.variableLength ? size / maxLength : size;
      const leaf = { spec, keys, path, storage, size, stepSize };
      out.push(leaf);
      this.#byPath.set(path, leaf);
    }
    if (frameFields.size > 0) {
      throw new RangeError(`frames.fields names no leaf of the signature: ${[...frameFields].join(', ')}`);
    }
    if (this.#byPath.has(LENGTH_COLUMN)) throw new RangeError(`"${LENGTH_COLUMN}" is reserved`);
    this.leaves = out;
  }

  leaf(path: string): LeafLayout {
    const leaf = this.#byPath.get(path);
    if (!leaf) throw new RangeError(`the signature has no leaf "${path}"`);
    return leaf;
  }

  hasLeaf(path: string): boolean {
    return this.#byPath.has(path);
  }

  /** The engine's columns for this layout. */
  columns(): ColumnSpec[] {
    const columns: ColumnSpec[] = this.leaves.map((leaf) =>
      leaf.storage === 'frameStack'
        ? { name: leaf.path, frameStack: true }
        : { name: leaf.path, dtype: leaf.storage, shape: leaf.spec.shape },
    );
    if (this.variableLength) columns.push({ name: LENGTH_COLUMN, dtype: 'int32' });
    return columns;
  }

  /**
   * Checks an item against the signature: structure, then each leaf's dtype and size (not
   * bounds, as Reverb). Returns the item's length along the leading axis for variable-length
   * tables, else 0. Errors name the field, what the signature expects and what came.
   */
  check(item: unknown, what = 'item'): number {
    let length = 0;
    let lengthFrom = '';
    let index = 0;
    checkStructure(this.signature, item, what, (spec, value, where) => {
      const leaf = this.leaves[index++]!;
      if (leaf.storage === 'frameStack') {
        if (!(typeof value === 'number' && Number.isInteger(value) && value >= 0)) {
          throw new TypeError(
            `${where} is a frame field: it must be a frame id from addFrame, got ${describeValue(value)}`,
          );
        }
        return;
      }
      if (spec.shape.length === 0) {
        checkScalar(spec.dtype, value, where);
        return;
      }
      const dtype = dtypeOf(value);
      if (dtype !== spec.dtype) {
        throw new TypeError(
          `${where} must be ${describeLeaf(leaf, this.variableLength)}, got ${describeValue(value)}`,
        );
      }
      const n = (value as TypedArray).length;
      if (!this.variableLength) {
        if (n !== leaf.size) {
          throw new RangeError(
            `${where} must be ${describeLeaf(leaf, false)}, got ${n} elements (${describeValue(value)})`,
          );
        }
        return;
      }
      const steps = n / leaf.stepSize;
      if (!(Number.isInteger(steps) && steps >= 1 && steps <= this.maxLength)) {
        throw new RangeError(`${where} must be ${describeLeaf(leaf, true)}, got ${n} elements`);
      }
      if (length === 0) {
        length = steps;
        lengthFrom = where;
      } else if (steps !== length) {
        throw new RangeError(
          `${where} has ${steps} steps but ${lengthFrom} has ${length}: every leaf needs the same length`,
        );
      }
    });
    return length;
  }

  /** Writes a checked item into row `row` of `batch` (whose layout is this table's). */
  write(item: unknown, batch: ReplayBatch, row: number, length: number): void {
    for (const leaf of this.leaves) {
      let value: unknown = item;
      for (let i = 0; i < leaf.keys.length; i++) value = (value as Record<Key, unknown>)[leaf.keys[i]!];
      if (leaf.storage === 'frameStack') {
        batch.frameIdColumns[leaf.path]![row] = value as number;
        continue;
      }
      const column = batch.columns[leaf.path]!;
      const at = row * leaf.size;
      if (typeof value === 'number') column[at] = value;
      else {
        const array = value as TypedArray;
        column.set(array, at);
        if (array.length < leaf.size) column.fill(0, at + array.length, at + leaf.size);
      }
    }
    if (this.variableLength) batch.columns[LENGTH_COLUMN]![row] = length;
  }

  /** Per leaf, the batch's column (all rows, `[batch, ...shape]` row-major), in the signature's structure. */
  views(batch: ReplayBatch): Nested<ColumnArray> {
    return buildLike(this.signature, (i) => batch.columns[this.leaves[i]!.path]!);
  }

  /**
   * The item in a one-row batch as views, no copies (what priority functions receive): arrays
   * in storage type, scalars as numbers, frame fields as frame ids, variable-length leaves cut
   * to the item's length.
   */
  rowView(batch: ReplayBatch): Nested<ColumnArray | number> {
    const length = this.variableLength ? batch.columns[LENGTH_COLUMN]![0]! : 0;
    return buildLike(this.signature, (i) => {
      const leaf = this.leaves[i]!;
      if (leaf.storage === 'frameStack') return batch.frameIdColumns[leaf.path]![0]!;
      const column = batch.columns[leaf.path]!;
      if (leaf.spec.shape.length === 0) return column[0]!;
      return this.variableLength ? column.subarray(0, length * leaf.stepSize) : column;
    });
  }

  /**
   * Row `row` of `batch` as an item in the signature's dtypes (copies; scalars as numbers; frame
   * fields as gathered stacks; variable-length leaves cut to the item's length).
   */
  read(batch: ReplayBatch, row: number): Nested<ArrayValue> {
    const length = this.variableLength ? batch.columns[LENGTH_COLUMN]![row]! : 0;
    return buildLike(this.signature, (i) => {
      const leaf = this.leaves[i]!;
      const column = batch.columns[leaf.path]!;
      const size = leaf.storage === 'frameStack' ? column.length / batch.size : leaf.size;
      const n = this.variableLength ? length * leaf.stepSize : size;
      if (leaf.spec.shape.length === 0) return column[row]!;
      const out = new TYPED_ARRAY[leaf.spec.dtype](n);
      out.set(column.subarray(row * size, row * size + n));
      return out;
    });
  }
}

function checkScalar(dtype: DType, value: unknown, where: string): void {
  if (typeof value !== 'number') {
    throw new TypeError(`${where} must be a ${dtype} of shape [] (a number), got ${describeValue(value)}`);
  }
  const range = integerRange(dtype);
  if (range && !(Number.isInteger(value) && value >= range[0] && value <= range[1])) {
    throw new RangeError(
      `${where} must be a ${dtype} of shape [] (an integer in [${range[0]}, ${range[1]}]), got ${value}`,
    );
  }
}

function describeLeaf(leaf: LeafLayout, variable: boolean): string {
  const { dtype, shape } = leaf.spec;
  const array = TYPED_ARRAY[dtype].name;
  if (!variable) return `a ${dtype} of shape [${shape.join(', ')}] (a ${array} of ${leaf.size} elements)`;
  const rest = shape.slice(1);
  return (
    `a ${dtype} of shape [k${rest.map((d) => `, ${d}`).join('')}] with 1 <= k <= ${shape[0]} ` +
    `(a ${array} of k x ${leaf.stepSize} elements)`
  );
}
