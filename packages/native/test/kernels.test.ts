// Runs once per binary (see vitest.config.ts): ACME_NATIVE selects napi or wasm.
import { describe, expect, it } from 'vitest';
import {
  adamUpdate,
  type Conv2dGeometry,
  conv2d,
  conv2dBackpropFilter,
  conv2dBackpropInput,
  denseBackward,
  kernelThreads,
  matMul,
  native,
  unsortedSegmentSum,
} from '../src/index.js';
import {
  adamReference,
  conv2dBackpropFilterReference,
  conv2dBackpropInputReference,
  conv2dReference,
  expectClose,
  filterLength,
  inputLength,
  matMulReference,
  outputLength,
} from './kernels-reference.js';
import { rng } from './reference.js';

const kind = process.env.ACME_NATIVE;

const uniform = (next: () => number, n: number) => new Float32Array(n).map(() => next() * 2 - 1);

/** The networks' shapes scaled down, 'same' padding on every border, dilation, odd tails. */
const geometries: Conv2dGeometry[] = [
  // Nature CNN conv1 (8x8 stride 4, valid) on a 20x20x4 input.
  {
    batch: 2,
    inHeight: 20,
    inWidth: 20,
    inChannels: 4,
    outHeight: 4,
    outWidth: 4,
    outChannels: 8,
    filterHeight: 8,
    filterWidth: 8,
    strideHeight: 4,
    strideWidth: 4,
    padTop: 0,
    padLeft: 0,
  },
  // conv2 (4x4 stride 2) and conv3 (3x3 stride 1).
  {
    batch: 3,
    inHeight: 9,
    inWidth: 9,
    inChannels: 8,
    outHeight: 3,
    outWidth: 3,
    outChannels: 16,
    filterHeight: 4,
    filterWidth: 4,
    strideHeight: 2,
    strideWidth: 2,
    padTop: 0,
    padLeft: 0,
  },
  {
    batch: 2,
    inHeight: 7,
    inWidth: 7,
    inChannels: 16,
    outHeight: 5,
    outWidth: 5,
    outChannels: 20,
    filterHeight: 3,
    filterWidth: 3,
    strideHeight: 1,
    strideWidth: 1,
    padTop: 0,
    padLeft: 0,
  },
  // 'same' padding, stride 1 and stride 2 (TensorFlow pads the bottom/right more when odd).
  {
    batch: 2,
    inHeight: 7,
    inWidth: 6,
    inChannels: 3,
    outHeight: 7,
    outWidth: 6,
    outChannels: 5,
    filterHeight: 3,
    filterWidth: 3,
    strideHeight: 1,
    strideWidth: 1,
    padTop: 1,
    padLeft: 1,
  },
  {
    batch: 1,
    inHeight: 8,
    inWidth: 8,
    inChannels: 2,
    outHeight: 4,
    outWidth: 4,
    outChannels: 17,
    filterHeight: 4,
    filterWidth: 4,
    strideHeight: 2,
    strideWidth: 2,
    padTop: 1,
    padLeft: 1,
  },
  // Dilation, uneven strides and pads.
  {
    batch: 2,
    inHeight: 9,
    inWidth: 9,
    inChannels: 5,
    outHeight: 5,
    outWidth: 5,
    outChannels: 6,
    filterHeight: 3,
    filterWidth: 2,
    strideHeight: 2,
    strideWidth: 2,
    dilationHeight: 2,
    dilationWidth: 1,
    padTop: 2,
    padLeft: 1,
  },
];

