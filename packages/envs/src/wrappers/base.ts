/**
 * Acme's EnvironmentWrapper: forwards everything to `environment`; subclasses override what they
 * change. The inner environment's types may differ from the wrapper's (IO, IA, IR, ID).
 */
import type { Environment, NestedSpec, TimeStep } from '@acme-ts/core';

export class EnvironmentWrapper<
  O = unknown,
  A = unknown,
  R = number,
  D = number,
  IO = O,
  IA = A,
  IR = R,
  ID = D,
> implements Environment<O, A, R, D>
{
  constructor(readonly environment: Environment<IO, IA, IR, ID>) {
    if (environment === null || typeof environment !== 'object' || typeof environment.step !== 'function') {
      throw new TypeError('environment must be a dm_env Environment (reset, step, specs, close)');
    }
  }

  reset(): TimeStep<O, R, D> {
    return this.environment.reset() as unknown as TimeStep<O, R, D>;
  }

  step(action: A): TimeStep<O, R, D> {
    return this.environment.step(action as unknown as IA) as unknown as TimeStep<O, R, D>;
  }

  observationSpec(): NestedSpec {
    return this.environment.observationSpec();
  }

  actionSpec(): NestedSpec {
    return this.environment.actionSpec();
  }

  rewardSpec(): NestedSpec {
    return this.environment.rewardSpec();
  }

  discountSpec(): NestedSpec {
    return this.environment.discountSpec();
  }

  close(): void {
    this.environment.close();
  }
}
