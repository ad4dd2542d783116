/**
 * Acme's fakes: environments of a given spec whose observations, rewards and discounts are the
 * specs' generated values, with fixed-length episodes. Loop, adder and agent tests run on them.
 */
import type { Environment } from '../environment.js';
import { ArraySpec } from '../specs/array.js';
import { BoundedArray } from '../specs/bounded_array.js';
import { DiscreteArray } from '../specs/discrete_array.js';
import type { DType } from '../specs/dtype.js';
import type { EnvironmentSpec } from '../specs/environment_spec.js';
import { generateNestedValue, type NestedSpec, validateNested } from '../specs/nested.js';
import { restart, StepType, TimeStep, transition } from '../time_step.js';

export class FakeEnvironment implements Environment<unknown, unknown, unknown, unknown> {
  readonly spec: EnvironmentSpec;
  readonly episodeLength: number;
  /** Steps taken in the current episode; 0 before the first reset (Acme's `_step`). */
  #step = 0;

  /** Episodes end with a LAST step after `episodeLength` steps (default 25). */
  constructor(spec: EnvironmentSpec, options: { episodeLength?: number } = {}) {
    const { episodeLength = 25 } = options;
    if (!Number.isInteger(episodeLength) || episodeLength < 1) {
      throw new RangeError(`episodeLength must be a positive integer, got ${episodeLength}`);
    }
    this.spec = spec;
    this.episodeLength = episodeLength;
  }

  reset(): TimeStep<unknown, unknown, unknown> {
    this.#step = 1;
    return restart(generateNestedValue(this.spec.observations));
  }

  step(action: unknown): TimeStep<unknown, unknown, unknown> {
    if (this.#step === 0) return this.reset();
    validateNested(this.spec.actions, action, 'action');
    const observation = generateNestedValue(this.spec.observations);
    const reward = generateNestedValue(this.spec.rewards);
    const discount = generateNestedValue(this.spec.discounts);
    if (this.#step === this.episodeLength) {
      this.#step = 0;
      // Not dm_env's termination(): the discount must keep the spec's type and shape.
      return new TimeStep(StepType.LAST, reward, discount, observation);
    }
    this.#step += 1;
    return transition(reward, observation, discount);
  }

  observationSpec(): NestedSpec {
    return this.spec.observations;
  }
  actionSpec(): NestedSpec {
    return this.spec.actions;
  }
  rewardSpec(): NestedSpec {
    return this.spec.rewards;
  }
  discountSpec(): NestedSpec {
    return this.spec.discounts;
  }
  close(): void {}
}

export interface DiscreteEnvironmentOptions {
  numActions?: number;
  numObservations?: number;
  actionDtype?: DType;
  obsDtype?: DType;
  obsShape?: readonly number[];
  rewardSpec?: NestedSpec;
  discountSpec?: NestedSpec;
  episodeLength?: number;
}

/** Acme's fakes.DiscreteEnvironment: discrete actions, bounded integer observations. */
export function discreteEnvironment(options: DiscreteEnvironmentOptions = {}): FakeEnvironment {
  const {
    numActions = 1,
    numObservations = 1,
    actionDtype = 'int32',
    obsDtype = 'int32',
    obsShape = [],
    rewardSpec = new ArraySpec([], 'float32', 'reward'),
    discountSpec = new BoundedArray([], 'float32', 0, 1, 'discount'),
    episodeLength,
  } = options;
  return new FakeEnvironment(
    {
      observations: new BoundedArray(obsShape, obsDtype, 0, numObservations - 1, 'observation'),
      actions: new DiscreteArray(numActions, actionDtype, 'action'),
      rewards: rewardSpec,
      discounts: discountSpec,
    },
    episodeLength === undefined ? {} : { episodeLength },
  );
}

export interface ContinuousEnvironmentOptions {
  actionDim?: number;
  observationDim?: number;
  boundedActions?: boolean;
  dtype?: DType;
  rewardDtype?: DType;
  episodeLength?: number;
}

/** Acme's fakes.ContinuousEnvironment: float vectors in, float vectors out. */
export function continuousEnvironment(options: ContinuousEnvironmentOptions = {}): FakeEnvironment {
  const {
    actionDim = 1,
    observationDim = 1,
    boundedActions = false,
    dtype = 'float32',
    rewardDtype = 'float32',
    episodeLength,
  } = options;
  const actionShape = actionDim === 0 ? [] : [actionDim];
  const observationShape = observationDim === 0 ? [] : [observationDim];
  return new FakeEnvironment(
    {
      observations: new ArraySpec(observationShape, dtype, 'observation'),
      actions: boundedActions
        ? new BoundedArray(actionShape, dtype, -1, 1, 'action')
        : new ArraySpec(actionShape, dtype, 'action'),
      rewards: new ArraySpec([], rewardDtype, 'reward'),
      discounts: new BoundedArray([], rewardDtype, 0, 1, 'discount'),
    },
    episodeLength === undefined ? {} : { episodeLength },
  );
}
