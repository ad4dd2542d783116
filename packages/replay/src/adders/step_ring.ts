/**
 * The recent rows of a trajectory, as Reverb's trajectory writer keeps them for the sequence and
 * episode adders: a ring of `capacity` rows, each leaf's values copied into preallocated storage.
 * A row is opened with its observation ("partial step") and completed by the action, reward,
 * discount and extras that follow. Rows are numbered from the last `clear()`.
 */
import type { ArrayValue, DType } from '@acme-ts/core';
import { LENGTH_COLUMN } from '../item_layout.js';
import type { Table } from '../table.js';
import type { StepLeaf } from './trajectory.js';
import { storeLeaf } from './values.js';

export type PaddingFn = (shape: readonly number[], dtype: DType) => ArrayValue;

export class StepRing {
  readonly capacity: number;
  readonly leaves: readonly StepLeaf[];
  readonly #store: Float64Array[];
  /** Rows appended since the last clear (the open row included). */
  #rows = 0;
  #open = false;

  constructor(leaves: readonly StepLeaf[], capacity: number) {
    this.leaves = leaves;
    this.capacity = capacity;
    this.#store = leaves.map((l) => new Float64Array(capacity * l.size));
  }

  get rows(): number {
    return this.#rows;
  }
  /** Whether the newest row still waits for its action, reward and discount. */
  get open(): boolean {
    return this.#open;
  }

  clear(): void {
    this.#rows = 0;
    this.#open = false;
  }

  /** Opens a row with its observation. */
  appendPartial(observation: unknown, startOfEpisode: boolean): void {
    const slot = this.#rows % this.capacity;
    const leaves = this.leaves;
    for (let j = 0; j < leaves.length; j++) {
      const l = leaves[j]!;
      if (l.field === 'observation') storeLeaf(this.#store[j]!, slot * l.size, pick(observation, l), l.size);
      else if (l.field === 'startOfEpisode') this.#store[j]![slot] = startOfEpisode ? 1 : 0;
    }
    this.#rows++;
    this.#open = true;
  }

  /** Completes the open row. */
  complete(action: unknown, reward: unknown, discount: unknown, extras: unknown): void {
    const slot = (this.#rows - 1) % this.capacity;
    const leaves = this.leaves;
    for (let j = 0; j < leaves.length; j++) {
      const l = leaves[j]!;
      const source =
        l.field === 'action'
          ? action
          : l.field === 'reward'
            ? reward
            : l.field === 'discount'
              ? discount
              : l.field === 'extras'
                ? extras
                : undefined;
      if (source !== undefined) storeLeaf(this.#store[j]!, slot * l.size, pick(source, l), l.size);
    }
    this.#open = false;
  }

  /** Completes the open row with zeros: the final observation's row. */
  completeZeros(): void {
    const slot = (this.#rows - 1) % this.capacity;
    const leaves = this.leaves;
    for (let j = 0; j < leaves.length; j++) {
      const l = leaves[j]!;
      if (l.field !== 'observation' && l.field !== 'startOfEpisode') {
        this.#store[j]!.fill(0, slot * l.size, (slot + 1) * l.size);
      }
    }
    this.#open = false;
  }

  /** Appends a complete row of zeros (zero padding). */
  appendZeros(): void {
    const slot = this.#rows % this.capacity;
    for (let j = 0; j < this.leaves.length; j++) {
      const size = this.leaves[j]!.size;
      this.#store[j]!.fill(0, slot * size, (slot + 1) * size);
    }
    this.#rows++;
  }

  /** Appends a complete row whose leaves come from `fn(shape, dtype)`; startOfEpisode is 0. */
  appendPadding(fn: PaddingFn): void {
    const slot = this.#rows % this.capacity;
    for (let j = 0; j < this.leaves.length; j++) {
      const l = this.leaves[j]!;
      if (l.field === 'startOfEpisode') {
        this.#store[j]![slot] = 0;
        continue;
      }
      const value = fn(l.spec.shape, l.spec.dtype);
      const n = typeof value === 'number' ? 1 : value.length;
      if (n !== l.size) {
        throw new RangeError(`paddingFn gave ${n} elements for "${l.path}", whose steps have ${l.size}`);
      }
      storeLeaf(this.#store[j]!, slot * l.size, value, l.size);
    }
    this.#rows++;
  }

  /**
   * Writes rows [from, from + count) into `table.row` as one item. Shorter items than the
   * signature's time axis need a variable-length table; the rest of each column is zeroed.
   */
  writeItem(table: Table, from: number, count: number): void {
    const layout = table.layout;
    const length = layoutLength(table);
    if (count > length)
      throw new RangeError(`an item of ${count} steps does not fit table "${table.name}" (${length})`);
    if (count < length && !layout.variableLength) {
      throw new RangeError(
        `table "${table.name}" needs items of ${length} steps and this one has ${count}: ` +
          'make the table variableLength (or pad the episode)',
      );
    }
    const row = table.row;
    for (let j = 0; j < this.leaves.length; j++) {
      const l = this.leaves[j]!;
      const column = row.columns[l.path]!;
      const store = this.#store[j]!;
      const size = l.size;
      for (let t = 0; t < count; t++) {
        const at = ((from + t) % this.capacity) * size;
        const to = t * size;
        for (let e = 0; e < size; e++) column[to + e] = store[at + e]!;
      }
      if (count < length) column.fill(0, count * size);
    }
    if (layout.variableLength) row.columns[LENGTH_COLUMN]![0] = count;
  }
}

function pick(value: unknown, leaf: StepLeaf): unknown {
  let v = value;
  for (let i = 0; i < leaf.keys.length; i++) v = (v as Record<string | number, unknown>)[leaf.keys[i]!];
  return v;
}

function layoutLength(table: Table): number {
  const first = table.layout.leaves[0];
  return first ? first.spec.shape[0]! : 0;
}
