/**
 * Evaluation as Acme's evaluators do it: an EnvironmentLoop over an evaluation actor (the agent's
 * evaluation policy, no adder, no learning), with the protocol's own rules on top: a probability
 * of a uniformly random action (the DQN papers' 0.05 for Atari: a purely greedy agent can stall
 * forever, never pressing FIRE) and a cap on steps per episode (5 minutes of play is 4,500).
 */
import {
  type Actor,
  DiscreteArray,
  type Environment,
  EnvironmentLoop,
  type EnvLoopObserver,
  InMemoryLogger,
  type Random,
  type TimeStep,
} from '@acme-ts/core';

export interface EvaluationResult {
  episodes: number;
  returns: number[];
  mean: number;
  std: number;
  steps: number;
}

export interface EvaluationProtocol<O = ArrayLike<number>> {
  /** Probability of a uniformly random action instead of the actor's (default 0). Needs `random`. */
  epsilon?: number;
  random?: Random;
  /** Episodes longer than this many steps are cut (default: none). */
  maxEpisodeSteps?: number;
  /** See every timestep (e.g. to draw the environment). */
  observers?: readonly EnvLoopObserver<O, number>[];
}

/** With probability `epsilon` a uniformly random discrete action, else the actor's. */
class EpsilonRandomActor<O> implements Actor<O, number> {
  readonly #actor: Actor<O, number>;
  readonly #epsilon: number;
  readonly #random: Random;
  readonly #numActions: number;

  constructor(actor: Actor<O, number>, epsilon: number, random: Random, numActions: number) {
    this.#actor = actor;
    this.#epsilon = epsilon;
    this.#random = random;
    this.#numActions = numActions;
  }

  selectAction(observation: O): number {
    // One draw decides; a second picks the action, so the stream does not depend on the network.
    if (this.#random.float() < this.#epsilon) return this.#random.int(this.#numActions);
    return this.#actor.selectAction(observation);
  }

  observeFirst(timestep: TimeStep<O>): void {
    this.#actor.observeFirst(timestep);
  }

  observe(action: number, timestep: TimeStep<O>): void {
    this.#actor.observe(action, timestep);
  }

  update(): void {}
}

/** Runs `episodes` whole episodes of `actor` in `environment` under `protocol`; nothing learns. */
export function evaluateActor<O>(
  environment: Environment<O, number>,
  actor: Actor<O, number>,
  episodes: number,
  protocol: EvaluationProtocol<O> = {},
): EvaluationResult {
  if (!(Number.isInteger(episodes) && episodes >= 1)) {
    throw new RangeError(`episodes must be an integer >= 1, got ${episodes}`);
  }
  const epsilon = protocol.epsilon ?? 0;
  let acting = actor;
  if (epsilon > 0) {
    const actions = environment.actionSpec();
    if (!protocol.random || !(actions instanceof DiscreteArray)) {
      throw new TypeError('evaluation with epsilon > 0 needs protocol.random and discrete actions');
    }
    acting = new EpsilonRandomActor(actor, epsilon, protocol.random, actions.numValues);
  }
  const logger = new InMemoryLogger();
  const loop = new EnvironmentLoop(environment, acting, {
    logger,
    shouldUpdate: false,
    ...(protocol.maxEpisodeSteps !== undefined ? { maxEpisodeSteps: protocol.maxEpisodeSteps } : {}),
    ...(protocol.observers ? { observers: protocol.observers } : {}),
  });
  const steps = loop.run({ episodes });
  const returns = logger.data.map((d) => d.episode_return as number);
  const mean = returns.reduce((a, b) => a + b, 0) / episodes;
  const std = Math.sqrt(returns.reduce((a, r) => a + (r - mean) ** 2, 0) / episodes);
  return { episodes, returns, mean, std, steps };
}
