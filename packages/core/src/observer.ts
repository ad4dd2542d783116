/**
 * Acme's EnvLoopObserver: sees every timestep the EnvironmentLoop sees and contributes metrics to
 * the episode's log entry.
 */
import type { Environment } from './environment.js';
import type { TimeStep } from './time_step.js';

export interface EnvLoopObserver<O = unknown, A = unknown, R = number, D = number> {
  observeFirst(environment: Environment<O, A, R, D>, timestep: TimeStep<O, R, D>): void;
  observe(environment: Environment<O, A, R, D>, timestep: TimeStep<O, R, D>, action: A): void;
  /** Metrics for the episode that just ended, merged into the loop's result. */
  getMetrics(): Record<string, number>;
}
