/**
 * bsuite's Catch: a ball falls from a random column of a rows x columns board; move the paddle on
 * the bottom row (left, stay, right) to catch it. Reward +1 for a catch and -1 for a miss, at the
 * last step, which is a termination; every episode lasts rows - 1 steps. The observation is the
 * float32 board with 1 at the ball and at the paddle.
 */
import {
  BoundedArray,
  DiscreteArray,
  Random,
  restart,
  type TimeStep,
  termination,
  transition,
} from '@acme-ts/core';
import { ValidatingAutoResetEnvironment } from '../validating_auto_reset.js';

const ACTIONS = [-1, 0, 1] as const;

export interface CatchOptions {
  rows?: number;
  columns?: number;
  seed?: number;
}

export class Catch extends ValidatingAutoResetEnvironment<Float32Array, number> {
  readonly rows: number;
  readonly columns: number;
  readonly #rng: Random;
  readonly #observationSpec: BoundedArray;
  readonly #actionSpec = new DiscreteArray(3, 'int32', 'action');
  #ballX = 0;
  #ballY = 0;
  #paddleX = 0;
  readonly #paddleY: number;

  constructor(options: CatchOptions = {}) {
    super();
    const { rows = 10, columns = 5, seed } = options;
    for (const [name, value] of [
      ['rows', rows],
      ['columns', columns],
    ] as const) {
      if (!Number.isInteger(value) || value < 2)
        throw new RangeError(`${name} must be an integer >= 2, got ${value}`);
    }
    this.rows = rows;
    this.columns = columns;
    this.#rng = new Random(seed);
    this.#paddleY = rows - 1;
    this.#observationSpec = new BoundedArray([rows, columns], 'float32', 0, 1, 'board');
  }

  /** The generator state, taken between episodes (see ClassicControl.save). */
  save(): { rng: Uint32Array } {
    return { rng: this.#rng.save() };
  }

  restore(state: { rng: ArrayLike<number> }): void {
    if (state === null || typeof state !== 'object')
      throw new TypeError('state must be { rng } as save() returns');
    this.#rng.restore(state.rng);
  }

  observationSpec(): BoundedArray {
    return this.#observationSpec;
  }

  actionSpec(): DiscreteArray {
    return this.#actionSpec;
  }

  protected resetEpisode(): TimeStep<Float32Array> {
    this.#ballX = this.#rng.int(this.columns);
    this.#ballY = 0;
    this.#paddleX = this.columns >> 1;
    return restart(this.#observe());
  }

  protected stepEpisode(action: number): TimeStep<Float32Array> {
    this.#actionSpec.validate(action);
    this.#paddleX = Math.min(Math.max(this.#paddleX + ACTIONS[action]!, 0), this.columns - 1);
    this.#ballY += 1;
    if (this.#ballY === this.#paddleY) {
      return termination(this.#paddleX === this.#ballX ? 1.0 : -1.0, this.#observe());
    }
    return transition(0.0, this.#observe());
  }

  /** The board as text: 'o' ball, '=' paddle, '.' empty. */
  renderText(): string {
    const lines: string[] = [];
    for (let r = 0; r < this.rows; r++) {
      let line = '';
      for (let c = 0; c < this.columns; c++) {
        line +=
          r === this.#ballY && c === this.#ballX
            ? 'o'
            : r === this.#paddleY && c === this.#paddleX
              ? '='
              : '.';
      }
      lines.push(line);
    }
    return lines.join('\n');
  }

  #observe(): Float32Array {
    const board = new Float32Array(this.rows * this.columns);
    board[this.#ballY * this.columns + this.#ballX] = 1;
    board[this.#paddleY * this.columns + this.#paddleX] = 1;
    return board;
  }
}
