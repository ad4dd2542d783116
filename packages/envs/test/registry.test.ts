import { EnvironmentLoop, NoOpLogger, StepType } from '@acme-ts/core';
import { describe, expect, it } from 'vitest';
import { CartPole, Catch, make, Pendulum, register, registeredIds, registration } from '../src/index.js';

describe('environment registry (Gymnasium ids)', () => {
  it("knows the classic-control ids with their time limits, and this project's own", () => {
    expect(registeredIds()).toEqual(
      expect.arrayContaining([
        'Acrobot-v1',
        'Breakout',
        'CartPole-v1',
        'Catch',
        'MountainCar-v0',
        'MountainCarContinuous-v0',
        'Pendulum-v1',
      ]),
    );
    const limits = Object.fromEntries(
      ['CartPole-v1', 'Acrobot-v1', 'MountainCar-v0', 'MountainCarContinuous-v0', 'Pendulum-v1'].map((id) => [
        id,
        (make(id) as CartPole).maxEpisodeSteps,
      ]),
    );
    expect(limits).toEqual({
      'CartPole-v1': 500,
      'Acrobot-v1': 500,
      'MountainCar-v0': 200,
      'MountainCarContinuous-v0': 999,
      'Pendulum-v1': 200,
    });
    expect(make('Pendulum-v1')).toBeInstanceOf(Pendulum);
    expect(make('Catch')).toBeInstanceOf(Catch);
  });

  it('make passes options over the defaults: the same seed gives the same episodes as the class', () => {
    const a = make('CartPole-v1', { seed: 4 });
    const b = new CartPole({ seed: 4 });
    expect(Array.from(a.reset().observation as Float32Array)).toEqual(Array.from(b.reset().observation));
    const short = make('CartPole-v1', { seed: 1, maxEpisodeSteps: 3 });
    let ts = short.reset();
    let steps = 0;
    while (ts.stepType !== StepType.LAST) {
      ts = short.step(steps % 2);
      steps++;
    }
    expect(steps).toBeLessThanOrEqual(3);
  });

  it("registers a user's environment, which then runs like a built-in", () => {
    register('test/ShortCatch-v0', (o) => new Catch(o as { rows?: number; seed?: number }), { rows: 4 });
    const env = make('test/ShortCatch-v0', { seed: 2 });
    const loop = new EnvironmentLoop(
      env,
      { selectAction: () => 1, observeFirst() {}, observe() {}, update() {} },
      {
        logger: new NoOpLogger(),
      },
    );
    expect(loop.run({ episodes: 2 })).toBe(6); // rows - 1 steps per episode
    expect(registration('test/ShortCatch-v0').defaults).toEqual({ rows: 4 });
    expect(() => register('test/ShortCatch-v0', () => new Catch())).toThrow(
      'test/ShortCatch-v0 is already registered; pass { replace: true } to register it again',
    );
    register('test/ShortCatch-v0', () => new Catch(), {}, { replace: true });
  });

  it('says what is registered when an id is unknown, and rejects malformed registrations', () => {
    expect(() => make('CartPole-v0')).toThrow(
      'unknown environment id "CartPole-v0"; did you mean CartPole-v1?',
    );
    expect(() => make('Pong')).toThrow(/unknown environment id "Pong"; registered: .*CartPole-v1/);
    expect(() => register('bad id!', () => new Catch())).toThrow(
      'id must look like "[namespace/]Name[-vN]", got "bad id!"',
    );
    expect(() => register('Fine-v0', 'nope' as never)).toThrow(
      'factory of Fine-v0 must be a function, got string',
    );
  });
});
