/**
 * `y = activation(x · w + b)` for a batch of vectors, as one kernel forward (`_FusedMatMul`) and
 * one backward (`AcmeDenseGrad`) on the wasm backend with the Rust kernels, through a custom
 * gradient. Elsewhere it is exactly `tf.fused.matMul`. The values are those of TensorFlow.js's own
 * dense layer; only the number of kernels differs (a ReLU layer under a gradient tape otherwise
 * runs unfused: product, bias add, ReLU, and six to ten kernels backward).
 */
import {
  _FusedMatMul,
  customGrad,
  engine,
  fused,
  getBackend,
  getKernel,
  type Tensor,
  type Tensor1D,
  type Tensor2D,
} from '@tensorflow/tfjs-core';
import { ACME_DENSE_GRAD } from '../kernels/dense_grad.js';

export type DenseActivation = 'linear' | 'relu';

function withGradient(activation: DenseActivation) {
  // customGrad passes the inputs and then the save function as one rest list.
  return customGrad((...args: (Tensor | ((tensors: Tensor[]) => void))[]) => {
    const [x, w, b, save] = args as [Tensor, Tensor, Tensor, (tensors: Tensor[]) => void];
    const y = engine().runKernel(
      _FusedMatMul,
      { a: x, b: w, bias: b },
      { transposeA: false, transposeB: false, activation, leakyreluAlpha: 0 },
    ) as Tensor;
    save([x, w, y]);
    return {
      value: y,
      gradFunc: (dy: Tensor, saved: Tensor[]) => {
        const [sx, sw, sy] = saved;
        return engine().runKernel(
          ACME_DENSE_GRAD,
          { x: sx!, w: sw!, y: sy!, dy },
          { activation },
        ) as Tensor[];
      },
    };
  });
}

const ops = { linear: withGradient('linear'), relu: withGradient('relu') };

export function dense(x: Tensor2D, w: Tensor2D, b: Tensor1D, activation: DenseActivation): Tensor2D {
  if (x.rank === 2 && x.dtype === 'float32' && getKernel(ACME_DENSE_GRAD, getBackend())) {
    return ops[activation](x, w, b) as Tensor2D;
  }
  return fused.matMul({ a: x, b: w, bias: b, activation }) as Tensor2D;
}
