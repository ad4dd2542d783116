/**
 * Evaluation: whole episodes with the policy's argmax action and nothing added to replay, as
 * SB3's `evaluate_policy(deterministic=True)` and Acme's evaluator actors. Atari-style games are
 * evaluated as the DQN papers do: epsilon 0.05 (a purely greedy agent can stall forever, e.g. never
 * pressing FIRE) and at most `maxSteps` agent steps per episode (5 minutes of play is 4,500).
 */
import type { Environment, Random } from '@acme-ts/core';
import type { GreedyPolicy } from './policy.js';

export interface EvaluationResult {
  episodes: number;
  returns: number[];
  mean: number;
  std: number;
  steps: number;
}

export interface EvaluationOptions {
  /** Probability of a uniformly random action (default 0: greedy). Needs `random`. */
  epsilon?: number;
  random?: Random;
  numActions?: number;
  /** Episodes longer than this many steps are cut (default: none). */
  maxSteps?: number;
}

export function evaluate(
  environment: Environment<ArrayLike<number>, number>,
  policy: GreedyPolicy,
  episodes: number,
  options: EvaluationOptions = {},
): EvaluationResult {
  if (!(Number.isInteger(episodes) && episodes >= 1)) {
    throw new RangeError(`episodes must be an integer >= 1, got ${episodes}`);
  }
  const epsilon = options.epsilon ?? 0;
  const { random, numActions } = options;
  if (epsilon > 0 && (!random || !numActions)) {
    throw new TypeError('evaluate: an epsilon > 0 needs options.random and options.numActions');
  }
  const maxSteps = options.maxSteps ?? Number.POSITIVE_INFINITY;
  const returns: number[] = [];
  let steps = 0;
  for (let e = 0; e < episodes; e++) {
    let timestep = environment.reset();
    let total = 0;
    let length = 0;
    while (!timestep.last() && length < maxSteps) {
      const explore = epsilon > 0 && random!.float() < epsilon;
      const action = explore ? random!.int(numActions!) : policy.greedyAction(timestep.observation);
      timestep = environment.step(action);
      length++;
      total += timestep.reward ?? 0;
      steps++;
    }
    returns.push(total);
  }
  const mean = returns.reduce((a, b) => a + b, 0) / episodes;
  const std = Math.sqrt(returns.reduce((a, r) => a + (r - mean) ** 2, 0) / episodes);
  return { episodes, returns, mean, std, steps };
}
