/**
 * DQN's single-process agent: core's Agent (Acme's, interleaving learning by samples per insert)
 * with DQN's numbers: learning starts after max(batch size, min replay size) observations, and a
 * learner step comes every batch size / samples per insert observations.
 */
import { Agent } from '@acme-ts/core';
import type { DQNActor } from './actor.js';
import type { DQNLearner } from './learning.js';

export function makeDQNAgent(
  actor: DQNActor,
  learner: DQNLearner,
  options: { observations?: number } = {},
): Agent<ArrayLike<number>, number> {
  const c = learner.config;
  return new Agent(actor, learner, {
    minObservations: Math.max(c.batchSize, c.minReplaySize),
    observationsPerStep: c.batchSize / c.samplesPerInsert,
    ...(options.observations !== undefined ? { observations: options.observations } : {}),
  });
}
