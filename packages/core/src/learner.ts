/**
 * Acme's Learner: a VariableSource and Worker that improves its parameters one `step()` at a time.
 * `run(numSteps)` calls `step()` exactly `numSteps` times, or forever when no count is given (an
 * error thrown by `step()` ends it, as StopIteration ends Acme's).
 */
import type { Saveable } from './saveable.js';
import type { VariableSource } from './variable_source.js';
import type { Worker } from './worker.js';

export abstract class Learner<V = unknown, S = unknown> implements VariableSource<V>, Worker, Saveable<S> {
  /** One update of the parameters (typically one batch of SGD). */
  abstract step(): void;

  abstract getVariables(names: readonly string[]): V[];

  run(numSteps?: number): void {
    if (numSteps === undefined) {
      for (;;) this.step();
    }
    if (!Number.isInteger(numSteps) || numSteps < 0) {
      throw new RangeError(`numSteps must be a non-negative integer, got ${numSteps}`);
    }
    for (let i = 0; i < numSteps; i++) this.step();
  }

  save(): S {
    throw new Error(`${this.constructor.name} does not implement save()`);
  }

  restore(_state: S): void {
    throw new Error(`${this.constructor.name} does not implement restore()`);
  }
}