describe(`training kernels (${kind})`, () => {
  it('runs on the binary ACME_NATIVE forces, with one thread on wasm', () => {
    expect(native().kind).toBe(kind);
    if (kind === 'wasm') expect(kernelThreads()).toBe(1);
    else expect(kernelThreads()).toBeGreaterThanOrEqual(1);
  });

  it('conv2d matches the definition, alone and with a fused bias and ReLU', () => {
    const next = rng(11);
    for (const g of geometries) {
      const x = uniform(next, inputLength(g));
      const w = uniform(next, filterLength(g));
      const bias = uniform(next, g.outChannels);
      const want = conv2dReference(g, x, w);
      const y = new Float32Array(outputLength(g));
      conv2d(x, w, y, g);
      expectClose(y, want, `conv2d ${JSON.stringify(g)}`);
      conv2d(x, w, y, g, { bias, activation: 'relu' });
      expectClose(
        y,
        want.map((v, i) => Math.max(0, v + bias[i % g.outChannels]!)),
        'fused conv2d',
      );
    }
  });

  it('conv2dBackpropFilter and conv2dBackpropInput match the definition', () => {
    const next = rng(12);
    for (const g of geometries) {
      const x = uniform(next, inputLength(g));
      const w = uniform(next, filterLength(g));
      const dy = uniform(next, outputLength(g));
      const dw = new Float32Array(filterLength(g)).fill(Number.NaN);
      conv2dBackpropFilter(x, dy, dw, g);
      expectClose(dw, conv2dBackpropFilterReference(g, x, dy), `dfilter ${JSON.stringify(g)}`);
      const dx = new Float32Array(inputLength(g)).fill(Number.NaN);
      conv2dBackpropInput(dy, w, dx, g);
      expectClose(dx, conv2dBackpropInputReference(g, dy, w), `dx ${JSON.stringify(g)}`);
    }
  });

  it('reads and writes views at an offset into one shared buffer, touching nothing else', () => {
    // What the TensorFlow.js wasm backend passes: views of its heap.
    const g = geometries[1]!;
    const [nx, nw, ny] = [inputLength(g), filterLength(g), outputLength(g)];
    const heap = new Float32Array(3 + nx + nw + ny + 3).fill(-7);
    const next = rng(13);
    const x = heap.subarray(3, 3 + nx);
    const w = heap.subarray(3 + nx, 3 + nx + nw);
    x.set(uniform(next, nx));
    w.set(uniform(next, nw));
    const y = heap.subarray(3 + nx + nw, 3 + nx + nw + ny);
    conv2d(x, w, y, g);
    expectClose(y, conv2dReference(g, x, w), 'conv2d on views');
    expect([...heap.subarray(0, 3), ...heap.subarray(heap.length - 3)]).toEqual([-7, -7, -7, -7, -7, -7]);
  });

  it('gives the same bits on one thread as on several', () => {
    const g: Conv2dGeometry = {
      ...geometries[0]!,
      batch: 8,
      inHeight: 36,
      inWidth: 36,
      outHeight: 8,
      outWidth: 8,
      outChannels: 32,
    };
    const next = rng(14);
    const x = uniform(next, inputLength(g));
    const dy = uniform(next, outputLength(g));
    const one = new Float32Array(filterLength(g));
    const two = new Float32Array(filterLength(g));
    conv2dBackpropFilter(x, dy, one, g, { threads: 1 });
    conv2dBackpropFilter(x, dy, two, g, { threads: 2 });
    expect(two).toEqual(one);
  });

  it('matMul handles every transpose, a broadcast batch, and fused bias + ReLU', () => {
    const next = rng(15);
    for (const [m, k, n] of [
      [1, 4, 120],
      [7, 13, 33],
      [32, 64, 6],
    ] as const) {
      for (const transposeA of [false, true])
        for (const transposeB of [false, true]) {
          const a = uniform(next, 2 * m * k);
          const b = uniform(next, k * n);
          const bias = uniform(next, n);
          const out = new Float32Array(2 * m * n);
          matMul(a, b, out, { m, k, n, batchA: 2, transposeA, transposeB }, { bias, activation: 'relu' });
          for (let i = 0; i < 2; i++) {
            const want = matMulReference(
              a.subarray(i * m * k, (i + 1) * m * k),
              b,
              m,
              k,
              n,
              transposeA,
              transposeB,
            );
            expectClose(
              out.subarray(i * m * n, (i + 1) * m * n),
              want.map((v, e) => Math.max(0, v + bias[e % n]!)),
              `matMul ${m}x${k}x${n}`,
            );
          }
        }
    }
  });

  it('denseBackward gives the three products of the chain rule, through the ReLU mask', () => {
    const next = rng(17);
    const [m, k, n] = [9, 6, 21];
    const x = uniform(next, m * k);
    const w = uniform(next, k * n);
    const y = uniform(next, m * n);
    const dy = uniform(next, m * n);
    for (const activation of ['linear', 'relu'] as const) {
      const out = { dx: new Float32Array(m * k), dw: new Float32Array(k * n), db: new Float32Array(n) };
      denseBackward(x, w, y, dy, out, { m, k, n }, { activation });
      const dz = dy.map((g, i) => (activation === 'relu' && !(y[i]! > 0) ? 0 : g));
      expectClose(out.dw, matMulReference(x, dz, k, m, n, true, false), `${activation} dw`);
      expectClose(out.dx, matMulReference(dz, w, m, n, k, false, true), `${activation} dx`);
      const sums = new Float64Array(n);
      dz.forEach((v, i) => {
        sums[i % n]! += v;
      });
      expectClose(out.db, sums, `${activation} db`);
    }
    const bad = { dx: new Float32Array(m * k), dw: new Float32Array(k * n - 1), db: new Float32Array(n) };
    expect(() => denseBackward(x, w, y, dy, bad, { m, k, n })).toThrow(
      new RangeError(`dw must have length ${k * n}, got ${k * n - 1}`),
    );
    expect(() => denseBackward(x, w, y, dy, { ...bad, dw: dy }, { m, k, n })).toThrow(
      new RangeError('dw must not share memory with dy'),
    );
  });

  it('unsortedSegmentSum adds rows into their segments and drops negative ids', () => {
    const out = new Float32Array(6).fill(9);
    unsortedSegmentSum(
      new Float32Array([1, 2, 10, 20, 100, 200, 5, 5]),
      new Int32Array([2, 0, 2, -1]),
      3,
      out,
    );
    expect([...out]).toEqual([10, 20, 0, 0, 101, 202]);
    expect(() =>
      unsortedSegmentSum(new Float32Array(2), new Int32Array([0, 3]), 3, out.subarray(0, 3)),
    ).toThrow(new RangeError('segmentIds[1] = 3 is out of range [0, 3)'));
    expect([...out]).toEqual([10, 20, 0, 0, 101, 202]);
  });

  it('adamUpdate reproduces TensorFlow.js Adam bit for bit', () => {
    const next = rng(16);
    const n = 1001;
    const param = uniform(next, n);
    const grad = uniform(next, n).map((v, i) => (i === 0 ? 0 : v * 10));
    const m = uniform(next, n).map((v) => v * 0.1);
    const v = uniform(next, n).map((x) => x * x);
    const out = { param: new Float32Array(n), m: new Float32Array(n), v: new Float32Array(n) };
    const step = {
      learningRate: 3e-4,
      beta1: 0.9,
      beta2: 0.999,
      epsilon: 1e-7,
      accBeta1: Math.fround(0.9 ** 3),
      accBeta2: Math.fround(0.999 ** 3),
    };
    adamUpdate(param, grad, m, v, out, step);
    for (let i = 0; i < n; i++) {
      const [p1, m1, v1] = adamReference(param[i]!, grad[i]!, m[i]!, v[i]!, step);
      expect([out.param[i], out.m[i], out.v[i]]).toEqual([p1, m1, v1]);
    }
  });

  describe('bad arguments', () => {
    const g = geometries[2]!;
    const x = new Float32Array(inputLength(g));
    const w = new Float32Array(filterLength(g));

    it('a wrong type is a TypeError naming the argument', () => {
      const y = new Float32Array(outputLength(g));
      expect(() => conv2d(new Float64Array(x.length) as unknown as Float32Array, w, y, g)).toThrow(
        new TypeError('x must be a Float32Array'),
      );
      expect(() => conv2dBackpropFilter(x, [] as unknown as Float32Array, w, g)).toThrow(
        new TypeError('dy must be a Float32Array'),
      );
      expect(() => unsortedSegmentSum(x, new Float32Array(1) as unknown as Int32Array, 1, x)).toThrow(
        new TypeError('segmentIds must be a Int32Array'),
      );
      expect(() => conv2d(x, w, y, { ...g, padTop: '1' as unknown as number })).toThrow(
        new TypeError('geometry.padTop must be a number'),
      );
    });

    it('a wrong length or value is a RangeError naming it, and nothing is written', () => {
      const y = new Float32Array(outputLength(g)).fill(5);
      expect(() => conv2d(x, w.subarray(1), y, g)).toThrow(
        new RangeError(`filter must have length ${w.length}, got ${w.length - 1}`),
      );
      expect(() => conv2d(x, w, y, { ...g, strideWidth: 0 })).toThrow(
        new RangeError('geometry.strideWidth must be at least 1, got 0'),
      );
      expect(() => conv2d(x, w, y, { ...g, padLeft: 1.5 })).toThrow(
        new RangeError('geometry.padLeft must be an integer in [0, 2147483647], got 1.5'),
      );
      expect(() => conv2d(x, w, y, g, { activation: 'tanh' as 'relu' })).toThrow(
        new RangeError("activation must be 'linear' or 'relu', got \"tanh\""),
      );
      expect(() => conv2d(x, w, y, g, { bias: new Float32Array(3) })).toThrow(
        new RangeError(`bias must have length ${g.outChannels}, got 3`),
      );
      expect(() => matMul(x, w, y, { m: 2, k: 3, n: 4, batchA: 2, batchB: 3 })).toThrow(
        new RangeError('shape.batchA (2) and shape.batchB (3) must be equal or one of them 1'),
      );
      expect(() => conv2d(x, w, y, g, { threads: -1 })).toThrow(
        new RangeError('threads must be an integer in [1, 1024], got -1'),
      );
      // 0 threads is a caller's bug, not a request for one thread.
      expect(() => conv2d(x, w, y, g, { threads: 0 })).toThrow(
        new RangeError('threads must be an integer in [1, 1024], got 0'),
      );
      expect(() => matMul(x, w, y, { m: 1, k: 1, n: 1 }, { threads: 0 })).toThrow(
        new RangeError('threads must be an integer in [1, 1024], got 0'),
      );
      expect(y.every((v) => v === 5)).toBe(true);
    });

    it('an output that overlaps an input is refused', () => {
      const heap = new Float32Array(inputLength(g) + outputLength(g));
      const xs = heap.subarray(0, inputLength(g));
      const y = heap.subarray(1, 1 + outputLength(g));
      expect(() => conv2d(xs, w, y, g)).toThrow(new RangeError('y must not share memory with x'));
      const p = new Float32Array(4);
      const step = { learningRate: 1, beta1: 0.9, beta2: 0.99, epsilon: 1e-7, accBeta1: 0.9, accBeta2: 0.99 };
      expect(() =>
        adamUpdate(p, p, p, p, { param: new Float32Array(4), m: p, v: new Float32Array(4) }, step),
      ).toThrow(new RangeError('mOut must not share memory with param'));
      expect(() =>
        adamUpdate(
          p,
          p,
          p,
          p,
          { param: new Float32Array(4), m: new Float32Array(4), v: new Float32Array(4) },
          { ...step, beta2: 1 },
        ),
      ).toThrow(new RangeError('hyper.beta2 must be in [0, 1), got 1'));
    });
  });
});
