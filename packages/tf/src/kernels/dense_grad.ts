/**
 * `AcmeDenseGrad`: a dense layer's three gradients (dx, dw, db) in one kernel, for the `dense`
 * op (src/ops/dense.ts). TensorFlow.js runs a ReLU layer's backward step as six to ten kernels
 * (step, multiply, two products with their reshapes, a sum); on small networks their fixed cost is
 * most of an update.
 */
import { denseBackward } from '@acme-ts/native';
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { kernelOptions } from './binding.js';
import { f32, type WasmHeapBackend, withOutputs } from './wasm_heap.js';

export const ACME_DENSE_GRAD = 'AcmeDenseGrad';

export function denseGradConfig(): KernelConfig {
  return {
    kernelName: ACME_DENSE_GRAD,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend: b, attrs }) => {
      const backend = b as WasmHeapBackend;
      const { x, w, y, dy } = inputs as Record<'x' | 'w' | 'y' | 'dy', TensorInfo>;
      const { activation } = attrs as unknown as { activation: 'linear' | 'relu' };
      const [m, k] = x.shape as [number, number];
      const n = w.shape[1]!;
      return withOutputs<[TensorInfo, TensorInfo, TensorInfo]>(
        backend,
        [
          [[m, k], 'float32'],
          [[k, n], 'float32'],
          [[n], 'float32'],
        ],
        (dx, dw, db) =>
          denseBackward(
            f32(backend, x, 'x'),
            f32(backend, w, 'w'),
            f32(backend, y, 'y'),
            f32(backend, dy, 'dy'),
            { dx: f32(backend, dx, 'dx'), dw: f32(backend, dw, 'dw'), db: f32(backend, db, 'db') },
            { m, k, n },
            { activation, ...kernelOptions() },
          ),
      );
    },
  };
}
