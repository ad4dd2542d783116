/**
 * Acme's ActionRepeatWrapper: each agent action is applied `numRepeats` times (fewer if the
 * episode ends). Reward = Σ r_i·Π_{j<i} d_j, discount = Π d_i. Scalar rewards and discounts only.
 */
import { ArraySpec, type Environment, StepType, TimeStep } from '@acme-ts/core';
import { EnvironmentWrapper } from './base.js';

export class ActionRepeat<O, A> extends EnvironmentWrapper<O, A> {
  readonly numRepeats: number;

  constructor(environment: Environment<O, A>, numRepeats: number) {
    super(environment);
    if (!Number.isInteger(numRepeats) || numRepeats < 1) {
      throw new RangeError(`numRepeats must be a positive integer, got ${numRepeats}`);
    }
    for (const [what, spec] of [
      ['reward', environment.rewardSpec()],
      ['discount', environment.discountSpec()],
    ] as const) {
      if (!(spec instanceof ArraySpec && spec.isScalar)) {
        throw new TypeError(`ActionRepeat needs a scalar ${what} spec, got ${String(spec)}`);
      }
    }
    this.numRepeats = numRepeats;
  }

  override step(action: A): TimeStep<O> {
    let timestep = this.environment.step(action);
    // A reset (fresh environment, or the step after LAST) ignores the action: pass it on.
    if (timestep.stepType === StepType.FIRST) return timestep;
    let reward = timestep.reward!;
    let discount = timestep.discount!;
    for (let i = 1; i < this.numRepeats && timestep.stepType !== StepType.LAST; i++) {
      timestep = this.environment.step(action);
      reward += timestep.reward! * discount;
      discount *= timestep.discount!;
    }
    return new TimeStep(timestep.stepType, reward, discount, timestep.observation);
  }
}
