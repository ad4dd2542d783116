import { describe, expect, it } from 'vitest';
import {
  ArraySpec,
  AutoResetEnvironment,
  checkEnvironment,
  DiscreteArray,
  discreteEnvironment,
  Random,
  restart,
  StepType,
  TimeStep,
  termination,
  transition,
} from '../src/index.js';

type Bug =
  | 'none'
  | 'reuse-buffer'
  | 'first-reward'
  | 'no-auto-reset'
  | 'accept-any'
  | 'unseeded'
  | 'discount-2'
  | 'partial-write';

/** A 5-step random walk whose bugs can be switched on one at a time. */
class Walk extends AutoResetEnvironment<Float32Array, number> {
  readonly #rng: Random;
  readonly #actions = new DiscreteArray(2, 'int32', 'walk_action');
  readonly #buffer = new Float32Array(2);
  #t = 0;
  #x = 0;

  constructor(
    seed: number,
    readonly bug: Bug = 'none',
  ) {
    super();
    this.#rng = new Random(bug === 'unseeded' ? undefined : seed);
  }

  override step(action: number): TimeStep<Float32Array> {
    if (this.bug === 'no-auto-reset' && this.needsReset && this.#t > 0) return this.stepEpisode(action);
    return super.step(action);
  }

  protected resetEpisode(): TimeStep<Float32Array> {
    this.#t = 0;
    this.#x = this.#rng.int(10);
    const ts = restart(this.#observe());
    return this.bug === 'first-reward'
      ? new TimeStep<Float32Array>(StepType.FIRST, 0, null, ts.observation)
      : ts;
  }

  protected stepEpisode(action: number): TimeStep<Float32Array> {
    if (this.bug === 'partial-write') this.#t += 1;
    if (this.bug !== 'accept-any') this.#actions.validate(action);
    if (this.bug !== 'partial-write') this.#t += 1;
    this.#x += action === 1 ? 1 : -1;
    if (this.#t >= 5) return termination(1, this.#observe());
    return transition(0, this.#observe(), this.bug === 'discount-2' ? 2 : 1);
  }

  #observe(): Float32Array {
    const out = this.bug === 'reuse-buffer' ? this.#buffer : new Float32Array(2);
    out[0] = this.#x;
    out[1] = this.#t;
    return out;
  }

  observationSpec() {
    return new ArraySpec([2], 'float32', 'observation');
  }
  actionSpec() {
    return this.#actions;
  }
  override discountSpec() {
    return this.bug === 'discount-2' ? new ArraySpec([], 'float64', 'discount') : super.discountSpec();
  }
}

describe('checkEnvironment', () => {
  it('passes a correct environment and reports what it saw', () => {
    const report = checkEnvironment({ make: (seed) => new Walk(seed), steps: 60 });
    expect(report.episodes).toBe(10);
    expect(report.invalidActionsChecked).toBe(6);
  });

  it("passes Acme's fake environments", () => {
    expect(() =>
      checkEnvironment({ make: () => discreteEnvironment({ numActions: 3, episodeLength: 4 }) }),
    ).not.toThrow();
  });

  const failures: [Bug, RegExp][] = [
    ['reuse-buffer', /was modified by a later step/],
    ['first-reward', /FIRST step must have a null reward/],
    ['no-auto-reset', /after a LAST step must be FIRST/],
    ['accept-any', /was accepted/],
    ['unseeded', /made with seed 1 differ/],
    ['discount-2', /discount 2 is outside \[0, 1\]/],
    ['partial-write', /invalid action changed the environment/],
  ];
  for (const [bug, message] of failures) {
    it(`catches the "${bug}" bug`, () => {
      expect(() => checkEnvironment({ make: (seed) => new Walk(seed, bug), steps: 60 })).toThrow(message);
    });
  }

  it('requires a LAST step unless told otherwise', () => {
    expect(() => checkEnvironment({ make: (seed) => new Walk(seed), steps: 3 })).toThrow(/no LAST step/);
    expect(() =>
      checkEnvironment({ make: (seed) => new Walk(seed), steps: 3, requireLast: false }),
    ).not.toThrow();
  });
});
