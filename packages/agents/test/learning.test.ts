// Learning tests: real training with fixed seeds and small budgets, asserting a learned return.
import { Counter, EnvironmentLoop, makeEnvironmentSpec, NoOpLogger } from '@acme-ts/core';
import { CartPole, Catch } from '@acme-ts/envs';
import { selectBackend } from '@acme-ts/tf';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateActor, makeConfig, makeDQN } from '../src/index.js';

beforeAll(async () => {
  await selectBackend({ backend: 'wasm', log: false });
});

// Training runs through runAsync: the loop gives the event loop a turn between episodes, so the
// test runner's messages are answered even when a loaded machine makes a run last minutes.
async function train(
  env: CartPole | Catch,
  preset: 'cartpole' | 'catch',
  seed: number,
  limit: { steps?: number; episodes?: number },
) {
  const config = makeConfig(preset);
  const parts = makeDQN(makeEnvironmentSpec(env), config, seed);
  const loop = new EnvironmentLoop(env, parts.agent, { counter: new Counter(), logger: new NoOpLogger() });
  await loop.runAsync(limit);
  return parts;
}

describe('DQN learns', () => {
  it('Catch: greedy return >= 0.9 over 100 episodes after 400 training episodes', async () => {
    const parts = await train(new Catch({ seed: 0 }), 'catch', 0, { episodes: 400 });
    expect(parts.learner.steps).toBeGreaterThan(500);
    const result = evaluateActor(new Catch({ seed: 99 }), parts.makeEvaluationActor(), 100);
    // A random policy catches 1 ball in 5 (mean return -0.6).
    expect(result.mean).toBeGreaterThanOrEqual(0.9);
  });

  it('CartPole: greedy return >= 150 over 10 episodes after 10,000 steps', async () => {
    const parts = await train(new CartPole({ seed: 0 }), 'cartpole', 0, { steps: 10_000 });
    const result = evaluateActor(new CartPole({ seed: 99 }), parts.makeEvaluationActor(), 10);
    // A random policy lasts about 22 steps.
    expect(result.mean).toBeGreaterThanOrEqual(150);
    expect(parts.learner.metrics.loss).toBeLessThan(10);
  });

  it('is deterministic: the same seed gives the same weights', async () => {
    const a = await train(new Catch({ seed: 3 }), 'catch', 3, { episodes: 80 });
    const b = await train(new Catch({ seed: 3 }), 'catch', 3, { episodes: 80 });
    expect(a.learner.steps).toBeGreaterThan(0);
    expect(b.learner.getVariables()[0]).toEqual(a.learner.getVariables()[0]);
    const c = await train(new Catch({ seed: 4 }), 'catch', 4, { episodes: 80 });
    expect(c.learner.getVariables()[0]).not.toEqual(a.learner.getVariables()[0]);
  });
});
