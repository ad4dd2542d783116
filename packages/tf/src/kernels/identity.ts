/**
 * `Identity` sharing its input's memory, as the cpu backend's does, instead of the wasm backend's
 * copy. The engine clones every tensor a gradient will need through this kernel, so on a
 * Nature-CNN update the copies add up to tens of megabytes; tensors are immutable, so a shared,
 * reference-counted buffer is the same value.
 */
import { Identity, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs-core';
import { replacing } from './fallback.js';

export function identityConfig(original: KernelConfig | undefined): KernelConfig {
  return replacing(Identity, original, ({ inputs, backend }) => {
    const { x } = inputs as { x: TensorInfo };
    (backend as { incRef(dataId: object): void }).incRef(x.dataId);
    return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
  });
}
