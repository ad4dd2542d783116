import { readFileSync } from 'node:fs';
import { checkEnvironment, StepType, type TimeStep } from '@acme-ts/core';
import { describe, expect, it } from 'vitest';
import {
  Acrobot,
  angleNormalize,
  CartPole,
  type ClassicControlEnvironment,
  MountainCar,
  MountainCarContinuous,
  Pendulum,
} from '../src/index.js';

interface Step {
  obs: number[];
  reward: number;
  terminated: boolean;
  state: number[];
}
interface Case {
  state: number[];
  actions: number[];
  steps: Step[];
}
/** Trajectories from a NumPy transcription of Gymnasium's equations (fixtures/classic_control.py). */
const fixtures = JSON.parse(
  readFileSync(new URL('./fixtures/classic_control.json', import.meta.url), 'utf8'),
) as Record<string, Case[]>;

type AnyClassic = ClassicControlEnvironment<number> | ClassicControlEnvironment<Float32Array>;

const makers: Record<string, { make: () => AnyClassic; continuous: boolean }> = {
  CartPole: { make: () => new CartPole({ seed: 0 }), continuous: false },
  CartPoleSemiImplicit: {
    make: () => new CartPole({ seed: 0, kinematicsIntegrator: 'semi-implicit euler' }),
    continuous: false,
  },
  MountainCar: { make: () => new MountainCar({ seed: 0 }), continuous: false },
  MountainCarContinuous: { make: () => new MountainCarContinuous({ seed: 0 }), continuous: true },
  Acrobot: { make: () => new Acrobot({ seed: 0 }), continuous: false },
  Pendulum: { make: () => new Pendulum({ seed: 0 }), continuous: true },
};

function act(env: AnyClassic, action: number, continuous: boolean): TimeStep<Float32Array> {
  return continuous
    ? (env as ClassicControlEnvironment<Float32Array>).step(Float32Array.of(action))
    : (env as ClassicControlEnvironment<number>).step(action);
}

describe("classic control against Gymnasium's equations", () => {
  it('CartPole from state 0 after action 1 observes [0, 0.19512194, 0, -0.29268292]', () => {
    const env = new CartPole({ seed: 0 });
    env.reset();
    env.setState([0, 0, 0, 0]);
    const ts = env.step(1);
    expect(Array.from(ts.observation)).toEqual([0, Math.fround(0.19512194), 0, Math.fround(-0.29268292)]);
    expect([ts.stepType, ts.reward, ts.discount]).toEqual([StepType.MID, 1, 1]);
  });

  for (const [name, cases] of Object.entries(fixtures)) {
    it(`${name} follows the reference trajectories`, () => {
      const { make, continuous } = makers[name]!;
      for (const c of cases) {
        const env = make();
        env.reset();
        env.setState(c.state);
        for (let t = 0; t < c.steps.length; t++) {
          const expected = c.steps[t]!;
          const ts = act(env, c.actions[t]!, continuous);
          const where = `${name} from [${c.state}] step ${t}`;
          // float32 observations agree to the last bit except where libm's sin/cos differ by an ulp.
          ts.observation.forEach((x, i) => {
            expect(Math.abs(x - expected.obs[i]!), `${where} obs[${i}]`).toBeLessThanOrEqual(
              1e-6 * Math.max(1, Math.abs(expected.obs[i]!)),
            );
          });
          env.getState().forEach((x, i) => {
            expect(Math.abs(x - expected.state[i]!), `${where} state[${i}]`).toBeLessThan(1e-9);
          });
          expect(ts.reward, `${where} reward`).toBeCloseTo(expected.reward, 9);
          expect(ts.stepType, `${where} step type`).toBe(expected.terminated ? StepType.LAST : StepType.MID);
          expect(ts.discount).toBe(expected.terminated ? 0 : 1);
          if (expected.terminated) break;
        }
      }
    });
  }

  it('MountainCarContinuous rounds its state to float32 every step', () => {
    const env = new MountainCarContinuous({ seed: 3 });
    env.reset();
    env.step(Float32Array.of(0.7));
    for (const x of env.getState()) expect(Math.fround(x)).toBe(x);
  });

  it("Pendulum's angle normalisation is Python's floor modulo", () => {
    expect(angleNormalize(Math.PI)).toBeCloseTo(-Math.PI, 12);
    expect(angleNormalize(-Math.PI)).toBeCloseTo(-Math.PI, 12);
    expect(angleNormalize(7)).toBeCloseTo(7 - 2 * Math.PI, 12);
    expect(angleNormalize(-7)).toBeCloseTo(-7 + 2 * Math.PI, 12);
  });
});

