/**
 * dm_env's Environment. `reset()` starts an episode and returns FIRST; `step(action)` returns MID
 * or LAST, and a step after LAST (or on a fresh environment) starts a new episode and ignores the
 * action. Environments validate actions against `actionSpec()` and throw an error that names the
 * spec and the value.
 *
 * Ownership: an observation returned in a TimeStep belongs to the caller. The environment never
 * writes to it again, so agents and adders may keep it without copying.
 */
import { ArraySpec } from './specs/array.js';
import { BoundedArray } from './specs/bounded_array.js';
import type { NestedSpec } from './specs/nested.js';
import type { TimeStep } from './time_step.js';

export interface Environment<O = unknown, A = unknown, R = number, D = number> {
  reset(): TimeStep<O, R, D>;
  step(action: A): TimeStep<O, R, D>;
  observationSpec(): NestedSpec;
  actionSpec(): NestedSpec;
  rewardSpec(): NestedSpec;
  discountSpec(): NestedSpec;
  /** Frees resources; the environment is not used afterwards. Calling it twice is harmless. */
  close(): void;
}

/** dm_env's default reward spec: a float64 scalar named 'reward'. */
export function defaultRewardSpec(): ArraySpec {
  return new ArraySpec([], 'float64', 'reward');
}

/** dm_env's default discount spec: a float64 scalar in [0, 1] named 'discount'. */
export function defaultDiscountSpec(): BoundedArray {
  return new BoundedArray([], 'float64', 0, 1, 'discount');
}
