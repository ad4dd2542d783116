/**
 * core's AutoResetEnvironment answers the first step of a fresh environment, and the step after
 * LAST, with a reset that never looks at the action. This package promises that every action is
 * validated against the action spec (README), so its environments check the action on that step
 * too: a caller passing garbage learns it at once, not one step later or never.
 *
 * Only the reset step checks here; every other step is checked by the environment's own
 * `stepEpisode`, so no action is validated twice.
 */
import { AutoResetEnvironment, type TimeStep, validateNested } from '@acme-ts/core';

export abstract class ValidatingAutoResetEnvironment<
  O = unknown,
  A = unknown,
  R = number,
  D = number,
> extends AutoResetEnvironment<O, A, R, D> {
  override step(action: A): TimeStep<O, R, D> {
    if (this.needsReset) validateNested(this.actionSpec(), action, 'action');
    return super.step(action);
  }
}
