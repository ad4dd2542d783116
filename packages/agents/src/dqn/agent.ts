/**
 * The single-process agent (acme/agents/agent.py): an Actor that also runs the learner. After the
 * replay holds `minObservations` transitions, every `update()` runs the learner steps that keep
 * samples per insert at the configured ratio: one step every `observationsPerStep` observations
 * when that is >= 1, else `1 / observationsPerStep` steps per observation.
 */
import type { Actor, TimeStep } from '@acme-ts/core';
import type { DQNActor } from './actor.js';
import type { DQNLearner } from './learning.js';

export function learnerStepsFor(
  observations: number,
  minObservations: number,
  observationsPerStep: number,
): number {
  const n = observations - minObservations;
  if (n < 0) return 0;
  if (observationsPerStep > 1) return n % Math.floor(observationsPerStep) === 0 ? 1 : 0;
  return Math.floor(1 / observationsPerStep);
}

export class DQNAgent implements Actor<ArrayLike<number>, number> {
  readonly actor: DQNActor;
  readonly learner: DQNLearner;
  readonly minObservations: number;
  readonly observationsPerStep: number;
  /** Observations (transitions offered to the adder) so far. */
  observations: number;

  constructor(actor: DQNActor, learner: DQNLearner, options: { observations?: number } = {}) {
    this.actor = actor;
    this.learner = learner;
    const c = learner.config;
    this.minObservations = Math.max(c.batchSize, c.minReplaySize);
    this.observationsPerStep = c.batchSize / c.samplesPerInsert;
    this.observations = options.observations ?? 0;
  }

  selectAction(observation: ArrayLike<number>): number {
    return this.actor.selectAction(observation);
  }

  observeFirst(timestep: TimeStep<ArrayLike<number>>): void {
    this.actor.observeFirst(timestep);
  }

  observe(action: number, nextTimestep: TimeStep<ArrayLike<number>>): void {
    this.actor.observe(action, nextTimestep);
    this.observations++;
  }

  update(): void {
    const steps = learnerStepsFor(this.observations, this.minObservations, this.observationsPerStep);
    let stepped = false;
    // A step the table refuses (its rate limiter disagrees) is skipped, never waited for.
    for (let i = 0; i < steps; i++) stepped = this.learner.tryStep() || stepped;
    if (stepped) this.actor.update();
  }
}