describe('time limits truncate (discount 1)', () => {
  const cases: [string, () => AnyClassic, number, (t: number, env: AnyClassic) => number, boolean][] = [
    [
      'CartPole-v1',
      () => new CartPole({ seed: 1 }),
      500,
      // A linear balancing controller keeps the pole up for the whole episode.
      (_t, env) => {
        const [x, xDot, theta, thetaDot] = env.getState();
        return theta! + 0.5 * thetaDot! + 0.05 * x! + 0.1 * xDot! > 0 ? 1 : 0;
      },
      false,
    ],
    ['MountainCar-v0', () => new MountainCar({ seed: 1 }), 200, () => 1, false],
    ['MountainCarContinuous-v0', () => new MountainCarContinuous({ seed: 1 }), 999, () => 0, true],
    ['Acrobot-v1', () => new Acrobot({ seed: 1 }), 500, () => 1, false],
    ['Pendulum-v1', () => new Pendulum({ seed: 1 }), 200, () => 0, true],
  ];
  for (const [name, make, limit, policy, continuous] of cases) {
    it(`${name} ends after ${limit} steps by truncation, then restarts`, () => {
      const env = make();
      expect(env.maxEpisodeSteps).toBe(limit);
      env.reset();
      let ts: TimeStep<Float32Array> | undefined;
      for (let t = 1; t <= limit; t++) {
        ts = act(env, policy(t, env), continuous);
        if (t < limit) expect(ts.stepType, `${name} step ${t}`).toBe(StepType.MID);
      }
      expect(ts!.stepType).toBe(StepType.LAST);
      expect(ts!.discount).toBe(1);
      expect(env.elapsedSteps).toBe(limit);
      expect(act(env, policy(0, env), continuous).stepType).toBe(StepType.FIRST);
      expect(env.elapsedSteps).toBe(0);
    });
  }

  it('termination wins over truncation on the same step', () => {
    const env = new CartPole({ seed: 0, maxEpisodeSteps: 1 });
    env.reset();
    env.setState([0, 0, 0.2, 0.5]);
    const ts = env.step(1);
    expect([ts.stepType, ts.discount]).toEqual([StepType.LAST, 0]);
    const short = new CartPole({ seed: 0, maxEpisodeSteps: 3 });
    short.reset();
    short.setState([0, 0, 0, 0]);
    short.step(0);
    short.step(1);
    expect([short.step(0).stepType, short.elapsedSteps]).toEqual([StepType.LAST, 3]);
    expect(() => new CartPole({ maxEpisodeSteps: 0 })).toThrow(RangeError);
  });
});

describe('reset distributions and seeding', () => {
  const draw = (make: (seed: number) => AnyClassic, seed: number, n: number) => {
    const env = make(seed);
    return Array.from({ length: n }, () => {
      env.reset();
      return env.getState();
    });
  };

  it('CartPole starts in U(-0.05, 0.05)^4', () => {
    for (const s of draw((seed) => new CartPole({ seed }), 1, 200)) {
      for (const x of s) expect(Math.abs(x)).toBeLessThan(0.05);
    }
  });

  it('MountainCar starts at p in U(-0.6, -0.4) at rest', () => {
    for (const [p, v] of draw((seed) => new MountainCar({ seed }), 1, 200)) {
      expect(p! >= -0.6 && p! < -0.4).toBe(true);
      expect(v).toBe(0);
    }
  });

  it('Acrobot starts in U(-0.1, 0.1)^4 rounded to float32', () => {
    for (const s of draw((seed) => new Acrobot({ seed }), 1, 200)) {
      for (const x of s) {
        expect(Math.abs(x)).toBeLessThanOrEqual(0.1);
        expect(Math.fround(x)).toBe(x);
      }
    }
  });

  it('Pendulum starts at θ in U(-π, π), θ̇ in U(-1, 1)', () => {
    const states = draw((seed) => new Pendulum({ seed }), 1, 500);
    for (const [th, thdot] of states) {
      expect(Math.abs(th!)).toBeLessThanOrEqual(Math.PI);
      expect(Math.abs(thdot!)).toBeLessThanOrEqual(1);
    }
    // The whole range is used, not a sliver of it.
    expect(Math.max(...states.map((s) => s[0]!))).toBeGreaterThan(2.5);
    expect(Math.min(...states.map((s) => s[0]!))).toBeLessThan(-2.5);
  });

  it('the same seed gives the same starts; another seed other ones', () => {
    const make = (seed: number) => new CartPole({ seed });
    expect(draw(make, 5, 3)).toEqual(draw(make, 5, 3));
    expect(draw(make, 5, 3)).not.toEqual(draw(make, 6, 3));
  });

  it('setState validates, and on a fresh environment starts an episode from the state', () => {
    const env = new CartPole({ seed: 0 });
    expect(() => env.setState([0, 0, 0])).toThrow(TypeError);
    expect(() => env.setState([0, 0, Number.NaN, 0])).toThrow(/state\[2\]/);
    env.setState([0, 0, 0, 0]);
    const ts = env.step(1);
    expect(ts.stepType).toBe(StepType.MID);
    expect(ts.observation[1]).toBe(Math.fround(0.19512194));
  });
});

describe('dm_env conformance', () => {
  const envs: [string, (seed: number) => AnyClassic, number][] = [
    ['CartPole', (seed) => new CartPole({ seed }), 300],
    ['MountainCar', (seed) => new MountainCar({ seed, maxEpisodeSteps: 50 }), 200],
    ['MountainCarContinuous', (seed) => new MountainCarContinuous({ seed, maxEpisodeSteps: 50 }), 200],
    ['Acrobot', (seed) => new Acrobot({ seed, maxEpisodeSteps: 50 }), 200],
    ['Pendulum', (seed) => new Pendulum({ seed, maxEpisodeSteps: 50 }), 200],
  ];
  for (const [name, make, steps] of envs) {
    it(`${name} keeps the dm_env contract`, () => {
      const report = checkEnvironment({ make, steps });
      expect(report.episodes).toBeGreaterThan(0);
      expect(report.invalidActionsChecked).toBeGreaterThan(0);
    });
  }

  it('invalid actions name the spec and the value', () => {
    const env = new CartPole({ seed: 0 });
    env.reset();
    expect(() => env.step(2)).toThrow(/DiscreteArray\(name="action".*rejects 2/);
    const pendulum = new Pendulum({ seed: 0 });
    pendulum.reset();
    expect(() => pendulum.step(Float32Array.of(2.5))).toThrow(/BoundedArray\(name="action".*element 0 = 2.5/);
  });
});
