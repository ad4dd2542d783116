/**
 * Acme's single-process Agent (acme/agents/agent.py): an Actor that also runs its learner. Once
 * `minObservations` observations have been made, each `update()` runs the learner steps that keep
 * samples per insert at the configured ratio: one step every `observationsPerStep` observations
 * when that is >= 1, else `1 / observationsPerStep` steps per observation. A step the learner
 * cannot take now (its dataset has no batch ready) is skipped, never waited for, so the actor is
 * never blocked; after any step the actor refreshes its variables.
 */
import type { Actor } from './actor.js';
import type { TimeStep } from './time_step.js';

/** A learner that can be stepped without waiting (its dataset says whether a batch is ready). */
export interface SteppableLearner {
  /** One update when a batch is ready now; false, and nothing done, otherwise. */
  tryStep(): boolean;
}

export interface AgentOptions {
  /** Observations before the first learner step (Acme: max(batch size, min replay size)). */
  minObservations: number;
  /** Observations per learner step: batch size / samples per insert. */
  observationsPerStep: number;
  /** Observations already made (a resumed run). */
  observations?: number;
}

/** Learner steps due after observation number `observations`. */
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

export class Agent<O = ArrayLike<number>, A = number> implements Actor<O, A> {
  readonly actor: Actor<O, A>;
  readonly learner: SteppableLearner;
  readonly minObservations: number;
  readonly observationsPerStep: number;
  /** Observations (transitions offered to the adder) so far. */
  observations: number;

  constructor(actor: Actor<O, A>, learner: SteppableLearner, options: AgentOptions) {
    const { minObservations, observationsPerStep, observations = 0 } = options;
    if (!(Number.isInteger(minObservations) && minObservations >= 0)) {
      throw new RangeError(`minObservations must be an integer >= 0, got ${minObservations}`);
    }
    if (!(observationsPerStep > 0 && Number.isFinite(observationsPerStep))) {
      throw new RangeError(`observationsPerStep must be a finite number > 0, got ${observationsPerStep}`);
    }
    this.actor = actor;
    this.learner = learner;
    this.minObservations = minObservations;
    this.observationsPerStep = observationsPerStep;
    this.observations = observations;
  }

  selectAction(observation: O): A {
    return this.actor.selectAction(observation);
  }

  observeFirst(timestep: TimeStep<O>): void {
    this.actor.observeFirst(timestep);
  }

  observe(action: A, nextTimestep: TimeStep<O>): void {
    this.actor.observe(action, nextTimestep);
    this.observations++;
  }

  update(): void {
    const steps = learnerStepsFor(this.observations, this.minObservations, this.observationsPerStep);
    let stepped = false;
    for (let i = 0; i < steps; i++) stepped = this.learner.tryStep() || stepped;
    if (stepped) this.actor.update();
  }
}
