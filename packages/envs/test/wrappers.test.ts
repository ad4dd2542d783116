import {
  ArraySpec,
  BoundedArray,
  checkEnvironment,
  DiscreteArray,
  discreteEnvironment,
  type Environment,
  Random,
  StepType,
  type TimeStep,
  transition,
} from '@acme-ts/core';
import { describe, expect, it } from 'vitest';
import {
  ActionRepeat,
  CanonicalSpec,
  CartPole,
  Catch,
  EnvironmentWrapper,
  FrameStacking,
  GymAdapter,
  type GymLikeEnvironment,
  MountainCar,
  NoopStarts,
  ObservationActionReward,
  Pendulum,
  SinglePrecision,
  StepLimit,
} from '../src/index.js';

/** Records every action its inner environment receives. */
class Spy<O, A> extends EnvironmentWrapper<O, A, number, number> {
  actions: A[] = [];
  resets = 0;
  override reset() {
    this.resets += 1;
    return super.reset();
  }
  override step(action: A) {
    this.actions.push(action);
    return super.step(action);
  }
}

/** Reward t at step t, discount 0.5, observation t as float64; LAST after `length` steps. */
class Counter implements Environment<Float64Array, number> {
  #t = -1;
  constructor(readonly length = 5) {}
  reset() {
    this.#t = 0;
    return {
      ...transition(0, Float64Array.of(0)),
      stepType: StepType.FIRST,
      reward: null,
      discount: null,
    } as never;
  }
  step(action: number): TimeStep<Float64Array> {
    if (this.#t < 0) return this.reset();
    this.actionSpec().validate(action);
    this.#t += 1;
    const obs = Float64Array.of(this.#t);
    if (this.#t === this.length) {
      this.#t = -1;
      return {
        stepType: StepType.LAST,
        reward: this.#t + this.length + 1,
        discount: 0,
        observation: obs,
      } as never;
    }
    return transition(this.#t, obs, 0.5);
  }
  observationSpec() {
    return new ArraySpec([1], 'float64', 'observation');
  }
  actionSpec() {
    return new DiscreteArray(2, 'int32', 'action');
  }
  rewardSpec() {
    return new ArraySpec([], 'float64', 'reward');
  }
  discountSpec() {
    return new BoundedArray([], 'float64', 0, 1, 'discount');
  }
  close() {}
}

describe('StepLimit (acme/wrappers/step_limit_test.py)', () => {
  it('truncates after the limit and resets on the next step', () => {
    const env = new StepLimit(discreteEnvironment({ episodeLength: 5 }), 2);
    expect(env.reset().stepType).toBe(StepType.FIRST);
    expect(env.step(0).stepType).toBe(StepType.MID);
    const last = env.step(0);
    expect([last.stepType, last.discount]).toEqual([StepType.LAST, 0]); // the fake's discount is its minimum, 0
    expect(env.step(0).stepType).toBe(StepType.FIRST);
    expect(env.step(0).stepType).toBe(StepType.MID);
  });

  it('works on a fresh environment and after an inner termination', () => {
    const env = new StepLimit(new CartPole({ seed: 0 }), 400);
    expect(env.step(0).stepType).toBe(StepType.FIRST);
    let ts = env.step(0);
    while (!ts.last()) ts = env.step(0);
    expect(ts.discount).toBe(0); // CartPole fell: a termination passes through
    expect(env.step(0).stepType).toBe(StepType.FIRST);
    const cut = new StepLimit(new CartPole({ seed: 0 }), 3);
    cut.reset();
    cut.step(1);
    cut.step(0);
    const end = cut.step(1);
    expect([end.stepType, end.discount, end.reward]).toEqual([StepType.LAST, 1, 1]);
    expect(() => new StepLimit(new CartPole(), 0)).toThrow(RangeError);
  });
});

describe('NoopStarts (acme/wrappers/noop_starts_test.py)', () => {
  it('steps the inner environment a seeded number of times with the no-op action', () => {
    for (const seed of [1, 2, 3, 24]) {
      const spy = new Spy(new CartPole({ seed: 0 }));
      const env = new NoopStarts(spy, { noopMax: 10, seed });
      const ts = env.reset();
      expect(spy.actions).toHaveLength(new Random(seed).int(11));
      expect(spy.actions.every((a) => a === 0)).toBe(true);
      expect([ts.stepType, ts.reward, ts.discount]).toEqual([StepType.FIRST, null, null]);
    }
  });

  it('resets again when a no-op ends the episode, and restarts after LAST', () => {
    const spy = new Spy(new Catch({ seed: 0 }));
    const env = new NoopStarts(spy, { noopMax: 30, seed: 5 });
    const expected = new Random(5).int(31);
    env.reset();
    expect(spy.actions).toHaveLength(expected);
    expect(spy.resets).toBe(1 + Math.floor(expected / 9));
    let ts = env.step(1);
    while (!ts.last()) ts = env.step(1);
    expect(env.step(1).stepType).toBe(StepType.FIRST);
    expect(() => new NoopStarts(spy, { noopMax: -1 })).toThrow(RangeError);
  });
});

describe('ActionRepeat', () => {
  it('accumulates discounted rewards and multiplies discounts', () => {
    const env = new ActionRepeat(new Counter(5), 3);
    env.reset();
    const ts = env.step(0);
    // rewards 1, 2, 3 with discounts 0.5 each: 1 + 2·0.5 + 3·0.25; discount 0.125.
    expect([ts.stepType, ts.reward, ts.discount]).toEqual([StepType.MID, 2.75, 0.125]);
    expect(Array.from(ts.observation)).toEqual([3]);
  });

  it('stops early on LAST and passes resets through', () => {
    const env = new ActionRepeat(new Counter(5), 3);
    env.reset();
    env.step(0);
    const last = env.step(0); // steps 4 and 5; 5 is LAST with reward 5, discount 0
    expect([last.stepType, last.reward, last.discount]).toEqual([StepType.LAST, 4 + 5 * 0.5, 0]);
    expect(env.step(0).stepType).toBe(StepType.FIRST);
    expect(() => new ActionRepeat(new Counter(), 0)).toThrow(RangeError);
  });
});

describe('SinglePrecision (acme/wrappers/single_precision_test.py)', () => {
  it('turns float64 specs and values into float32, keeping null on FIRST', () => {
    const env = new SinglePrecision(new Counter(3));
    expect((env.observationSpec() as ArraySpec).dtype).toBe('float32');
    expect((env.rewardSpec() as ArraySpec).dtype).toBe('float32');
    expect((env.discountSpec() as BoundedArray).dtype).toBe('float32');
    expect((env.actionSpec() as ArraySpec).dtype).toBe('int32');
    const first = env.reset();
    expect([first.reward, first.discount]).toEqual([null, null]);
    expect(first.observation).toBeInstanceOf(Float32Array);
    const ts = env.step(0);
    expect(ts.observation).toEqual(Float32Array.of(1));
    expect(ts.discount).toBe(0.5);
  });

  it('rounds rewards to float32 and keeps float32 bounds', () => {
    const env = new SinglePrecision(new CartPole({ seed: 0 }));
    expect((env.rewardSpec() as ArraySpec).validate(env.reset().reward ?? 0)).toBe(0);
    const bounded = new SinglePrecision(new Pendulum()).discountSpec() as BoundedArray;
    expect([bounded.minimum[0], bounded.maximum[0]]).toEqual([0, 1]);
  });
});

describe('CanonicalSpec', () => {
  it('maps [-1, 1] onto the action bounds', () => {
    const spy = new Spy(new Pendulum({ seed: 0 }));
    const env = new CanonicalSpec(spy);
    const spec = env.actionSpec() as BoundedArray;
    expect([spec.minimum[0], spec.maximum[0], spec.dtype, spec.name]).toEqual([-1, 1, 'float32', 'action']);
    env.reset();
    env.step(Float32Array.of(1));
    env.step(Float32Array.of(-1));
    env.step(Float32Array.of(0.25));
    expect(spy.actions.map((a) => a[0])).toEqual([2, -2, 0.5]);
    expect(() => env.step(Float32Array.of(1.5))).toThrow(/"action"/);
  });

  it('clips when asked and leaves discrete actions alone', () => {
    const spy = new Spy(new Pendulum({ seed: 0 }));
    const env = new CanonicalSpec(spy, { clip: true });
    env.reset();
    env.step(Float32Array.of(7));
    expect(spy.actions[0]![0]).toBe(2);
    expect(() => env.step(Float64Array.of(0) as unknown as Float32Array)).toThrow(TypeError);
    expect(new CanonicalSpec(new CartPole()).actionSpec()).toBeInstanceOf(DiscreteArray);
  });
});

describe('FrameStacking (acme/wrappers/frame_stacking_test.py)', () => {
  it('stacks on a new last axis, zero-filled after every reset', () => {
    const env = new FrameStacking(new Counter(4), { numFrames: 2 });
    expect((env.observationSpec() as ArraySpec).shape).toEqual([1, 2]);
    expect(Array.from(env.reset().observation)).toEqual([0, 0]);
    expect(Array.from(env.step(0).observation)).toEqual([0, 1]);
    expect(Array.from(env.step(0).observation)).toEqual([1, 2]);
    env.step(0);
    expect(env.step(0).last()).toBe(true);
    expect(Array.from(env.step(0).observation)).toEqual([0, 0]); // restart: zeros, then frame 0
  });

  it('interleaves frames element-wise, oldest first, and can flatten', () => {
    const env = new FrameStacking(new Catch({ seed: 1 }), { numFrames: 3 });
    expect((env.observationSpec() as ArraySpec).shape).toEqual([10, 5, 3]);
    const a = env.reset().observation;
    const b = env.step(1).observation;
    // Stack slots of row 0 after reset: [zero, zero, frame 0]; frame 0 has the ball in row 0.
    const ballColumn = Array.from(a).findIndex((x, i) => i % 3 === 2 && x === 1);
    expect(ballColumn).toBeGreaterThanOrEqual(0);
    expect(b[ballColumn - 1]).toBe(1); // slot 1 = previous frame: ball still in row 0
    expect(b[ballColumn]).toBe(0); // slot 2 = newest: ball moved to row 1
    const flat = new FrameStacking(new Catch({ seed: 1 }), { numFrames: 3, flatten: true });
    expect((flat.observationSpec() as ArraySpec).shape).toEqual([10, 15]);
  });
});

describe('ObservationActionReward', () => {
  it('carries the previous action and reward, zeros at the start', () => {
    const env = new ObservationActionReward(new CartPole({ seed: 0 }));
    const first = env.reset();
    expect(first.observation.action).toBe(0);
    expect(first.observation.reward).toBe(0);
    expect(first.observation.observation).toBeInstanceOf(Float32Array);
    const ts = env.step(1);
    expect([ts.observation.action, ts.observation.reward]).toEqual([1, 1]);
    expect(Object.keys(env.observationSpec())).toEqual(['observation', 'action', 'reward']);
  });

  it('copies typed-array actions', () => {
    const env = new ObservationActionReward(new Pendulum({ seed: 0 }));
    env.reset();
    const action = Float32Array.of(0.5);
    const ts = env.step(action);
    action[0] = 1;
    expect(ts.observation.action[0]).toBe(0.5);
  });
});

/** A Gymnasium-style object: a 1-D walk terminating at |x| = 3 and truncating at 8 steps. */
class GymWalk implements GymLikeEnvironment<number[], number> {
  observationSpace = { low: [-10, 0], high: [10, 100], dtype: 'float32' };
  actionSpace = { n: 2 };
  closed = 0;
  #x = 0;
  #t = 0;
  #rng = new Random(0);
  seeds: (number | undefined)[] = [];
  readonly #buffer = [0, 0];
  reset(options?: { seed?: number }): [number[], Record<string, unknown>] {
    this.seeds.push(options?.seed);
    if (options?.seed !== undefined) this.#rng = new Random(options.seed);
    this.#x = this.#rng.int(3) - 1;
    this.#t = 0;
    return [this.#observe(), { start: this.#x }];
  }
  step(action: number): [number[], number, boolean, boolean, Record<string, unknown>] {
    this.#x += action === 1 ? 1 : -1;
    this.#t += 1;
    return [this.#observe(), 1, Math.abs(this.#x) >= 3, this.#t >= 8, { t: this.#t }];
  }
  close() {
    this.closed += 1;
  }
  #observe() {
    // Deliberately reuses its buffer, as Gymnasium environments may.
    this.#buffer[0] = this.#x;
    this.#buffer[1] = this.#t;
    return this.#buffer;
  }
}

describe('GymAdapter', () => {
  it('maps terminated to termination and truncated to truncation', () => {
    const gym = new GymWalk();
    const env = new GymAdapter(gym, { seed: 3 });
    expect(env.observationSpec()).toBeInstanceOf(BoundedArray);
    expect((env.actionSpec() as DiscreteArray).numValues).toBe(2);
    const first = env.reset();
    expect(first.observation).toBeInstanceOf(Float32Array);
    let ts = first;
    while (!ts.last()) ts = env.step(1);
    expect(ts.discount).toBe(0); // walked to +3
    expect(env.getInfo()).toHaveProperty('t');
    ts = env.step(1);
    expect(ts.stepType).toBe(StepType.FIRST);
    for (let i = 0; i < 8; i++) ts = env.step(i % 2);
    expect([ts.stepType, ts.discount]).toEqual([StepType.LAST, 1]);
    expect(gym.seeds).toEqual([3, undefined]);
    env.close();
    env.close();
    expect(gym.closed).toBe(1);
  });

  it('copies observations out of the gym object and validates actions', () => {
    const env = new GymAdapter(new GymWalk(), { seed: 1 });
    const a = env.reset().observation as Float32Array;
    const before = a.slice();
    env.step(1);
    expect(a).toEqual(before);
    expect(() => env.step(2)).toThrow(/DiscreteArray\(name="action"/);
  });

  it('converts MultiDiscrete spaces (acme/wrappers/gym_wrapper_test.py)', () => {
    const gym = { ...new GymWalk(), reset: () => [[0, 0], {}], step: () => [[0, 0], 0, false, false, {}] };
    const multi = new GymAdapter({ ...gym, actionSpace: { nvec: [2, 3] } } as unknown as GymLikeEnvironment<
      unknown,
      Int32Array
    >);
    multi.reset();
    expect(() => multi.step(Int32Array.of(0, 0))).not.toThrow();
    expect(() => multi.step(Int32Array.of(1, 2))).not.toThrow();
    expect(() => multi.step(Int32Array.of(2, 2))).toThrow(RangeError);
    expect(() => multi.step(Int32Array.of(1, 3))).toThrow(RangeError);
    expect(
      () => new GymAdapter({ reset: () => [0, {}], step: () => [0, 0, false, false, {}] } as never),
    ).toThrow(/pass the spec/);
  });
});

describe('dm_env conformance of wrapper stacks', () => {
  const stacks: [string, (seed: number) => Environment<unknown, unknown, unknown, unknown>, unknown[]?][] = [
    ['StepLimit(CartPole, 20)', (seed) => new StepLimit(new CartPole({ seed }), 20)],
    [
      'ActionRepeat(StepLimit(MountainCar, 40), 4)',
      (seed) => new ActionRepeat(new StepLimit(new MountainCar({ seed }), 40), 4),
    ],
    ['SinglePrecision(Counter)', () => new SinglePrecision(new Counter(6))],
    [
      'CanonicalSpec(Pendulum) clip',
      (seed) => new CanonicalSpec(new Pendulum({ seed, maxEpisodeSteps: 30 }), { clip: true }),
      // Clipping accepts any float32[1]; only the kind, dtype and length can be wrong.
      ['a', null, new Float32Array(2), new Float64Array(1)],
    ],
    [
      'SinglePrecision(CanonicalSpec(StepLimit(Pendulum)))',
      (seed) => new SinglePrecision(new CanonicalSpec(new StepLimit(new Pendulum({ seed }), 25))),
    ],
    [
      'FrameStacking(NoopStarts(Catch))',
      (seed) => new FrameStacking(new NoopStarts(new Catch({ seed }), { seed })),
    ],
    ['ObservationActionReward(CartPole)', (seed) => new ObservationActionReward(new CartPole({ seed }))],
    [
      'ObservationActionReward(Pendulum)',
      (seed) => new ObservationActionReward(new Pendulum({ seed, maxEpisodeSteps: 30 })),
    ],
    ['GymAdapter(GymWalk)', (seed) => new GymAdapter(new GymWalk(), { seed })],
    [
      'FrameStacking(GymAdapter(GymWalk)) flat',
      (seed) => new FrameStacking(new GymAdapter(new GymWalk(), { seed }), { flatten: true }),
    ],
  ];
  for (const [name, make, invalidActions] of stacks) {
    it(name, () => {
      expect(
        checkEnvironment({ make, steps: 200, ...(invalidActions ? { invalidActions } : {}) }).episodes,
      ).toBeGreaterThan(0);
    });
  }
});
