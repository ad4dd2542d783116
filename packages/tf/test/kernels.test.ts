// The Rust kernels registered on the wasm backend, checked against TensorFlow.js's pure-JS `cpu`
// backend on random tensors with the shapes, strides and paddings the networks use, and against
// finite differences. Runs once with the N-API addon and once with its wasm twin (ACME_NATIVE).
import { describe, expect, it } from 'vitest';
import { registerWasmKernels, tf } from '../src/index.js';
import { onBackend, rng } from './helpers.js';

type Pad = 'valid' | 'same' | [[number, number], [number, number], [number, number], [number, number]];

interface ConvCase {
  name: string;
  x: [number, number, number, number];
  filter: [number, number, number, number];
  strides: number | [number, number];
  pad: Pad;
  dilations?: number;
}

const convCases: ConvCase[] = [
  // The Nature CNN's three layers at reduced batch and size.
  { name: 'conv1 8x8/4 valid', x: [2, 36, 36, 4], filter: [8, 8, 4, 32], strides: 4, pad: 'valid' },
  { name: 'conv2 4x4/2 valid', x: [3, 8, 8, 32], filter: [4, 4, 32, 64], strides: 2, pad: 'valid' },
  { name: 'conv3 3x3/1 valid', x: [2, 7, 7, 64], filter: [3, 3, 64, 64], strides: 1, pad: 'valid' },
  // 'same' with odd and even totals (TensorFlow puts the extra row at the bottom).
  { name: '3x3/1 same', x: [2, 7, 6, 3], filter: [3, 3, 3, 5], strides: 1, pad: 'same' },
  { name: '4x4/2 same', x: [1, 9, 8, 2], filter: [4, 4, 2, 17], strides: 2, pad: 'same' },
  { name: '5x3 strides [2,1] same', x: [2, 10, 9, 3], filter: [5, 3, 3, 6], strides: [2, 1], pad: 'same' },
  // Explicit padding.
  {
    name: 'explicit pads',
    x: [2, 6, 7, 4],
    filter: [3, 2, 4, 3],
    strides: 2,
    pad: [
      [0, 0],
      [2, 1],
      [0, 3],
      [0, 0],
    ],
  },
];

const uniform = (next: () => number, shape: number[]) =>
  new Float32Array(shape.reduce((a, b) => a * b, 1)).map(() => next() * 2 - 1);

function expectClose(got: Float32Array, want: Float32Array, what: string, tol = 2e-4): void {
  expect(got.length, what).toBe(want.length);
  let worst = 0;
  for (let i = 0; i < got.length; i++) {
    worst = Math.max(worst, Math.abs(got[i]! - want[i]!) / (1 + Math.abs(want[i]!)));
  }
  expect(worst, `${what}: worst relative error`).toBeLessThan(tol);
}

