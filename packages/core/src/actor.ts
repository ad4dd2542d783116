/**
 * Acme's Actor: acts in an environment and feeds what it sees to its adder or learner.
 *
 * The EnvironmentLoop calls `observeFirst(reset timestep)`, then per step `selectAction(obs)`,
 * `observe(action, nextTimestep)` and (when the loop updates) `update()`.
 */
import type { TimeStep } from './time_step.js';

export interface Actor<O = unknown, A = unknown, R = number, D = number> {
  /** The action for `observation` under the actor's policy. */
  selectAction(observation: O): A;
  /** Starts recording a trajectory from `timestep` (usually, but not necessarily, a FIRST step). */
  observeFirst(timestep: TimeStep<O, R, D>): void;
  /** Records `action` and the timestep it produced. */
  observe(action: A, nextTimestep: TimeStep<O, R, D>): void;
  /** Pulls fresh parameters from the variable source; `wait` blocks until they arrive. */
  update(wait?: boolean): void;
}
