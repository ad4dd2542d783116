/**
 * Acme's ObservationActionRewardWrapper: the observation becomes `{ observation, action, reward }`
 * holding the previous action and reward (the specs' generated values at the start of an episode),
 * as recurrent agents (R2D2, IMPALA) take them. Typed-array actions are copied, so the caller may
 * reuse its action buffer.
 */
import { generateNestedValue, type NestedSpec, StepType, TimeStep } from '@acme-ts/core';
import { EnvironmentWrapper } from './base.js';

export interface OAR<O, A, R> {
  observation: O;
  action: A;
  reward: R;
}

function copy<T>(value: T): T {
  if (ArrayBuffer.isView(value)) return (value as unknown as Float32Array).slice() as unknown as T;
  if (Array.isArray(value)) return value.map(copy) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, copy(v)])) as T;
  }
  return value;
}

export class ObservationActionReward<O, A, R = number, D = number> extends EnvironmentWrapper<
  OAR<O, A, R>,
  A,
  R,
  D,
  O,
  A,
  R,
  D
> {
  override reset(): TimeStep<OAR<O, A, R>, R, D> {
    return this.#augment(this.environment.reset(), undefined);
  }

  override step(action: A): TimeStep<OAR<O, A, R>, R, D> {
    return this.#augment(this.environment.step(action), action);
  }

  override observationSpec(): NestedSpec {
    return {
      observation: this.environment.observationSpec(),
      action: this.environment.actionSpec(),
      reward: this.environment.rewardSpec(),
    };
  }

  #augment(timestep: TimeStep<O, R, D>, action: A | undefined): TimeStep<OAR<O, A, R>, R, D> {
    const first = timestep.stepType === StepType.FIRST;
    const observation: OAR<O, A, R> = {
      observation: timestep.observation,
      action: first ? (generateNestedValue(this.environment.actionSpec()) as A) : copy(action as A),
      reward: first ? (generateNestedValue(this.environment.rewardSpec()) as R) : timestep.reward!,
    };
    return new TimeStep(timestep.stepType, timestep.reward, timestep.discount, observation);
  }
}
