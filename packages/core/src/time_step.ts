/**
 * dm_env's TimeStep. Field order follows dm_env: stepType, reward, discount, observation.
 *
 * A FIRST step has `reward` and `discount` null. Termination and truncation are both LAST and
 * differ only by the discount (0 and, by default, 1): every bootstrapped target depends on that.
 */
export enum StepType {
  FIRST = 0,
  MID = 1,
  LAST = 2,
}

export class TimeStep<O = unknown, R = number, D = number> {
  constructor(
    readonly stepType: StepType,
    readonly reward: R | null,
    readonly discount: D | null,
    readonly observation: O,
  ) {}

  first(): boolean {
    return this.stepType === StepType.FIRST;
  }

  mid(): boolean {
    return this.stepType === StepType.MID;
  }

  last(): boolean {
    return this.stepType === StepType.LAST;
  }
}

/** The first step of an episode: no reward, no discount. */
export function restart<O>(observation: O): TimeStep<O, never, never> {
  return new TimeStep<O, never, never>(StepType.FIRST, null, null, observation);
}

/** A step inside an episode. */
export function transition<O, R = number, D = number>(
  reward: R,
  observation: O,
  discount: D = 1 as D,
): TimeStep<O, R, D> {
  return new TimeStep(StepType.MID, reward, discount, observation);
}

/** The last step of an episode that ended in a terminal state: discount 0, nothing to bootstrap. */
export function termination<O, R = number>(reward: R, observation: O): TimeStep<O, R, number> {
  return new TimeStep(StepType.LAST, reward, 0, observation);
}

/** The last step of an episode cut short (a time limit): discount 1 by default, so targets bootstrap. */
export function truncation<O, R = number, D = number>(
  reward: R,
  observation: O,
  discount: D = 1 as D,
): TimeStep<O, R, D> {
  return new TimeStep(StepType.LAST, reward, discount, observation);
}
