/**
 * What Gymnasium's five classic-control environments share: a float64 physical state, float32
 * observations, a seeded reset distribution, a terminal condition and a time limit that ends the
 * episode by truncation (dm_env LAST with discount 1), as `gym.make`'s TimeLimit does. When the
 * terminal condition and the time limit coincide, termination wins (discount 0).
 *
 * Observations are fresh Float32Arrays that the environment never touches again; the physics
 * itself allocates nothing.
 */
import {
  type ArraySpec,
  Random,
  restart,
  type TimeStep,
  termination,
  transition,
  truncation,
} from '@acme-ts/core';
import { ValidatingAutoResetEnvironment } from '../validating_auto_reset.js';

export interface ClassicControlOptions {
  /** Seed of the reset distribution (default: fresh entropy). */
  seed?: number;
  /** Steps after which an episode is truncated (default: Gymnasium's registration). */
  maxEpisodeSteps?: number;
}

export abstract class ClassicControlEnvironment<A> extends ValidatingAutoResetEnvironment<Float32Array, A> {
  readonly maxEpisodeSteps: number;
  protected readonly rng: Random;
  /** The physical state, in float64 as Gymnasium keeps it. */
  protected readonly state: Float64Array;
  #elapsedSteps = 0;

  protected constructor(options: ClassicControlOptions, stateSize: number, defaultMaxEpisodeSteps: number) {
    super();
    const { seed, maxEpisodeSteps = defaultMaxEpisodeSteps } = options;
    if (!Number.isInteger(maxEpisodeSteps) || maxEpisodeSteps < 1) {
      throw new RangeError(`maxEpisodeSteps must be a positive integer, got ${maxEpisodeSteps}`);
    }
    this.maxEpisodeSteps = maxEpisodeSteps;
    this.rng = new Random(seed);
    this.state = new Float64Array(stateSize);
  }

  /** Steps taken in the current episode. */
  /**
   * The reset distribution's generator state (Acme's Saveable), meant to be taken between
   * episodes: after `restore()` the following resets draw what they would have drawn, so a resumed
   * run sees the same episodes as an uninterrupted one. The physics state is `getState()`.
   */
  save(): { rng: Uint32Array } {
    return { rng: this.rng.save() };
  }

  restore(state: { rng: ArrayLike<number> }): void {
    if (state === null || typeof state !== 'object')
      throw new TypeError('state must be { rng } as save() returns');
    this.rng.restore(state.rng);
  }

  get elapsedSteps(): number {
    return this.#elapsedSteps;
  }

  /** A copy of the physical state (see each environment for its layout). */
  getState(): Float64Array {
    return this.state.slice();
  }

  /**
   * Puts the system in `state` (same layout as getState()). Mid-episode the episode goes on from
   * there, with its step count unchanged; on a fresh environment or after LAST, a new episode
   * starts from `state` (the next step() uses its action instead of resetting).
   */
  setState(state: ArrayLike<number>): void {
    if (state === null || typeof state !== 'object' || state.length !== this.state.length) {
      throw new TypeError(`state must hold ${this.state.length} numbers (as getState() returns)`);
    }
    for (let i = 0; i < state.length; i++) {
      if (typeof state[i] !== 'number' || !Number.isFinite(state[i]!)) {
        throw new RangeError(`state[${i}] must be a finite number, got ${state[i]}`);
      }
    }
    if (this.needsReset) {
      this.#elapsedSteps = 0;
      this.needsReset = false;
    }
    this.state.set(state);
  }

  /** The float32 observation of the current state. */
  observe(): Float32Array {
    const out = new Float32Array(this.observationSize);
    this.writeObservation(out);
    return out;
  }

  protected resetEpisode(): TimeStep<Float32Array> {
    this.#elapsedSteps = 0;
    this.resetState();
    return restart(this.observe());
  }

  protected stepEpisode(action: A): TimeStep<Float32Array> {
    (this.actionSpec() as ArraySpec).validate(action);
    const reward = this.simulate(action);
    this.#elapsedSteps += 1;
    const observation = this.observe();
    if (this.isTerminal()) return termination(reward, observation);
    if (this.#elapsedSteps >= this.maxEpisodeSteps) return truncation(reward, observation);
    return transition(reward, observation);
  }

  protected abstract readonly observationSize: number;
  /** Draws the initial state into `this.state`. */
  protected abstract resetState(): void;
  /** Advances `this.state` by one step under a validated action; returns the reward. */
  protected abstract simulate(action: A): number;
  /** Whether the current state is terminal. */
  protected abstract isTerminal(): boolean;
  protected abstract writeObservation(out: Float32Array): void;
}
