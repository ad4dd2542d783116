/**
 * What the sequence and episode adders share: Acme's Reverb adder protocol over a ring of rows.
 * `addFirst` opens a row with the first observation; `add` completes it with the action, reward,
 * discount and extras, opens the next row with the new observation and lets the adder write; on
 * a LAST timestep the final row is completed with zeros, the adder writes what remains and the
 * episode ends.
 */
import { nestedSpecsEqual } from '@acme-ts/core';
import type { Table } from '../table.js';
import type { Adder, AnyTimeStep } from './adder.js';
import { ReverbAdder, type ReverbAdderOptions } from './reverb_adder.js';
import { StepRing } from './step_ring.js';
import { type StepLeaf, stepLeaves, type Trajectory } from './trajectory.js';
import { checkLeafValue, valueAtChecked } from './values.js';

export interface TrajectoryAdderOptions extends ReverbAdderOptions<Trajectory> {
  /** Check every input against the signature (default true). */
  readonly validate?: boolean;
}

export abstract class TrajectoryAdder extends ReverbAdder<Trajectory> implements Adder {
  /** The signature's time axis: the longest item. */
  protected readonly sequenceLength: number;
  protected readonly ring: StepRing;
  /** Completed rows of the episode (Reverb's `episode_steps`). */
  protected episodeSteps = 0;
  protected started = false;
  readonly #leaves: readonly StepLeaf[];
  readonly #hasExtras: boolean;
  readonly #validate: boolean;

  protected constructor(
    tables: Table | readonly Table[],
    options: TrajectoryAdderOptions,
    defaultMaxInFlight: number,
    capacity: (sequenceLength: number) => number,
  ) {
    super(tables, options, defaultMaxInFlight);
    const { leaves, length, hasExtras } = stepLeaves(this.tables[0]!);
    for (const t of this.tables) {
      if (!nestedSpecsEqual(t.signature, this.tables[0]!.signature)) {
        throw new RangeError(`tables "${this.tables[0]!.name}" and "${t.name}" have different signatures`);
      }
      if (t.options.frames) throw new RangeError(`table "${t.name}": sequence items cannot use frame fields`);
    }
    this.sequenceLength = length;
    this.#leaves = leaves;
    this.#hasExtras = hasExtras;
    this.#validate = options.validate ?? true;
    this.ring = new StepRing(leaves, capacity(length));
  }

  addFirst(timestep: AnyTimeStep): void {
    if (!timestep.first()) {
      throw new RangeError('adder.addFirst needs a FIRST timestep (timestep.first() must be true)');
    }
    if (this.ring.open) {
      throw new Error(
        'adder.reset must be called before adder.addFirst (it is called automatically after a LAST timestep)',
      );
    }
    if (this.#validate) this.#check('observation', timestep.observation, 'timestep.observation');
    this.ring.appendPartial(timestep.observation, true);
    this.started = true;
  }

  add(action: unknown, nextTimestep: AnyTimeStep, extras?: unknown): void {
    if (!this.started) throw new Error('adder.addFirst must be called before adder.add');
    this.beforeAdd();
    if (this.#validate) {
      this.#check('action', action, 'action');
      this.#check('reward', nextTimestep.reward, 'nextTimestep.reward');
      this.#check('discount', nextTimestep.discount, 'nextTimestep.discount');
      this.#check('observation', nextTimestep.observation, 'nextTimestep.observation');
      if (!this.#hasExtras && extras !== undefined) {
        throw new TypeError(
          "extras were given but the table's signature has none (pass extrasSpec to signature())",
        );
      }
      if (this.#hasExtras) {
        if (extras === undefined)
          throw new TypeError("the table's signature has extras: add(action, timestep, extras) needs them");
        this.#check('extras', extras, 'extras');
      }
    }
    this.ring.complete(action, nextTimestep.reward, nextTimestep.discount, extras);
    this.episodeSteps++;
    this.ring.appendPartial(nextTimestep.observation, nextTimestep.first());
    this.write();
    if (nextTimestep.last()) {
      this.ring.completeZeros();
      this.episodeSteps++;
      this.writeLast();
      this.reset();
    }
  }

  reset(): void {
    this.started = false;
    this.episodeSteps = 0;
    this.ring.clear();
  }

  /** Called by `add` before anything changes (the episode adder refuses steps past its limit). */
  protected beforeAdd(): void {}
  /** After every `add`. */
  protected abstract write(): void;
  /** After the final row of an episode. */
  protected abstract writeLast(): void;

  /** Writes rows [from, from + count) as one item into every table. */
  protected createItem(from: number, count: number): void {
    for (const table of this.tables) this.ring.writeItem(table, from, count);
    this.insertRows();
  }

  #check(field: StepLeaf['field'], value: unknown, where: string): void {
    for (const l of this.#leaves) {
      if (l.field !== field) continue;
      const v = l.keys.length === 0 ? value : valueAtChecked(value, l.keys, where);
      checkLeafValue(l.spec, v, where, l.path.slice(field.length));
    }
  }
}
