/**
 * Acme's builders (acme/agents/jax/builders.py) in TypeScript: what an agent must say about itself
 * so that a generic runner can assemble it, in one process now and across threads or machines
 * later. An agent is one folder: its config, its networks, its actor, its learner and a builder
 * that makes them; `runExperiment` does the rest (replay, the loop, evaluation, checkpoints, the
 * run folder) the same way for every agent.
 *
 * The order of the calls, as in Acme's local runner:
 *   networks = networkFactory(spec, seed)
 *   policy   = builder.makePolicy(networks, spec, false)
 *   tables   = builder.makeReplayTables(spec, policy, seed)
 *   dataset  = builder.makeDatasetIterator(tables)          batches for the learner
 *   learner  = builder.makeLearner(random, networks, dataset, dataset, spec)
 *   adder    = builder.makeAdder(tables, spec, policy)
 *   actor    = builder.makeActor(random, policy, spec, learner, adder)
 *   evalPolicy = builder.makePolicy(networks, spec, true)
 */
import type {
  Actor,
  EnvironmentSpec,
  Learner,
  Random,
  SteppableLearner,
  VariableSource,
} from '@acme-ts/core';
import type { Adder, BatchIterator, PriorityUpdater, Table } from '@acme-ts/replay';

/** What a policy gives for one observation: the action and what the learner needs besides it. */
export interface PolicyOutput<A, E = undefined> {
  action: A;
  /** Log-probabilities, logits, recurrent state...: stored by the adder beside the action. */
  extras?: E;
}

/** Makes an agent's networks for an environment (Acme's network factory). */
export type NetworkFactory<Networks> = (environmentSpec: EnvironmentSpec, seed: number) => Networks;

/** A learner the generic runner can step without waiting, checkpoint and dispose. */
export interface RunnableLearner extends Learner<Float32Array>, SteppableLearner {
  /** Updates made so far. */
  readonly steps: number;
  /** The learner's whole state (weights, optimizer, counts): async, as tfjs hands out its state. */
  snapshot(): Promise<unknown>;
  /** Puts back a `snapshot()`, checking it: a wrong state is an error naming what is wrong. */
  restoreSnapshot(state: unknown): Promise<void>;
  dispose?(): void;
}

export interface ActorLearnerBuilder<Networks, Policy, Sample, A = number> {
  /** The replay tables the adder writes and the dataset reads. */
  makeReplayTables(environmentSpec: EnvironmentSpec, policy: Policy, seed: number): Table[];
  /** Batches for the learner, and where its new priorities go (one object may be both). */
  makeDatasetIterator(tables: Table[]): BatchIterator<Sample> & PriorityUpdater;
  makeAdder(tables: Table[], environmentSpec: EnvironmentSpec, policy: Policy): Adder | undefined;
  makeActor(
    random: Random,
    policy: Policy,
    environmentSpec: EnvironmentSpec,
    variableSource: VariableSource<Float32Array> | undefined,
    adder: Adder | undefined,
  ): Actor<ArrayLike<number>, A>;
  makeLearner(
    random: Random,
    networks: Networks,
    dataset: BatchIterator<Sample>,
    priorityUpdater: PriorityUpdater | undefined,
    environmentSpec: EnvironmentSpec,
  ): RunnableLearner;
  /** The acting policy (`evaluation` false: exploring) or the evaluation policy. */
  makePolicy(networks: Networks, environmentSpec: EnvironmentSpec, evaluation: boolean): Policy;
  /** How the single-process Agent interleaves learning (core's AgentOptions). */
  agentOptions(): { minObservations: number; observationsPerStep: number };
}

/** An agent learned from a fixed dataset (Acme's OfflineBuilder): no replay, no adder. */
export interface OfflineBuilder<Networks, Policy, Sample, A = number> {
  makeLearner(
    random: Random,
    networks: Networks,
    dataset: BatchIterator<Sample>,
    environmentSpec: EnvironmentSpec,
  ): RunnableLearner;
  makeActor(
    random: Random,
    policy: Policy,
    environmentSpec: EnvironmentSpec,
    variableSource: VariableSource<Float32Array> | undefined,
  ): Actor<ArrayLike<number>, A>;
  makePolicy(networks: Networks, environmentSpec: EnvironmentSpec, evaluation: boolean): Policy;
}
