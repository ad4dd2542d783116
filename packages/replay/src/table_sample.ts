/**
 * A sampled batch in preallocated buffers: the items' data, column by column, and Reverb's
 * per-sample info (key, probability, priority, times sampled) for priority updates and
 * importance weights. `Table.sample` and datasets refill the same object call after call.
 */
import type { ArrayValue, Nested } from '@acme-ts/core';
import type { ColumnArray, ReplayBatch } from '@acme-ts/native';
import { type ItemLayout, LENGTH_COLUMN } from './item_layout.js';

export class TableSample {
  readonly batchSize: number;
  readonly keys: Float64Array;
  /** Probability of each draw when it was made. */
  readonly probabilities: Float64Array;
  /** Each item's priority at sample time. */
  readonly priorities: Float64Array;
  /** Times each item has been sampled, this draw included. */
  readonly timesSampled: Int32Array;
  /** Items in the table when the (last part of the) batch was drawn. */
  tableSize = 0;
  /** The raw column buffers. */
  readonly batch: ReplayBatch;
  /**
   * Per signature leaf, all rows of the batch as one typed array in storage type (row-major
   * `[batchSize, ...shape]`; frame fields as `[batchSize, ...stack shape]` uint8).
   */
  readonly data: Nested<ColumnArray>;
  /** Each item's length (variable-length tables only). */
  readonly lengths: Int32Array | undefined;
  readonly layout: ItemLayout;

  constructor(layout: ItemLayout, batch: ReplayBatch) {
    this.layout = layout;
    this.batch = batch;
    this.batchSize = batch.size;
    this.keys = new Float64Array(batch.size);
    this.probabilities = new Float64Array(batch.size);
    this.priorities = new Float64Array(batch.size);
    this.timesSampled = new Int32Array(batch.size);
    this.data = layout.views(batch);
    this.lengths = layout.variableLength ? (batch.columns[LENGTH_COLUMN] as Int32Array) : undefined;
  }

  /** All rows of one signature leaf, by path (`'observation'`, `'reward.a'`): `[batchSize, ...shape]`. */
  column(path: string): ColumnArray {
    const column = this.batch.columns[path];
    if (!column || path === LENGTH_COLUMN) {
      throw new RangeError(
        `no leaf "${path}" in the signature (leaves: ${this.layout.leaves.map((l) => l.path).join(', ')})`,
      );
    }
    return column;
  }

  /** Item `i` of the batch as a fresh value in the signature's dtypes (for tests and inspection). */
  item(i: number): Nested<ArrayValue> {
    if (!(Number.isInteger(i) && i >= 0 && i < this.batchSize)) {
      throw new RangeError(`i must be an integer in [0, ${this.batchSize}), got ${i}`);
    }
    return this.layout.read(this.batch, i);
  }
}
