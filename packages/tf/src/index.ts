/**
 * @acme-ts/tf: TensorFlow.js for acme-ts.
 *
 * - `selectBackend()`: tensorflow (tfjs-node-gpu, tfjs-node) -> wasm -> cpu, printing the choice.
 * - Rust kernels that let the wasm backend train convolutional networks and gathers, and make
 *   dense training fast (`registerWasmKernels`, done by `selectBackend`), plus a fused `adam`.
 * - Seeded networks: `mlp`, `natureCnn`, `qNetwork` with linear, dueling or C51 heads.
 * - Weight transfer as flat Float32Arrays (`getVariables`/`setVariables`), save/load in the
 *   TensorFlow.js layers format (`saveModel`/`loadModel`, `file://` URLs), and `NativeMlp` for
 *   acting without TensorFlow.js overhead.
 *
 * `tf` and `tfl` re-export the TensorFlow.js core and layers this package uses: use them, not a
 * second copy, so that kernels and models share one engine.
 */
import { registerFileSystem } from './io/file_system.js';
import { registerWasmKernels } from './kernels/register.js';

export * as tf from '@tensorflow/tfjs-core';
export * as tfl from '@tensorflow/tfjs-layers';
export { AcmeAdamOptimizer, adam } from './adam.js';
export {
  BACKEND_ORDER,
  type BackendName,
  type BackendSelection,
  currentBackend,
  type SelectBackendOptions,
  selectBackend,
  TENSORFLOW_PACKAGES,
} from './backend.js';
export { fileSystem, registerFileSystem } from './io/file_system.js';
export { loadModel, saveModel } from './io/save_load.js';
export { ACME_ADAM } from './kernels/adam.js';
export { type RegisterOptions, registerWasmKernels, unregisterWasmKernels } from './kernels/register.js';
export { NativeMlp } from './native_mlp.js';
export { type C51Options, c51Head, c51QValues, c51Support } from './networks/c51.js';
export { DuelingCombine, type DuelingOptions, duelingHead } from './networks/dueling.js';
export { FusedDense, type FusedDenseArgs } from './networks/fused_dense.js';
export { type HiddenActivation, type MlpOptions, mlp, mlpLayers } from './networks/mlp.js';
export { type NatureCnnOptions, natureCnn, natureCnnLayers } from './networks/nature_cnn.js';
export { type Head, type QNetworkOptions, qNetwork, type Torso } from './networks/q_network.js';
export { Seeds } from './networks/seeds.js';
export { type DenseActivation, dense } from './ops/dense.js';
export { getVariables, setVariables, variableSize } from './variables.js';

// Importing the package makes the wasm backend able to train every network here, and file://
// URLs usable for save/load, whichever way the backend is then chosen.
registerWasmKernels();
registerFileSystem();
