/**
 * `Conv2DBackpropFilter`, which the wasm backend lacks (so no convolution could train on it):
 * the filter gradient in Rust, reading `x` and `dy` in place in the backend's memory.
 */
import { conv2dBackpropFilter } from '@acme-ts/native';
import {
  backend_util,
  Conv2DBackpropFilter,
  type Conv2DBackpropFilterAttrs,
  type KernelConfig,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { kernelOptions } from './binding.js';
import { replacing } from './fallback.js';
import { geometryOf } from './geometry.js';
import { f32, type WasmHeapBackend, withOutputs } from './wasm_heap.js';

type Shape4 = [number, number, number, number];

export function conv2dBackpropFilterConfig(): KernelConfig {
  return replacing(Conv2DBackpropFilter, undefined, ({ inputs, backend: b, attrs }) => {
    const backend = b as WasmHeapBackend;
    const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
    const a = attrs as unknown as Conv2DBackpropFilterAttrs;
    // TensorFlow.js takes the gradient only for dilation 1 (its conv2d gradient asserts it).
    const info = backend_util.computeConv2DInfo(
      x.shape as Shape4,
      a.filterShape,
      a.strides,
      1,
      a.pad,
      a.dimRoundingMode,
      false,
      backend_util.convertConv2DDataFormat(a.dataFormat),
    );
    const geometry = geometryOf(info);
    if (!geometry)
      throw new Error(`Conv2DBackpropFilter on the wasm backend supports NHWC only, got ${a.dataFormat}`);
    const [dw] = withOutputs<[TensorInfo]>(backend, [[info.filterShape, 'float32']], (out) =>
      conv2dBackpropFilter(
        f32(backend, x, 'x'),
        f32(backend, dy, 'dy'),
        f32(backend, out, 'dfilter'),
        geometry,
        kernelOptions(),
      ),
    );
    return dw;
  });
}
