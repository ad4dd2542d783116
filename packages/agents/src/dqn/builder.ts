/**
 * Builds a DQN agent's parts from an environment spec (acme/agents/jax/dqn/builder.py): the
 * prioritized replay table, the n-step adder, the networks, the learner, the actor with its own
 * copy of the policy, and the single-process agent that runs them together.
 */
import { type Agent, type EnvironmentSpec, Random, VariableClient } from '@acme-ts/core';
import {
  disableInsertBlocking,
  NStepTransitionAdder,
  RateLimiters,
  ReplayDataset,
  Selectors,
  Table,
} from '@acme-ts/replay';
import { DQNActor } from './actor.js';
import { makeDQNAgent } from './agent.js';
import type { DQNConfig } from './config.js';
import { DQNLearner } from './learning.js';
import { makeNetworks, makeQNetwork } from './networks.js';
import { type GreedyPolicy, NativeMlpPolicy, TfPolicy } from './policy.js';

export interface DQNParts {
  table: Table;
  adder: NStepTransitionAdder;
  learner: DQNLearner;
  actor: DQNActor;
  agent: Agent<ArrayLike<number>, number>;
  /** Builds a greedy policy (its own network copy) holding the learner's current weights. */
  makeEvalPolicy: () => GreedyPolicy;
}

/** Independent generator streams derived from one seed, so each part's randomness is separate. */
export function seedsFrom(seed: number): { network: number; table: number; actor: Random } {
  const root = new Random(seed);
  return { network: root.int(2 ** 31), table: root.int(2 ** 31), actor: root.split() };
}

export function makeReplayTable(
  spec: EnvironmentSpec,
  config: DQNConfig,
  seed: number,
  image: boolean,
): Table {
  const spi = config.samplesPerInsert;
  // Room for the adder's n-step lag at episode starts and a few batches of slack either way; the
  // single-process agent follows the ratio exactly, so the limiter only guards against drift.
  const errorBuffer = Math.max(
    config.samplesPerInsertTolerance,
    (config.nStep + 10) * spi + 2 * config.batchSize,
  );
  const table = new Table({
    name: 'priority_table',
    sampler:
      config.priorityExponent > 0 ? Selectors.prioritized(config.priorityExponent) : Selectors.uniform(),
    remover: Selectors.fifo(),
    maxSize: config.maxReplaySize,
    rateLimiter: RateLimiters.sampleToInsertRatio(spi, config.minReplaySize, errorBuffer),
    signature: NStepTransitionAdder.signature(spec),
    seed,
    ...(image && config.frameDedup
      ? { frames: { shape: [84, 84], stack: 4, fields: ['observation', 'nextObservation'] } }
      : {}),
  });
  // Acme's local runner never lets the learner block the actor.
  return disableInsertBlocking(table);
}

function makePolicy(spec: EnvironmentSpec, config: DQNConfig, image: boolean, shape: number[]): GreedyPolicy {
  const model = makeQNetwork(spec, config, 0, 'policy');
  return image ? new TfPolicy(model, shape) : new NativeMlpPolicy(model);
}

export function makeDQN(
  spec: EnvironmentSpec,
  config: DQNConfig,
  seed: number,
  options: { table?: Table; actorSteps?: number; observations?: number; actorRandom?: Random } = {},
): DQNParts {
  const seeds = seedsFrom(seed);
  const networks = makeNetworks(spec, config, seeds.network);
  const table = options.table ?? makeReplayTable(spec, config, seeds.table, networks.image);
  const adder = new NStepTransitionAdder(table, config.nStep, config.discount);
  // Batches drawn only when asked (no prefetch): a single process samples at the same moments as
  // Acme's local runner, and the run stays reproducible step for step.
  const dataset = new ReplayDataset(table, { batchSize: config.batchSize, prefetch: 0 });
  const learner = new DQNLearner(networks, dataset, config, dataset);
  const policy = makePolicy(spec, config, networks.image, networks.observationShape);
  const client = new VariableClient(
    () => learner.getVariables(['policy'])[0]!,
    (w) => policy.setWeights(w),
    config.variableUpdatePeriod,
  );
  client.updateAndWait();
  const actor = new DQNActor({
    policy,
    numActions: networks.numActions,
    epsilon: config.epsilon,
    random: options.actorRandom ?? seeds.actor,
    adder,
    variableClient: client,
    steps: options.actorSteps ?? 0,
  });
  const agent = makeDQNAgent(actor, learner, { observations: options.observations ?? 0 });
  const makeEvalPolicy = () => {
    const p = makePolicy(spec, config, networks.image, networks.observationShape);
    p.setWeights(learner.getVariables(['policy'])[0]!);
    return p;
  };
  return { table, adder, learner, actor, agent, makeEvalPolicy };
}
