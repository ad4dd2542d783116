/**
 * Builds a DQN agent's parts from an environment spec (acme/agents/jax/dqn/builder.py): the
 * prioritized replay table, the n-step adder, the networks, the learner, the actor with its own
 * copy of the policy, and the single-process agent that runs them together.
 */
import { Agent, type EnvironmentSpec, Random, VariableClient, type VariableSource } from '@acme-ts/core';
import {
  type Adder,
  type BatchIterator,
  disableInsertBlocking,
  NStepTransitionAdder,
  type PriorityUpdater,
  RateLimiters,
  ReplayDataset,
  Selectors,
  Table,
  type TableFramesOptions,
  type TableSample,
} from '@acme-ts/replay';
import type { ActorLearnerBuilder, NetworkFactory } from '../builders.js';
import { seedsFrom } from '../experiments/seeds.js';
import { DQNActor } from './actor.js';
import type { DQNConfig } from './config.js';
import { DQNLearner } from './learning.js';
import {
  type DQNNetworks,
  makeNetworks,
  makeQNetwork,
  numActionsOf,
  observationShapeOf,
} from './networks.js';
import { type GreedyPolicy, NativeMlpPolicy, TfPolicy } from './policy.js';

export interface DQNParts {
  table: Table;
  adder: NStepTransitionAdder;
  learner: DQNLearner;
  actor: DQNActor;
  agent: Agent<ArrayLike<number>, number>;
  /** An evaluation actor (greedy, its own network copy) holding the learner's current weights. */
  makeEvaluationActor: () => DQNActor;
}

/**
 * Frame deduplication for stacked image observations `[height, width, stack]` (the AtariWrapper's
 * layout): each frame is stored once and stacks are rebuilt from the spec's own sizes.
 */
function framesOf(spec: EnvironmentSpec): TableFramesOptions {
  const { shape } = observationShapeOf(spec);
  const [height, width, stack] = shape as [number, number, number];
  return { shape: [height, width], stack, fields: ['observation', 'nextObservation'] };
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
    ...(image && config.frameDedup ? { frames: framesOf(spec) } : {}),
  });
  // Acme's local runner never lets the learner block the actor.
  return disableInsertBlocking(table);
}

function makeGreedyPolicy(
  spec: EnvironmentSpec,
  config: DQNConfig,
  image: boolean,
  shape: number[],
): GreedyPolicy {
  const model = makeQNetwork(spec, config, 0, 'policy');
  return image ? new TfPolicy(model, shape) : new NativeMlpPolicy(model);
}

/** DQN's policy: its own copy of the Q-network and how much it explores. */
export interface DQNPolicy {
  network: GreedyPolicy;
  /** The config's schedule when acting, 0 (greedy) when evaluating. */
  epsilon: DQNConfig['epsilon'];
}

/** DQN on Acme's builder interface: every part the generic runner needs, from DQN's config. */
export class DQNBuilder implements ActorLearnerBuilder<DQNNetworks, DQNPolicy, TableSample> {
  readonly config: DQNConfig;

  constructor(config: DQNConfig) {
    this.config = config;
  }

  makeReplayTables(spec: EnvironmentSpec, _policy: DQNPolicy, seed: number): Table[] {
    return [makeReplayTable(spec, this.config, seed, observationShapeOf(spec).image)];
  }

  makeDatasetIterator(tables: Table[]): ReplayDataset {
    // Batches drawn only when asked (no prefetch): a single process samples at the same moments as
    // Acme's local runner, and the run stays reproducible step for step.
    return new ReplayDataset(tables[0]!, { batchSize: this.config.batchSize, prefetch: 0 });
  }

  makeAdder(tables: Table[]): NStepTransitionAdder {
    return new NStepTransitionAdder(tables[0]!, this.config.nStep, this.config.discount);
  }

  makeActor(
    random: Random,
    policy: DQNPolicy,
    spec: EnvironmentSpec,
    variableSource: VariableSource<Float32Array> | undefined,
    adder: Adder | undefined,
  ): DQNActor {
    const client = variableSource
      ? new VariableClient(
          () => variableSource.getVariables(['policy'])[0]!,
          (w) => policy.network.setWeights(w),
          this.config.variableUpdatePeriod,
        )
      : undefined;
    client?.updateAndWait();
    return new DQNActor({
      policy: policy.network,
      numActions: numActionsOf(spec),
      epsilon: policy.epsilon,
      random,
      ...(adder ? { adder } : {}),
      ...(client ? { variableClient: client } : {}),
    });
  }

  makeLearner(
    _random: Random,
    networks: DQNNetworks,
    dataset: BatchIterator<TableSample>,
    priorityUpdater: PriorityUpdater | undefined,
  ): DQNLearner {
    return new DQNLearner(networks, dataset, this.config, priorityUpdater);
  }

  makePolicy(networks: DQNNetworks, spec: EnvironmentSpec, evaluation: boolean): DQNPolicy {
    return {
      network: makeGreedyPolicy(spec, this.config, networks.image, networks.observationShape),
      epsilon: evaluation ? 0 : this.config.epsilon,
    };
  }

  agentOptions(): { minObservations: number; observationsPerStep: number } {
    const c = this.config;
    return {
      minObservations: Math.max(c.batchSize, c.minReplaySize),
      observationsPerStep: c.batchSize / c.samplesPerInsert,
    };
  }
}

/** DQN's network factory: online and target Q-networks from one seed. */
export function dqnNetworkFactory(config: DQNConfig): NetworkFactory<DQNNetworks> {
  return (spec, seed) => makeNetworks(spec, config, seed);
}

/**
 * Every part of a single-process DQN, assembled by DQNBuilder in Acme's order. `options` carry a
 * restored table and observation count (the actor restores its own state: `actor.restore`).
 */
export function makeDQN(
  spec: EnvironmentSpec,
  config: DQNConfig,
  seed: number,
  options: { table?: Table; observations?: number } = {},
): DQNParts {
  const builder = new DQNBuilder(config);
  const seeds = seedsFrom(seed);
  const networks = dqnNetworkFactory(config)(spec, seeds.network);
  const policy = builder.makePolicy(networks, spec, false);
  const tables = options.table ? [options.table] : builder.makeReplayTables(spec, policy, seeds.table);
  const dataset = builder.makeDatasetIterator(tables);
  const learner = builder.makeLearner(seeds.actor, networks, dataset, dataset);
  const adder = builder.makeAdder(tables);
  const actor = builder.makeActor(seeds.actor, policy, spec, learner, adder);
  const agent = new Agent(actor, learner, {
    ...builder.agentOptions(),
    ...(options.observations !== undefined ? { observations: options.observations } : {}),
  });
  const makeEvaluationActor = () =>
    builder.makeActor(new Random(0), builder.makePolicy(networks, spec, true), spec, learner, undefined);
  return { table: tables[0]!, adder, learner, actor, agent, makeEvaluationActor };
}