describe(`wasm-backend kernels via ${process.env.ACME_NATIVE} agree with the cpu backend`, () => {
  registerWasmKernels();

  for (const c of convCases) {
    it(`conv2d value and gradients: ${c.name}`, async () => {
      const next = rng(c.name.length * 7919);
      const x = uniform(next, c.x);
      const w = uniform(next, c.filter);
      const bias = uniform(next, [c.filter[3]]);
      // A random cotangent, so every output element's gradient matters.
      const run = () =>
        tf.tidy(() => {
          const xt = tf.tensor4d(x, c.x);
          const wt = tf.tensor4d(w, c.filter);
          const bt = tf.tensor1d(bias);
          const y = tf.conv2d(xt, wt, c.strides, c.pad);
          const r = tf.tensor(uniform(rng(99), y.shape), y.shape);
          const loss = (a: tf.Tensor, b: tf.Tensor) =>
            tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.strides, c.pad), r));
          const [dx, dw] = tf.grads(loss)([xt, wt]);
          // The fused kernel (bias + ReLU), as layers run it outside a gradient tape.
          const fused = tf.fused.conv2d({
            x: xt,
            filter: wt,
            strides: c.strides,
            pad: c.pad,
            bias: bt,
            activation: 'relu',
          });
          return [y, dx!, dw!, fused].map((t) => t.dataSync() as Float32Array);
        });
      const [y, dx, dw, fused] = await onBackend('wasm', run);
      const [yc, dxc, dwc, fusedc] = await onBackend('cpu', run);
      expectClose(y!, yc!, 'y');
      expectClose(dx!, dxc!, 'dx');
      expectClose(dw!, dwc!, 'dfilter');
      expectClose(fused!, fusedc!, 'fused y');
    });
  }

  it('conv2d with dilation matches cpu', async () => {
    const next = rng(5);
    const x = uniform(next, [2, 11, 10, 3]);
    const w = uniform(next, [3, 3, 3, 4]);
    const run = () =>
      tf.tidy(
        () =>
          tf
            .conv2d(tf.tensor4d(x, [2, 11, 10, 3]), tf.tensor4d(w, [3, 3, 3, 4]), 1, 'same', 'NHWC', 2)
            .dataSync() as Float32Array,
      );
    expectClose(await onBackend('wasm', run), await onBackend('cpu', run), 'dilated y');
  });

  it('the filter gradient matches finite differences on wasm', async () => {
    const next = rng(6);
    const shape: [number, number, number, number] = [2, 9, 9, 3];
    const fshape: [number, number, number, number] = [4, 4, 3, 2];
    const x = uniform(next, shape);
    const w0 = uniform(next, fshape);
    await tf.setBackend('wasm');
    const xw = tf.tensor4d(x, shape);
    const lossAt = (w: Float32Array) =>
      tf.tidy(() => tf.sum(tf.square(tf.conv2d(xw, tf.tensor4d(w, fshape), 2, 'same'))).dataSync()[0]!);
    const analytic = tf.tidy(() =>
      tf
        .grad((w: tf.Tensor) => tf.sum(tf.square(tf.conv2d(xw, w as tf.Tensor4D, 2, 'same'))))(
          tf.tensor4d(w0, fshape),
        )
        .dataSync(),
    );
    const h = 1e-2;
    for (const i of [0, 17, 50, w0.length - 1]) {
      const plus = w0.slice();
      const minus = w0.slice();
      plus[i]! += h;
      minus[i]! -= h;
      const numeric = (lossAt(plus) - lossAt(minus)) / (2 * h);
      expect(analytic[i]!).toBeCloseTo(numeric, 1);
      expect(Math.abs(analytic[i]! - numeric) / (1 + Math.abs(numeric))).toBeLessThan(1e-2);
    }
    xw.dispose();
  });

  it('matMul in every transpose, batched and broadcast, with its gradients', async () => {
    const next = rng(7);
    for (const [ta, tb] of [
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ] as const) {
      const a = uniform(next, [3, 5, 7]);
      const b = uniform(next, [3, 7, 9]);
      const aShape = ta ? [3, 7, 5] : [3, 5, 7];
      const bShape = tb ? [3, 9, 7] : [3, 7, 9];
      const run = () =>
        tf.tidy(() => {
          const at = tf.tensor(a, aShape);
          const bt = tf.tensor(b, bShape);
          const f = (p: tf.Tensor, q: tf.Tensor) => tf.sum(tf.square(tf.matMul(p, q, ta, tb)));
          const [da, db] = tf.grads(f)([at, bt]);
          // One matrix against a batch: broadcast (TensorFlow.js differentiates only equal batches).
          const one = tf.reshape(tf.slice(bt, [0, 0, 0], [1, -1, -1]), bShape.slice(1));
          return [tf.matMul(at, bt, ta, tb), da!, db!, tf.matMul(at, one, ta, tb)].map(
            (t) => t.dataSync() as Float32Array,
          );
        });
      const got = await onBackend('wasm', run);
      const want = await onBackend('cpu', run);
      got.forEach((g, i) => {
        expectClose(g, want[i]!, `matMul ta=${ta} tb=${tb} output ${i}`);
      });
    }
  });

  it('a dense layer with bias and ReLU (fused) matches cpu', async () => {
    const next = rng(8);
    const x = uniform(next, [6, 10]);
    const w = uniform(next, [10, 33]);
    const bias = uniform(next, [33]);
    const run = () =>
      tf.tidy(
        () =>
          tf.fused
            .matMul({
              a: tf.tensor2d(x, [6, 10]),
              b: tf.tensor2d(w, [10, 33]),
              bias: tf.tensor1d(bias),
              activation: 'relu',
            })
            .dataSync() as Float32Array,
      );
    expectClose(await onBackend('wasm', run), await onBackend('cpu', run), 'fused dense');
  });

  it('gather gradients (UnsortedSegmentSum) match cpu, repeated indices included', async () => {
    const next = rng(9);
    const x = uniform(next, [5, 4, 3]);
    const indices = [4, 0, 4, 2, 2, 2];
    for (const axis of [0, 1]) {
      const run = () =>
        tf.tidy(() => {
          const xt = tf.tensor3d(x, [5, 4, 3]);
          const idx = tf.tensor1d(axis === 0 ? indices : [3, 0, 3, 1], 'int32');
          const y = tf.gather(xt, idx, axis);
          const r = tf.tensor(uniform(rng(10), y.shape), y.shape);
          return tf
            .grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, idx, axis), r)))(xt)
            .dataSync() as Float32Array;
        });
      expectClose(await onBackend('wasm', run), await onBackend('cpu', run), `gather axis ${axis}`);
    }
    await tf.setBackend('wasm');
    const direct = tf.tidy(() =>
      tf
        .unsortedSegmentSum(tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2]), tf.tensor1d([1, -1, 1], 'int32'), 2)
        .arraySync(),
    );
    expect(direct).toEqual([
      [0, 0],
      [6, 8],
    ]);
  });

  it('leaves no tensor behind when a kernel refuses its arguments', async () => {
    await tf.setBackend('wasm');
    const before = tf.memory().numTensors;
    const ids = tf.tensor1d([0, 5], 'int32');
    const data = tf.tensor2d([1, 2, 3, 4], [2, 2]);
    expect(() => tf.unsortedSegmentSum(data, ids, 3)).toThrow('segmentIds[1] = 5 is out of range [0, 3)');
    tf.dispose([ids, data]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
