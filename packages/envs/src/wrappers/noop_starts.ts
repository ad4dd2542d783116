/**
 * Acme's NoopStartsWrapper: after each reset, takes a uniform number in [0, noopMax] of no-op
 * steps (resetting again if one ends the episode), so episodes start from varied states.
 *
 * Unlike Acme, which keeps the last no-op's reward and discount on the FIRST step it returns,
 * the FIRST step here has null reward and discount, as dm_env requires.
 */
import { type Environment, Random, restart, StepType, type TimeStep, validateNested } from '@acme-ts/core';
import { EnvironmentWrapper } from './base.js';

export interface NoopStartsOptions<A> {
  /** The action that does nothing (default 0). */
  noopAction?: A;
  /** Most no-ops per reset (default 30). */
  noopMax?: number;
  seed?: number;
}

export class NoopStarts<O, A, R = number, D = number> extends EnvironmentWrapper<O, A, R, D> {
  readonly noopMax: number;
  readonly #noopAction: A;
  readonly #rng: Random;
  #needsReset = true;

  constructor(environment: Environment<O, A, R, D>, options: NoopStartsOptions<A> = {}) {
    super(environment);
    const { noopAction = 0 as A, noopMax = 30, seed } = options;
    if (!Number.isInteger(noopMax) || noopMax < 0) {
      throw new RangeError(`noopMax must be a non-negative integer, got ${noopMax}`);
    }
    this.noopMax = noopMax;
    this.#noopAction = noopAction;
    this.#rng = new Random(seed);
  }

  override reset(): TimeStep<O, R, D> {
    this.#needsReset = false;
    let timestep = this.environment.reset();
    const noops = this.#rng.int(this.noopMax + 1);
    for (let i = 0; i < noops; i++) {
      timestep = this.environment.step(this.#noopAction);
      if (timestep.stepType === StepType.LAST) timestep = this.environment.reset();
    }
    return restart(timestep.observation) as TimeStep<O, R, D>;
  }

  override step(action: A): TimeStep<O, R, D> {
    if (this.#needsReset) {
      // The reset ignores the action, but an invalid one is still an error (as the README promises).
      validateNested(this.actionSpec(), action, 'action');
      return this.reset();
    }
    const timestep = this.environment.step(action);
    this.#needsReset = timestep.stepType === StepType.LAST;
    return timestep;
  }
}
