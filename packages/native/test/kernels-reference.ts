/** Plain-TypeScript oracles for the training kernels: the definitions, accumulated in float64. */
import type { Conv2dGeometry } from '../src/kernels.js';

type Geometry = Required<Conv2dGeometry>;

export function withDilation(g: Conv2dGeometry): Geometry {
  return { dilationHeight: 1, dilationWidth: 1, ...g };
}

export function inputLength(g: Conv2dGeometry): number {
  return g.batch * g.inHeight * g.inWidth * g.inChannels;
}
export function outputLength(g: Conv2dGeometry): number {
  return g.batch * g.outHeight * g.outWidth * g.outChannels;
}
export function filterLength(g: Conv2dGeometry): number {
  return g.filterHeight * g.filterWidth * g.inChannels * g.outChannels;
}

/** Calls `f(xIndex, yIndex, wIndex)` for every multiply-add of the convolution. */
function forEachTap(geometry: Conv2dGeometry, f: (xi: number, yi: number, wi: number) => void): void {
  const g = withDilation(geometry);
  for (let b = 0; b < g.batch; b++)
    for (let oy = 0; oy < g.outHeight; oy++)
      for (let ox = 0; ox < g.outWidth; ox++)
        for (let ky = 0; ky < g.filterHeight; ky++) {
          const iy = oy * g.strideHeight + ky * g.dilationHeight - g.padTop;
          if (iy < 0 || iy >= g.inHeight) continue;
          for (let kx = 0; kx < g.filterWidth; kx++) {
            const ix = ox * g.strideWidth + kx * g.dilationWidth - g.padLeft;
            if (ix < 0 || ix >= g.inWidth) continue;
            for (let ic = 0; ic < g.inChannels; ic++)
              for (let oc = 0; oc < g.outChannels; oc++) {
                const xi = ((b * g.inHeight + iy) * g.inWidth + ix) * g.inChannels + ic;
                const yi = ((b * g.outHeight + oy) * g.outWidth + ox) * g.outChannels + oc;
                const wi = ((ky * g.filterWidth + kx) * g.inChannels + ic) * g.outChannels + oc;
                f(xi, yi, wi);
              }
          }
        }
}

export function conv2dReference(g: Conv2dGeometry, x: Float32Array, w: Float32Array): Float64Array {
  const y = new Float64Array(outputLength(g));
  forEachTap(g, (xi, yi, wi) => {
    y[yi]! += x[xi]! * w[wi]!;
  });
  return y;
}

export function conv2dBackpropFilterReference(
  g: Conv2dGeometry,
  x: Float32Array,
  dy: Float32Array,
): Float64Array {
  const dw = new Float64Array(filterLength(g));
  forEachTap(g, (xi, yi, wi) => {
    dw[wi]! += x[xi]! * dy[yi]!;
  });
  return dw;
}

export function conv2dBackpropInputReference(
  g: Conv2dGeometry,
  dy: Float32Array,
  w: Float32Array,
): Float64Array {
  const dx = new Float64Array(inputLength(g));
  forEachTap(g, (xi, yi, wi) => {
    dx[xi]! += dy[yi]! * w[wi]!;
  });
  return dx;
}

export function matMulReference(
  a: Float32Array,
  b: Float32Array,
  m: number,
  k: number,
  n: number,
  transposeA = false,
  transposeB = false,
): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let kk = 0; kk < k; kk++) {
        const av = transposeA ? a[kk * m + i]! : a[i * k + kk]!;
        const bv = transposeB ? b[j * k + kk]! : b[kk * n + j]!;
        s += av * bv;
      }
      out[i * n + j] = s;
    }
  return out;
}

/** `Math.fround` at every step, in TensorFlow.js's order: what `tf.train.adam` computes. */
export function adamReference(
  p: number,
  g: number,
  m: number,
  v: number,
  s: {
    learningRate: number;
    beta1: number;
    beta2: number;
    epsilon: number;
    accBeta1: number;
    accBeta2: number;
  },
): [number, number, number] {
  const f = Math.fround;
  const m1 = f(f(m * f(s.beta1)) + f(g * f(1 - s.beta1)));
  const v1 = f(f(v * f(s.beta2)) + f(f(g * g) * f(1 - s.beta2)));
  const cm = f(m1 / f(1 - f(s.accBeta1)));
  const cv = f(v1 / f(1 - f(s.accBeta2)));
  const p1 = f(f(f(cm / f(f(Math.sqrt(cv)) + f(s.epsilon))) * f(-s.learningRate)) + p);
  return [p1, m1, v1];
}

export function expectClose(got: Float32Array, want: Float64Array, what: string, tolerance = 1e-4): void {
  if (got.length !== want.length) throw new Error(`${what}: length ${got.length}, want ${want.length}`);
  for (let i = 0; i < got.length; i++) {
    const w = want[i]!;
    if (!(Math.abs(got[i]! - w) <= tolerance * (1 + Math.abs(w)))) {
      throw new Error(`${what}: element ${i} is ${got[i]}, want ${w}`);
    }
  }
}
