/**
 * Greedy evaluation: whole episodes with the policy's argmax action (no exploration, nothing
 * added to replay), as SB3's `evaluate_policy(deterministic=True)` and Acme's evaluator actors.
 */
import type { Environment } from '@acme-ts/core';
import type { GreedyPolicy } from './policy.js';

export interface EvaluationResult {
  episodes: number;
  returns: number[];
  mean: number;
  std: number;
  steps: number;
}

export function evaluate(
  environment: Environment<ArrayLike<number>, number>,
  policy: GreedyPolicy,
  episodes: number,
): EvaluationResult {
  if (!(Number.isInteger(episodes) && episodes >= 1)) {
    throw new RangeError(`episodes must be an integer >= 1, got ${episodes}`);
  }
  const returns: number[] = [];
  let steps = 0;
  for (let e = 0; e < episodes; e++) {
    let timestep = environment.reset();
    let total = 0;
    while (!timestep.last()) {
      timestep = environment.step(policy.greedyAction(timestep.observation));
      total += timestep.reward ?? 0;
      steps++;
    }
    returns.push(total);
  }
  const mean = returns.reduce((a, b) => a + b, 0) / episodes;
  const std = Math.sqrt(returns.reduce((a, r) => a + (r - mean) ** 2, 0) / episodes);
  return { episodes, returns, mean, std, steps };
}
