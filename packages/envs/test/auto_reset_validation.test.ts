/**
 * The README's promise, "actions are validated against the action spec", holds on the step that
 * starts an episode too (a fresh environment's first step, or the step after LAST), where the
 * action itself is not used: every environment and wrapper here that resets from step() checks it.
 */
import { type Environment, type NestedSpec, StepType } from '@acme-ts/core';
import { describe, expect, it } from 'vitest';
import {
  Acrobot,
  AtariWrapper,
  Breakout,
  CartPole,
  Catch,
  GymAdapter,
  type GymLikeEnvironment,
  MountainCar,
  MountainCarContinuous,
  NoopStarts,
  Pendulum,
  StepLimit,
} from '../src/index.js';

/** A gym-style environment that ends every episode after two steps. */
class TwoSteps implements GymLikeEnvironment<number[], number> {
  observationSpace = { low: [0], high: [2], dtype: 'float32' };
  actionSpace = { n: 2 };
  #t = 0;
  reset(): [number[], Record<string, unknown>] {
    this.#t = 0;
    return [[0], {}];
  }
  step(): [number[], number, boolean, boolean, Record<string, unknown>] {
    this.#t += 1;
    return [[this.#t], 0, this.#t >= 2, false, {}];
  }
}

type AnyEnvironment = Environment<unknown, unknown, unknown, unknown>;

/** Each environment with a valid action, kept short so that episodes end within a few steps. */
const cases: [string, () => AnyEnvironment, unknown][] = [
  ['CartPole', () => new CartPole({ seed: 0, maxEpisodeSteps: 2 }), 0],
  ['MountainCar', () => new MountainCar({ seed: 0, maxEpisodeSteps: 2 }), 1],
  [
    'MountainCarContinuous',
    () => new MountainCarContinuous({ seed: 0, maxEpisodeSteps: 2 }),
    Float32Array.of(0),
  ],
  ['Acrobot', () => new Acrobot({ seed: 0, maxEpisodeSteps: 2 }), 1],
  ['Pendulum', () => new Pendulum({ seed: 0, maxEpisodeSteps: 2 }), Float32Array.of(0)],
  ['Catch', () => new Catch({ seed: 0, rows: 3, columns: 3 }), 1],
  ['Breakout', () => new Breakout({ seed: 0, maxEpisodeFrames: 2 }), 0],
  ['GymAdapter', () => new GymAdapter(new TwoSteps()) as AnyEnvironment, 1],
  ['AtariWrapper(Breakout)', () => new AtariWrapper(new Breakout({ seed: 0 }), { maxEpisodeLen: 8 }), 0],
  [
    'NoopStarts(CartPole)',
    () => new NoopStarts(new CartPole({ seed: 0, maxEpisodeSteps: 2 }), { noopMax: 0 }),
    0,
  ],
  ['StepLimit(CartPole, 2)', () => new StepLimit(new CartPole({ seed: 0 }), 2), 0],
];

/** The error a spec gives for an invalid action (the same as on any other step). */
function specError(spec: NestedSpec, action: unknown): string {
  try {
    (spec as { validate(v: unknown): void }).validate(action);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('the spec accepted the action');
}

describe('actions are validated on the steps that reset', () => {
  for (const [name, make, valid] of cases) {
    it(`${name}: on a fresh environment and after LAST, naming the spec and the value`, () => {
      const env = make();
      const message = specError(env.actionSpec(), 'garbage');
      expect(message).toMatch(/garbage/);
      // A fresh environment: refused, and nothing changed (the next valid step still starts).
      expect(() => env.step('garbage')).toThrow(message);
      expect(() => env.step(-1)).toThrow();
      expect(env.step(valid).stepType).toBe(StepType.FIRST);
      // After LAST: refused too, and the valid step after it starts the next episode.
      let steps = 0;
      while (env.step(valid).stepType !== StepType.LAST) {
        if (++steps > 1000) throw new Error(`${name} did not end an episode`);
      }
      expect(() => env.step('garbage')).toThrow(message);
      expect(env.step(valid).stepType).toBe(StepType.FIRST);
    });
  }
});
