/**
 * Acme's EpisodeAdder: writes each whole episode as one item at its end: T + 1 rows for T steps
 * (the last row holds the final observation with zero action, reward and discount). An episode
 * may not exceed `maxSequenceLength` rows: the step that would is refused with a RangeError and
 * changes nothing. With a `paddingFn(shape, dtype)`, items are padded with rows it builds up to
 * `maxSequenceLength`; without one, items vary in length and the table must be variableLength.
 */
import type { EnvironmentSpec, NestedSpec } from '@acme-ts/core';
import type { Table } from '../table.js';
import type { PaddingFn } from './step_ring.js';
import { type TrajectorySpec, trajectorySignature } from './trajectory.js';
import { TrajectoryAdder, type TrajectoryAdderOptions } from './trajectory_adder.js';

export interface EpisodeAdderOptions extends TrajectoryAdderOptions {
  readonly paddingFn?: PaddingFn;
}

export class EpisodeAdder extends TrajectoryAdder {
  readonly maxSequenceLength: number;
  readonly #paddingFn: PaddingFn | undefined;

  constructor(
    tables: Table | readonly Table[],
    maxSequenceLength: number,
    options: EpisodeAdderOptions = {},
  ) {
    super(tables, options, 1, (length) => length);
    if (!(Number.isInteger(maxSequenceLength) && maxSequenceLength >= 2)) {
      throw new RangeError(`maxSequenceLength must be an integer >= 2, got ${maxSequenceLength}`);
    }
    if (maxSequenceLength !== this.sequenceLength) {
      throw new RangeError(
        `maxSequenceLength ${maxSequenceLength} differs from the table signature's time axis ${this.sequenceLength}`,
      );
    }
    if (options.paddingFn !== undefined && typeof options.paddingFn !== 'function') {
      throw new TypeError('paddingFn must be a function (shape, dtype) => value');
    }
    this.maxSequenceLength = maxSequenceLength;
    this.#paddingFn = options.paddingFn;
  }

  /** Acme's `EpisodeAdder.signature`: the environment's specs with a time axis of `maxSequenceLength`. */
  static signature(
    environmentSpec: EnvironmentSpec,
    extrasSpec: NestedSpec | undefined,
    maxSequenceLength: number,
  ): TrajectorySpec {
    return trajectorySignature(environmentSpec, extrasSpec, maxSequenceLength);
  }

  protected override beforeAdd(): void {
    if (this.episodeSteps >= this.maxSequenceLength - 1) {
      throw new RangeError(
        `this step would make the episode longer than maxSequenceLength (${this.maxSequenceLength} rows, the final observation's included)`,
      );
    }
  }

  protected write(): void {
    // Only whole episodes are written.
  }

  protected writeLast(): void {
    const pad = this.#paddingFn;
    if (pad) {
      while (this.episodeSteps < this.maxSequenceLength) {
        this.ring.appendPadding(pad);
        this.episodeSteps++;
      }
    }
    this.createItem(0, this.ring.rows);
  }
}
