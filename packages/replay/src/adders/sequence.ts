/**
 * Acme's SequenceAdder: writes overlapping (period < length) or back-to-back (period = length)
 * sequences of `sequenceLength` rows. The first item is written once the episode has
 * `sequenceLength` complete rows, then one every `period` rows. At the end of an episode:
 *
 *  - `ZERO_PAD` (default): zero rows are appended up to the next write position, then the last
 *    `sequenceLength` rows are written;
 *  - `TRUNCATE`: the same item without the zero rows (shorter: the table must be variableLength);
 *  - `WRITE`: the last `sequenceLength` rows are written (episodes shorter than that are dropped);
 *  - `CONTINUE`: nothing special; sequences run on into the next episode.
 *
 * With sequence length 3 and period 2 over a 6-step episode, the last items are:
 *   WRITE . . . 4 5 6 | CONTINUE . . . . 5 6 F | ZERO_PAD . . . . 5 6 0 | TRUNCATE . . . . 5 6
 * (F: the next episode's first step, 0: a zero row.)
 */
import type { EnvironmentSpec, NestedSpec } from '@acme-ts/core';
import type { Table } from '../table.js';
import { type TrajectorySpec, trajectorySignature } from './trajectory.js';
import { TrajectoryAdder, type TrajectoryAdderOptions } from './trajectory_adder.js';

export const EndBehavior = {
  WRITE: 'write_buffer',
  CONTINUE: 'continue_to_next_episode',
  ZERO_PAD: 'zero_pad_til_next_write',
  TRUNCATE: 'write_truncated_buffer',
} as const;
export type EndBehavior = (typeof EndBehavior)[keyof typeof EndBehavior];

export interface SequenceAdderOptions extends TrajectoryAdderOptions {
  readonly endOfEpisodeBehavior?: EndBehavior;
}

export class SequenceAdder extends TrajectoryAdder {
  readonly period: number;
  readonly endOfEpisodeBehavior: EndBehavior;

  /**
   * ```ts
   * const table = Table.queue('sequences', 1000, SequenceAdder.signature(spec, undefined, 3));
   * const adder = new SequenceAdder(table, 3, 2);
   * ```
   */
  constructor(
    tables: Table | readonly Table[],
    sequenceLength: number,
    period: number,
    options: SequenceAdderOptions = {},
  ) {
    // A ring of sequenceLength + 1 rows: a whole item plus the open row of the next observation.
    super(tables, options, 2, (length) => length + 1);
    if (!(Number.isInteger(sequenceLength) && sequenceLength >= 1)) {
      throw new RangeError(`sequenceLength must be an integer >= 1, got ${sequenceLength}`);
    }
    if (sequenceLength !== this.sequenceLength) {
      throw new RangeError(
        `sequenceLength ${sequenceLength} differs from the table signature's time axis ${this.sequenceLength}`,
      );
    }
    if (!(Number.isInteger(period) && period >= 1))
      throw new RangeError(`period must be an integer >= 1, got ${period}`);
    const behavior = options.endOfEpisodeBehavior ?? EndBehavior.ZERO_PAD;
    if (!Object.values(EndBehavior).includes(behavior)) {
      throw new RangeError(
        `endOfEpisodeBehavior must be one of EndBehavior's values, got ${String(behavior)}`,
      );
    }
    this.period = period;
    this.endOfEpisodeBehavior = behavior;
  }

  /** Acme's `SequenceAdder.signature`: the environment's specs with a time axis of `sequenceLength`. */
  static signature(
    environmentSpec: EnvironmentSpec,
    extrasSpec: NestedSpec | undefined,
    sequenceLength: number,
  ): TrajectorySpec {
    return trajectorySignature(environmentSpec, extrasSpec, sequenceLength);
  }

  override reset(): void {
    // CONTINUE keeps the rows and the step count across episodes.
    if (this.endOfEpisodeBehavior === EndBehavior.CONTINUE) return;
    super.reset();
  }

  protected write(): void {
    this.#maybeCreateItem(this.sequenceLength, false, false);
  }

  protected writeLast(): void {
    const L = this.sequenceLength;
    const P = this.period;
    let delta = L - this.episodeSteps;
    // Python's modulo: the distance to the next write position, never negative.
    if (delta < 0) delta = (((P + delta) % P) + P) % P;
    switch (this.endOfEpisodeBehavior) {
      case EndBehavior.CONTINUE:
        this.#maybeCreateItem(L, true, false);
        break;
      case EndBehavior.WRITE:
        if (this.episodeSteps >= L) this.#maybeCreateItem(L, true, true);
        break;
      case EndBehavior.TRUNCATE:
        this.#maybeCreateItem(L - delta, true, true);
        break;
      default:
        for (let i = 0; i < delta; i++) {
          this.ring.appendZeros();
          this.episodeSteps++;
        }
        this.#maybeCreateItem(L, true, true);
    }
  }

  #maybeCreateItem(length: number, endOfEpisode: boolean, force: boolean): void {
    const L = this.sequenceLength;
    const steps = this.episodeSteps;
    const firstWrite = steps === length;
    const periodReached = steps > L && (steps - L) % this.period === 0;
    if (!firstWrite && !periodReached && !force) return;
    // Mid-episode the newest row is still open (only its observation): the item ends before it.
    const end = endOfEpisode ? this.ring.rows : this.ring.rows - 1;
    this.createItem(end - length, length);
  }
}
