import { beforeAll, describe, expect, it } from 'vitest';
import { dense, FusedDense, selectBackend, tf, tfl } from '../src/index.js';
import { onBackend, rng } from './helpers.js';

const uniform = (seed: number, n: number) => Float32Array.from({ length: n }, () => rng(seed)() * 2 - 1);

/** Loss gradients w.r.t. input, kernel and bias of `activation(x·w + b)`, plus the output. */
function gradients(op: 'fused' | 'reference', activation: 'linear' | 'relu') {
  const next = rng(activation.length);
  const x = Float32Array.from({ length: 9 * 7 }, () => next() * 2 - 1);
  const w = Float32Array.from({ length: 7 * 19 }, () => next() * 2 - 1);
  const b = Float32Array.from({ length: 19 }, () => next() * 2 - 1);
  const r = Float32Array.from({ length: 9 * 19 }, () => next() * 2 - 1);
  return tf.tidy(() => {
    const [xt, wt, bt, rt] = [
      tf.tensor2d(x, [9, 7]),
      tf.tensor2d(w, [7, 19]),
      tf.tensor1d(b),
      tf.tensor2d(r, [9, 19]),
    ];
    const f = (p: tf.Tensor, q: tf.Tensor, s: tf.Tensor) => {
      const y =
        op === 'fused'
          ? dense(p as tf.Tensor2D, q as tf.Tensor2D, s as tf.Tensor1D, activation)
          : tf.relu(tf.add(tf.matMul(p, q), s));
      return tf.sum(
        tf.mul(activation === 'linear' && op === 'reference' ? tf.add(tf.matMul(p, q), s) : y, rt),
      );
    };
    const y = op === 'fused' ? dense(xt, wt, bt, activation) : tf.add(tf.matMul(xt, wt), bt);
    const out = activation === 'relu' && op === 'reference' ? tf.relu(y) : y;
    return [out, ...tf.grads(f)([xt, wt, bt])].map((t) => t.dataSync() as Float32Array);
  });
}

describe('the dense op and FusedDense', () => {
  beforeAll(async () => {
    await selectBackend({ backend: 'wasm', log: false });
  });

  for (const activation of ['linear', 'relu'] as const) {
    it(`${activation}: value and gradients match the unfused ops, on wasm (one backward kernel) and cpu`, async () => {
      for (const backend of ['wasm', 'cpu'] as const) {
        const [got, want] = await onBackend(backend, () => [
          gradients('fused', activation),
          gradients('reference', activation),
        ]);
        expect(got![0]).toEqual(want![0]); // the forward value, bit for bit
        got!.slice(1).forEach((g, i) => {
          const w = want![i + 1]!;
          g.forEach((v, j) => {
            expect(Math.abs(v - w[j]!), `${backend} gradient ${i} element ${j}`).toBeLessThan(
              1e-5 * (1 + Math.abs(w[j]!)),
            );
          });
        });
      }
      await tf.setBackend('wasm');
      const profile = await tf.profile(() => gradients('fused', activation));
      expect(profile.kernels.filter((k) => k.name === 'AcmeDenseGrad').length).toBe(1);
    });
  }

  it('is a drop-in Dense: same weights, same values, saved under its own class name', () => {
    const x = tfl.input({ shape: [5] });
    const ours = new FusedDense({ units: 3, activation: 'relu', seed: 4, name: 'ours' });
    const theirs = tfl.layers.dense({ units: 3, activation: 'relu', name: 'theirs' });
    const model = tfl.model({ inputs: x, outputs: [ours.apply(x), theirs.apply(x)] as tfl.SymbolicTensor[] });
    theirs.setWeights(ours.getWeights());
    expect(ours.getWeights().map((w) => w.shape)).toEqual([[5, 3], [3]]);
    const [a, b] = model.predict(tf.tensor2d(uniform(3, 10), [2, 5])) as tf.Tensor[];
    expect(a!.dataSync()).toEqual(b!.dataSync());
    expect(ours.getConfig()).toMatchObject({ units: 3, activation: 'relu', seed: 4, name: 'ours' });
    const topology = model.toJSON(undefined, false) as { config: { layers: { class_name: string }[] } };
    expect(topology.config.layers.map((l) => l.class_name)).toEqual([
      'InputLayer',
      'AcmeFusedDense',
      'Dense',
    ]);
    expect(() => new FusedDense({ units: 2, activation: 'tanh' as 'relu' })).toThrow(RangeError);
  });
});
