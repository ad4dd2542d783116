import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  adam,
  c51QValues,
  c51Support,
  getVariables,
  loadModel,
  mlp,
  NativeMlp,
  natureCnn,
  qNetwork,
  saveModel,
  selectBackend,
  setVariables,
  tf,
  tfl,
  variableSize,
} from '../src/index.js';
import { rng } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'acme-tf-'));
beforeAll(async () => {
  await selectBackend({ backend: 'wasm', log: false });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const predict = (model: tfl.LayersModel, x: Float32Array, shape: number[]) =>
  tf.tidy(() => (model.predict(tf.tensor(x, shape)) as tf.Tensor).dataSync() as Float32Array);

const uniform = (seed: number, n: number) => Float32Array.from({ length: n }, rng(seed));

describe('networks', () => {
  it('mlp and natureCnn take spec shapes and produce the documented shapes', () => {
    const m = mlp({ inputShape: [2, 3], hiddenSizes: [120, 84], outputSize: 5 });
    expect(m.outputs[0]!.shape).toEqual([null, 5]);
    expect(variableSize(m)).toBe(6 * 120 + 120 + 120 * 84 + 84 + 84 * 5 + 5);
    const cnn = natureCnn({ inputShape: [84, 84, 4], outputSize: 6 });
    expect(cnn.layers.map((l) => l.outputShape)).toEqual([
      [null, 84, 84, 4],
      [null, 20, 20, 32],
      [null, 9, 9, 64],
      [null, 7, 7, 64],
      [null, 3136],
      [null, 512],
      [null, 6],
    ]);
    expect(() => mlp({ inputShape: [0], hiddenSizes: [] })).toThrow(
      new RangeError('inputShape[0] must be a positive integer, got 0'),
    );
    expect(() => natureCnn({ inputShape: [84, 84] })).toThrow(RangeError);
    expect(() =>
      qNetwork({ observationShape: [4], numActions: 1.5, torso: { kind: 'mlp', hiddenSizes: [] } }),
    ).toThrow(new RangeError('numActions must be a positive integer, got 1.5'));
    tf.dispose([m, cnn].flatMap((x) => x.weights.map((w) => w.read())));
  });

  it('is seeded: the same seed builds the same weights, another seed others', () => {
    const build = (seed: number) =>
      getVariables(
        qNetwork({ observationShape: [4], numActions: 2, torso: { kind: 'mlp', hiddenSizes: [16] }, seed }),
      );
    expect(build(7)).toEqual(build(7));
    expect(build(7)).not.toEqual(build(8));
  });

  it('the dueling head averages to the value stream: mean over actions of Q equals V', () => {
    const net = qNetwork({
      observationShape: [5],
      numActions: 4,
      torso: { kind: 'mlp', hiddenSizes: [32] },
      head: { kind: 'dueling', hiddenSizes: [8] },
      seed: 3,
    });
    const value = tfl.model({
      inputs: net.inputs,
      outputs: net.getLayer('value').output as tfl.SymbolicTensor,
    });
    const x = uniform(1, 3 * 5);
    const q = predict(net, x, [3, 5]);
    const v = predict(value, x, [3, 5]);
    for (let b = 0; b < 3; b++) {
      const mean = (q[b * 4]! + q[b * 4 + 1]! + q[b * 4 + 2]! + q[b * 4 + 3]!) / 4;
      expect(mean).toBeCloseTo(v[b]!, 5);
    }
    // The advantages do vary by action.
    expect(new Set(q.subarray(0, 4)).size).toBe(4);
  });

  it('the C51 head gives per-action logits over the atoms, whose expectation is inside [vMin, vMax]', () => {
    const net = qNetwork({
      observationShape: [3],
      numActions: 2,
      torso: { kind: 'mlp', hiddenSizes: [16] },
      head: { kind: 'c51', numAtoms: 11 },
    });
    expect(net.outputs[0]!.shape).toEqual([null, 2, 11]);
    const support = c51Support(-10, 10, 11);
    expect([...support.dataSync()]).toEqual([-10, -8, -6, -4, -2, 0, 2, 4, 6, 8, 10]);
    const q = tf.tidy(() =>
      c51QValues(net.predict(tf.tensor2d(uniform(2, 12), [4, 3])) as tf.Tensor, support).dataSync(),
    );
    expect(q.length).toBe(8);
    for (const v of q) expect(Math.abs(v)).toBeLessThan(10);
    expect(() => c51Support(1, 1)).toThrow(RangeError);
    support.dispose();
  });

  it('a Nature-CNN DQN training step on wasm lowers the loss on a fixed batch', () => {
    const net = qNetwork({
      observationShape: [84, 84, 4],
      numActions: 6,
      torso: { kind: 'natureCnn', inputScale: 1 / 255 },
      seed: 1,
    });
    const optimizer = adam(1e-3);
    const batch = 4;
    const obs = tf.tensor4d(
      uniform(3, batch * 84 * 84 * 4).map((v) => Math.floor(v * 256)),
      [batch, 84, 84, 4],
    );
    // Flat indices of Q(s_b, a_b) in the [batch * actions] Q-values: actions 0, 3, 5, 1.
    const picked = tf.tensor1d([0, 6 + 3, 12 + 5, 18 + 1], 'int32');
    const targets = tf.tensor1d([1, -1, 0.5, 2]);
    // Q(s, a) gathered by action: the gather's gradient is UnsortedSegmentSum.
    const loss = () =>
      tf.tidy(() => {
        const q = net.apply(obs) as tf.Tensor2D;
        const qa = tf.gather(tf.reshape(q, [-1]), picked);
        return tf.losses.huberLoss(targets, qa) as tf.Scalar;
      });
    const value = () => {
      const l = loss();
      const v = l.dataSync()[0]!;
      l.dispose();
      return v;
    };
    const before = value();
    optimizer.minimize(loss);
    const after = value();
    expect(after).toBeLessThan(before);
    // A second step allocates nothing that outlives it (the first one created Adam's moments).
    const tensors = tf.memory().numTensors;
    optimizer.minimize(loss);
    expect(tf.memory().numTensors).toBe(tensors);
    tf.dispose([obs, picked, targets]);
  });

  it('save/load round trip gives identical outputs (dueling head included)', async () => {
    const net = qNetwork({
      observationShape: [6],
      numActions: 3,
      torso: { kind: 'mlp', hiddenSizes: [16, 16] },
      head: { kind: 'dueling' },
      seed: 5,
    });
    const x = uniform(4, 5 * 6);
    await saveModel(net, join(dir, 'dueling'));
    const loaded = await loadModel(join(dir, 'dueling'));
    expect(predict(loaded, x, [5, 6])).toEqual(predict(net, x, [5, 6]));
    // The same through file:// URLs with the standard TensorFlow.js entry points.
    const cnn = natureCnn({ inputShape: [36, 36, 2], hiddenSize: 8, outputSize: 2, seed: 2 });
    await cnn.save(`file://${join(dir, 'cnn')}`);
    const again = await tfl.loadLayersModel(`file://${join(dir, 'cnn', 'model.json')}`);
    const y = uniform(5, 2 * 36 * 36 * 2);
    expect(predict(again, y, [2, 36, 36, 2])).toEqual(predict(cnn, y, [2, 36, 36, 2]));
    await expect(loadModel(join(dir, 'missing'))).rejects.toThrow(/cannot read .*missing.*model\.json/);
    // One flipped bit in the weights is an error naming the files, not a model with other weights.
    const weightsFile = join(dir, 'dueling', 'weights.bin');
    const bytes = readFileSync(weightsFile);
    bytes[bytes.length >> 1]! ^= 1;
    writeFileSync(weightsFile, bytes);
    await expect(loadModel(join(dir, 'dueling'))).rejects.toThrow(
      /dueling\/weights\.bin does not match the checksum in .*dueling\/model\.json/,
    );
  });

  it('getVariables / setVariables copy a learner into an actor as one flat array', () => {
    const options = {
      observationShape: [4],
      numActions: 2,
      torso: { kind: 'mlp' as const, hiddenSizes: [32, 32] },
    };
    const learner = qNetwork({ ...options, seed: 1 });
    const actor = qNetwork({ ...options, seed: 2 });
    const x = uniform(6, 8 * 4);
    expect(predict(actor, x, [8, 4])).not.toEqual(predict(learner, x, [8, 4]));
    const flat = new Float32Array(variableSize(learner));
    expect(getVariables(learner, flat)).toBe(flat);
    setVariables(actor, flat);
    expect(predict(actor, x, [8, 4])).toEqual(predict(learner, x, [8, 4]));
    expect(() => setVariables(actor, flat.subarray(1))).toThrow(
      new RangeError(`values must have length ${flat.length}, got ${flat.length - 1}`),
    );
    expect(() => getVariables(learner, new Float32Array(3))).toThrow(RangeError);
    expect(() => setVariables(actor, [] as unknown as Float32Array)).toThrow(
      new TypeError('values must be a Float32Array'),
    );
  });

  it('NativeMlp gives model.predict values bit for bit, one observation or a batch', () => {
    const net = qNetwork({
      observationShape: [4],
      numActions: 3,
      torso: { kind: 'mlp', hiddenSizes: [120, 84] },
      seed: 9,
    });
    const policy = new NativeMlp(net);
    policy.sync();
    const x = uniform(7, 16 * 4);
    const out = new Float32Array(16 * 3);
    policy.forward(x, out);
    expect(out).toEqual(predict(net, x, [16, 4]));
    for (let b = 0; b < 16; b++) {
      const q = out.subarray(b * 3, b * 3 + 3);
      expect(policy.greedyAction(x.subarray(b * 4, b * 4 + 4))).toBe(q.indexOf(Math.max(...q)));
    }
    // After the weights change, sync() picks them up.
    setVariables(
      net,
      getVariables(
        qNetwork({
          observationShape: [4],
          numActions: 3,
          torso: { kind: 'mlp', hiddenSizes: [120, 84] },
          seed: 10,
        }),
      ),
    );
    policy.sync();
    policy.forward(x, out);
    expect(out).toEqual(predict(net, x, [16, 4]));
    expect(() => policy.forward(x.subarray(1), out)).toThrow(RangeError);
    expect(() => new NativeMlp(natureCnn({ inputShape: [36, 36, 1] }))).toThrow(
      new TypeError('NativeMlp runs Dense, FusedDense and Flatten layers only, got Conv2D'),
    );
  });
});
