import { layers, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import { FusedDense } from './fused_dense.js';
import type { Seeds } from './seeds.js';

export type DenseLayerActivation = 'linear' | 'relu' | 'tanh' | 'elu';

/**
 * A dense layer on `x`: `FusedDense` for ReLU and linear (two kernels per training step on wasm),
 * tfjs-layers' `Dense` for the other activations. Both draw a Glorot-uniform kernel from the next
 * seed and start with a zero bias.
 */
export function denseLayer(
  x: SymbolicTensor,
  units: number,
  activation: DenseLayerActivation,
  seeds: Seeds,
  name: string,
): SymbolicTensor {
  const layer =
    activation === 'relu' || activation === 'linear'
      ? new FusedDense({ units, activation, seed: seeds.take(), name })
      : layers.dense({ units, activation, kernelInitializer: seeds.kernel(), name });
  return layer.apply(x) as SymbolicTensor;
}
