/**
 * dm_env's AutoResetEnvironment: implements the rule that a step on a fresh environment, or after
 * a LAST step, is a reset that ignores its action. Subclasses write `resetEpisode()` and
 * `stepEpisode(action)` and never see such a step.
 */
import { defaultDiscountSpec, defaultRewardSpec, type Environment } from './environment.js';
import type { NestedSpec } from './specs/nested.js';
import { StepType, type TimeStep } from './time_step.js';

export abstract class AutoResetEnvironment<O = unknown, A = unknown, R = number, D = number>
  implements Environment<O, A, R, D>
{
  #resetNextStep = true;
  readonly #rewardSpec = defaultRewardSpec();
  readonly #discountSpec = defaultDiscountSpec();

  reset(): TimeStep<O, R, D> {
    this.#resetNextStep = false;
    return this.resetEpisode();
  }

  step(action: A): TimeStep<O, R, D> {
    if (this.#resetNextStep) return this.reset();
    const timestep = this.stepEpisode(action);
    this.#resetNextStep = timestep.stepType === StepType.LAST;
    return timestep;
  }

  /** Whether the next `step()` will start a new episode. */
  protected get needsReset(): boolean {
    return this.#resetNextStep;
  }

  /** Lets subclasses that jump into a state (setState) continue the episode from there. */
  protected set needsReset(value: boolean) {
    this.#resetNextStep = value;
  }

  protected abstract resetEpisode(): TimeStep<O, R, D>;
  protected abstract stepEpisode(action: A): TimeStep<O, R, D>;

  abstract observationSpec(): NestedSpec;
  abstract actionSpec(): NestedSpec;

  rewardSpec(): NestedSpec {
    return this.#rewardSpec;
  }

  discountSpec(): NestedSpec {
    return this.#discountSpec;
  }

  close(): void {}
}
