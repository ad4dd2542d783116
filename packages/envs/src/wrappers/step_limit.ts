/**
 * Acme's StepLimitWrapper: ends an episode by truncation after `stepLimit` steps (the inner
 * discount is kept, so an inner termination on that step still reads 0); the next step resets.
 */
import { type Environment, StepType, type TimeStep, truncation, validateNested } from '@acme-ts/core';
import { EnvironmentWrapper } from './base.js';

export class StepLimit<O, A, R = number, D = number> extends EnvironmentWrapper<O, A, R, D> {
  readonly stepLimit: number | undefined;
  /** Steps in the current episode; -1 when the next step must reset. */
  #elapsed = -1;

  /** No `stepLimit`: no limit. */
  constructor(environment: Environment<O, A, R, D>, stepLimit?: number) {
    super(environment);
    if (stepLimit !== undefined && !(Number.isInteger(stepLimit) && stepLimit >= 1)) {
      throw new RangeError(`stepLimit must be a positive integer, got ${stepLimit}`);
    }
    this.stepLimit = stepLimit;
  }

  override reset(): TimeStep<O, R, D> {
    this.#elapsed = 0;
    return this.environment.reset();
  }

  override step(action: A): TimeStep<O, R, D> {
    if (this.#elapsed < 0) {
      // The reset ignores the action, but an invalid one is still an error (as the README promises).
      validateNested(this.actionSpec(), action, 'action');
      return this.reset();
    }
    const timestep = this.environment.step(action);
    this.#elapsed += 1;
    if (timestep.stepType === StepType.LAST) {
      this.#elapsed = -1;
      return timestep;
    }
    if (this.stepLimit !== undefined && this.#elapsed >= this.stepLimit) {
      this.#elapsed = -1;
      return truncation(timestep.reward as R, timestep.observation, timestep.discount as D);
    }
    return timestep;
  }
}
