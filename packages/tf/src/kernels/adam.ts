/**
 * `AcmeAdam`: one whole Adam step for one variable as a single kernel (a custom kernel name, so it
 * never shadows a TensorFlow.js one). `tf.train.adam` runs about 15 elementwise kernels per
 * variable; on small networks their fixed cost dominates an update. The Rust step rounds each
 * operation to float32 in TensorFlow.js's order, so the numbers are the same.
 */
import { adamUpdate } from '@acme-ts/native';
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { kernelOptions } from './binding.js';
import { f32, type WasmHeapBackend, withOutputs } from './wasm_heap.js';

export const ACME_ADAM = 'AcmeAdam';

export interface AcmeAdamAttrs {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** beta1^t for this step t (starting at 1), as float32. */
  accBeta1: number;
  accBeta2: number;
}

export function acmeAdamConfig(): KernelConfig {
  return {
    kernelName: ACME_ADAM,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend: b, attrs }) => {
      const backend = b as WasmHeapBackend;
      const { param, grad, m, v } = inputs as Record<'param' | 'grad' | 'm' | 'v', TensorInfo>;
      const shape = param.shape;
      return withOutputs<[TensorInfo, TensorInfo, TensorInfo]>(
        backend,
        [
          [shape, 'float32'],
          [shape, 'float32'],
          [shape, 'float32'],
        ],
        (p1, m1, v1) =>
          adamUpdate(
            f32(backend, param, 'param'),
            f32(backend, grad, 'grad'),
            f32(backend, m, 'm'),
            f32(backend, v, 'v'),
            { param: f32(backend, p1, 'paramOut'), m: f32(backend, m1, 'mOut'), v: f32(backend, v1, 'vOut') },
            attrs as unknown as AcmeAdamAttrs,
            kernelOptions(),
          ),
      );
    },
  };
}
