import { describe, expect, it } from 'vitest';
import { adam, mlp, registerWasmKernels, selectBackend, setVariables, tf } from '../src/index.js';
import { rng } from './helpers.js';

/** A few regression steps of a small MLP; returns the final weights and optimizer state. */
async function train(optimizer: tf.Optimizer, seed: number): Promise<Float32Array[]> {
  const model = mlp({ inputShape: [3], hiddenSizes: [8], outputSize: 2, seed });
  const next = rng(seed);
  const x = tf.tensor2d(Array.from({ length: 16 * 3 }, next), [16, 3]);
  const y = tf.tensor2d(Array.from({ length: 16 * 2 }, next), [16, 2]);
  for (let i = 0; i < 4; i++) {
    optimizer.minimize(() => tf.losses.meanSquaredError(y, model.apply(x) as tf.Tensor) as tf.Scalar);
  }
  const state = await optimizer.getWeights();
  const out = [
    ...model.weights.map((w) => w.read().dataSync() as Float32Array),
    ...state.map((s) => s.tensor.dataSync() as Float32Array),
  ];
  tf.dispose([x, y]);
  model.dispose();
  optimizer.dispose();
  return out;
}

describe('adam (fused AcmeAdam kernel)', () => {
  it('computes exactly what tf.train.adam computes on wasm, state included', async () => {
    await selectBackend({ backend: 'wasm', log: false });
    const fused = await train(adam(0.01), 3);
    const reference = await train(tf.train.adam(0.01), 3);
    expect(fused.length).toBe(reference.length);
    fused.forEach((values, i) => {
      expect(values, `array ${i}`).toEqual(reference[i]);
    });
  });

  it('runs one kernel per variable instead of the elementwise chain', async () => {
    await selectBackend({ backend: 'wasm', log: false });
    const model = mlp({ inputShape: [3], hiddenSizes: [4], outputSize: 1 });
    const x = tf.ones([2, 3]);
    const count = async (optimizer: tf.Optimizer) => {
      const profile = await tf.profile(() => {
        optimizer.minimize(() => tf.mean(model.apply(x) as tf.Tensor) as tf.Scalar);
      });
      return profile.kernels.filter((k) => k.name === 'AcmeAdam').length;
    };
    expect(await count(adam())).toBe(4);
    expect(await count(tf.train.adam())).toBe(0);
    tf.dispose(x);
  });

  it('falls back to the parent step where the kernel is not registered (cpu)', async () => {
    registerWasmKernels();
    await selectBackend({ backend: 'cpu', log: false });
    const fused = await train(adam(0.01), 4);
    const reference = await train(tf.train.adam(0.01), 4);
    fused.forEach((values, i) => {
      expect(values).toEqual(reference[i]);
    });
  });

  it('restores from tf.train.adam weights and continues identically', async () => {
    await selectBackend({ backend: 'wasm', log: false });
    const model = mlp({ inputShape: [2], hiddenSizes: [], outputSize: 1, seed: 1 });
    const initial = new Float32Array([0.5, -0.25, 0.1]);
    const x = tf.tensor2d([1, 2, 3, 4], [2, 2]);
    const loss = () => tf.mean(tf.square(model.apply(x) as tf.Tensor)) as tf.Scalar;
    const run = async (makeSecond: () => tf.Optimizer) => {
      setVariables(model, initial);
      const first = tf.train.adam(0.1);
      first.minimize(loss);
      first.minimize(loss);
      const second = makeSecond();
      await second.setWeights(await first.getWeights());
      second.minimize(loss);
      return model.weights.map((w) => [...w.read().dataSync()]);
    };
    expect(await run(() => adam(0.1))).toEqual(await run(() => tf.train.adam(0.1)));
    tf.dispose(x);
  });
});
