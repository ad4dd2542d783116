/**
 * DQN's actor: epsilon-greedy over its copy of the Q-network, feeding an adder, with a variable
 * client that refreshes the copy from the learner every `variableUpdatePeriod` updates
 * (acme/agents/jax/actors.py with dqn's epsilon-greedy policy).
 */
import { type Actor, Random, type TimeStep, type VariableClient } from '@acme-ts/core';
import type { Adder } from '@acme-ts/replay';
import { type DQNConfig, epsilonAt } from './config.js';
import type { GreedyPolicy } from './policy.js';

/** A greedy actor over `policy` (no exploration, no adder): what a saved model plays with. */
export function greedyActor(policy: GreedyPolicy, numActions: number): DQNActor {
  return new DQNActor({ policy, numActions, epsilon: 0, random: new Random(0) });
}

export interface DQNActorOptions {
  policy: GreedyPolicy;
  numActions: number;
  epsilon: DQNConfig['epsilon'];
  random: Random;
  adder?: Adder;
  variableClient?: VariableClient;
  /** Actor steps already taken (a resumed run continues its epsilon schedule). */
  steps?: number;
}

export class DQNActor implements Actor<ArrayLike<number>, number> {
  readonly policy: GreedyPolicy;
  readonly random: Random;
  readonly #numActions: number;
  readonly #epsilon: DQNConfig['epsilon'];
  readonly #adder: Adder | undefined;
  readonly #client: VariableClient | undefined;
  /** Actor steps observed so far (drives the epsilon schedule). */
  steps: number;

  constructor(options: DQNActorOptions) {
    this.policy = options.policy;
    this.random = options.random;
    this.#numActions = options.numActions;
    this.#epsilon = options.epsilon;
    this.#adder = options.adder;
    this.#client = options.variableClient;
    this.steps = options.steps ?? 0;
  }

  get epsilon(): number {
    return epsilonAt(this.#epsilon, this.steps);
  }

  selectAction(observation: ArrayLike<number>): number {
    const eps = this.epsilon;
    // One draw decides exploration; a second picks the random action, so the stream is the same
    // whatever the network says.
    if (eps > 0 && this.random.float() < eps) return this.random.int(this.#numActions);
    return this.policy.greedyAction(observation);
  }

  observeFirst(timestep: TimeStep<ArrayLike<number>>): void {
    this.#adder?.addFirst(timestep);
  }

  observe(action: number, nextTimestep: TimeStep<ArrayLike<number>>): void {
    this.#adder?.add(action, nextTimestep);
    this.steps++;
  }

  update(wait = false): void {
    this.#client?.update(wait);
  }

  /** Frees the policy's own network copy. */
  dispose(): void {
    this.policy.dispose();
  }

  /** Steps taken (the epsilon schedule's position) and the generator (Acme's Saveable). */
  save(): { steps: number; random: Uint32Array } {
    return { steps: this.steps, random: this.random.save() };
  }

  restore(state: { steps: number; random: ArrayLike<number> }): void {
    if (state === null || typeof state !== 'object')
      throw new TypeError('state must be { steps, random } as save() returns');
    if (!(Number.isInteger(state.steps) && state.steps >= 0)) {
      throw new RangeError(`state.steps must be an integer >= 0, got ${String(state.steps)}`);
    }
    this.random.restore(state.random);
    this.steps = state.steps;
  }
}
