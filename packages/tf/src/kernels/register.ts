/**
 * Registers the Rust kernels with the TensorFlow.js wasm backend: the two it lacks
 * (`Conv2DBackpropFilter`, `UnsortedSegmentSum`), faster replacements for the ones that dominate a
 * training step (`Conv2D`, `FusedConv2D`, `Conv2DBackpropInput`, `BatchMatMul`, `_FusedMatMul`,
 * a copy-free `Identity`), the fused `AcmeAdam` step and `AcmeDenseGrad` (a dense layer's
 * backward step in one kernel, for `FusedDense`). Replacements hand the calls they do not
 * cover (NCHW data, other activations) to the backend's own kernel.
 */
import type { Binding } from '@acme-ts/native';
import '@tensorflow/tfjs-backend-wasm';
import {
  BatchMatMul,
  Conv2D,
  Conv2DBackpropInput,
  FusedConv2D,
  _FusedMatMul as FusedMatMul,
  getKernel,
  Identity,
  type KernelConfig,
  registerKernel,
  unregisterKernel,
} from '@tensorflow/tfjs-core';
import { acmeAdamConfig } from './adam.js';
import { batchMatMulConfig, fusedMatMulConfig } from './batch_mat_mul.js';
import { setKernelBinding } from './binding.js';
import { conv2dConfig, fusedConv2dConfig } from './conv2d.js';
import { conv2dBackpropFilterConfig } from './conv2d_backprop_filter.js';
import { conv2dBackpropInputConfig } from './conv2d_backprop_input.js';
import { denseGradConfig } from './dense_grad.js';
import { identityConfig } from './identity.js';
import { unsortedSegmentSumConfig } from './unsorted_segment_sum.js';

/** The backend's own kernels we replaced (undefined: it had none), to put back on unregister. */
let originals: Map<string, KernelConfig | undefined> | undefined;

export interface RegisterOptions {
  /** The `@acme-ts/native` binary the kernels call; default the one `native()` selects. */
  binding?: Binding;
}

/**
 * Registers the kernels (once; a later call only changes the binding, when it names one).
 * Returns their names.
 */
export function registerWasmKernels(options: RegisterOptions = {}): string[] {
  if ('binding' in options) setKernelBinding(options.binding);
  if (originals) return [...originals.keys()];
  const own = (name: string): KernelConfig | undefined => getKernel(name, 'wasm');
  const configs = [
    conv2dBackpropFilterConfig(),
    unsortedSegmentSumConfig(),
    conv2dConfig(own(Conv2D)),
    fusedConv2dConfig(own(FusedConv2D)),
    conv2dBackpropInputConfig(own(Conv2DBackpropInput)),
    batchMatMulConfig(own(BatchMatMul)),
    fusedMatMulConfig(own(FusedMatMul)),
    identityConfig(own(Identity)),
    acmeAdamConfig(),
    denseGradConfig(),
  ];
  originals = new Map();
  for (const config of configs) {
    const original = own(config.kernelName);
    originals.set(config.kernelName, original);
    if (original) unregisterKernel(config.kernelName, 'wasm');
    registerKernel(config);
  }
  return [...originals.keys()];
}

/** Puts the wasm backend's own kernels back (for comparisons): conv training stops working. */
export function unregisterWasmKernels(): void {
  if (!originals) return;
  for (const [name, original] of originals) {
    unregisterKernel(name, 'wasm');
    if (original) registerKernel(original);
  }
  originals = undefined;
  setKernelBinding(undefined);
}
