// DQN's target on two hand-made samples, checked against the networks' own outputs:
//   y = clip(R) + γ · D · Q_target(s', argmax_a Q_online(s', a)),   priority = |y - Q_online(s, a)|
// with online and target networks that differ, so double Q-learning is told apart from plain Q.
import { ArraySpec, DiscreteArray, type EnvironmentSpec, makeEnvironmentSpec, Random } from '@acme-ts/core';
import { AtariWrapper, Breakout, CartPole } from '@acme-ts/envs';
import type { BatchIterator, PriorityUpdater, TableSample } from '@acme-ts/replay';
import { getVariables, selectBackend, setVariables, tf } from '@acme-ts/tf';
import { beforeAll, describe, expect, it } from 'vitest';
import { DQNLearner, makeConfig, makeDQN, makeNetworks, makeReplayTable } from '../src/index.js';

beforeAll(async () => {
  await selectBackend({ backend: 'cpu', log: false });
});

const spec: EnvironmentSpec = {
  observations: new ArraySpec([3], 'float32', 'observation'),
  actions: new DiscreteArray(4, 'int32', 'action'),
  rewards: new ArraySpec([], 'float64', 'reward'),
  discounts: new ArraySpec([], 'float64', 'discount'),
};

/** A batch object with the columns a DQN learner reads. */
function batch(columns: Record<string, number[]>): TableSample {
  return {
    batchSize: 2,
    keys: Float64Array.of(11, 12),
    probabilities: Float64Array.of(0.5, 0.5),
    tableSize: 2,
    column: (name: string) => Float32Array.from(columns[name]!),
  } as unknown as TableSample;
}

describe('DQN learner target', () => {
  it('is the double-Q n-step target, reward clipped, bootstrap cut by the discount', () => {
    const config = makeConfig('cartpole', {
      batchSize: 2,
      discount: 0.9,
      maxAbsReward: 1,
      importanceSamplingExponent: 0,
      hiddenSizes: [8],
    });
    const networks = makeNetworks(spec, config, 3);
    const s = [0.1, -0.2, 0.3, -0.5, 0.4, 0.2];
    const next = [0.7, 0.1, -0.3, 0.2, -0.6, 0.9];
    const sample = batch({
      observation: s,
      nextObservation: next,
      action: [2, 0],
      // Sample 0: a 2-step return R = 0.5 with D = γ (the adder's product of n-1 discounts);
      // sample 1: reward 3 clipped to 1, episode ended (D = 0): no bootstrap.
      reward: [0.5, 3],
      discount: [0.9, 0],
    });
    const dataset: BatchIterator<TableSample> = {
      ready: () => true,
      tryNext: () => sample,
      next: async () => ({ done: false, value: sample }),
    };
    let priorities: number[] = [];
    const updater: PriorityUpdater = {
      updatePriorities: (keys, p) => {
        expect(Array.from(keys)).toEqual([11, 12]);
        priorities = Array.from(p);
      },
    };
    const learner = new DQNLearner(networks, dataset, config, updater);
    // A target network unlike the online one: the online net picks a*, the target one scores it.
    const random = new Random(9);
    const online = getVariables(networks.online);
    setVariables(
      networks.target,
      online.map(() => random.uniform(-1, 1)),
    );

    const predict = (model: typeof networks.online, x: number[]) =>
      tf.tidy(() => Array.from((model.predict(tf.tensor(x, [2, 3])) as tf.Tensor).dataSync()));
    const qNextOnline = predict(networks.online, next);
    const qNextTarget = predict(networks.target, next);
    const q = predict(networks.online, s);
    const argmax = (row: number[]) => row.indexOf(Math.max(...row));
    const aStar = argmax(qNextOnline.slice(0, 4));
    // Not the target's own argmax (else this sample could not tell double Q from plain Q).
    expect(aStar).not.toBe(argmax(qNextTarget.slice(0, 4)));
    const y0 = 0.5 + 0.9 * 0.9 * qNextTarget[aStar]!;
    const y1 = 1;
    const expected = [Math.abs(y0 - q[2]!), Math.abs(y1 - q[4 + 0]!)];

    expect(learner.tryStep()).toBe(true);
    expect(priorities[0]).toBeCloseTo(expected[0]!, 5);
    expect(priorities[1]).toBeCloseTo(expected[1]!, 5);
    expect(learner.steps).toBe(1);
  });
});

describe('DQN replay for stacked frames', () => {
  it('takes frame size and stack depth from the observation spec', () => {
    const env = new AtariWrapper(new Breakout({ seed: 1 }), { scaleDims: [42, 36], numStackedFrames: 3 });
    const table = makeReplayTable(makeEnvironmentSpec(env), makeConfig('atari'), 0, true);
    expect(table.options.frames).toMatchObject({ shape: [42, 36], stack: 3 });
    table.close();
  });
});

describe('DQN at the boundary of an environment whose observations are not float32', () => {
  it('acts on int32, uint8 and float64 observations as on their float32 values', () => {
    for (const dtype of ['int32', 'uint8', 'float64'] as const) {
      const spec: EnvironmentSpec = {
        ...makeEnvironmentSpec(new CartPole()),
        observations: new ArraySpec([4], dtype, 'observation'),
      };
      const parts = makeDQN(spec, makeConfig('cartpole', { minReplaySize: 64, hiddenSizes: [8] }), 0);
      const Typed = { int32: Int32Array, uint8: Uint8Array, float64: Float64Array }[dtype];
      const observation = Typed.from([1, 2, 3, 4]);
      const a = parts.actor.policy.greedyAction(observation);
      expect(a).toBe(parts.actor.policy.greedyAction(Float32Array.from([1, 2, 3, 4])));
      parts.table.close();
    }
  });
});
