/** Acme's `EnvironmentSpec`: the four specs an agent is built from. */
import type { Environment } from '../environment.js';
import type { NestedSpec } from './nested.js';

export interface EnvironmentSpec {
  readonly observations: NestedSpec;
  readonly actions: NestedSpec;
  readonly rewards: NestedSpec;
  readonly discounts: NestedSpec;
}

export function makeEnvironmentSpec(
  environment: Environment<unknown, unknown, unknown, unknown>,
): EnvironmentSpec {
  return {
    observations: environment.observationSpec(),
    actions: environment.actionSpec(),
    rewards: environment.rewardSpec(),
    discounts: environment.discountSpec(),
  };
}
