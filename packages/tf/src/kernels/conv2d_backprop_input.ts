/**
 * `Conv2DBackpropInput` in Rust: the wasm backend has one, but as plain loops it takes about
 * 70 ms for the Nature CNN's second layer at batch 32, more than a whole update should.
 */
import { conv2dBackpropInput } from '@acme-ts/native';
import {
  backend_util,
  Conv2DBackpropInput,
  type Conv2DBackpropInputAttrs,
  type KernelConfig,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { kernelOptions } from './binding.js';
import { replacing } from './fallback.js';
import { geometryOf } from './geometry.js';
import { f32, type WasmHeapBackend, withOutputs } from './wasm_heap.js';

type Shape4 = [number, number, number, number];

export function conv2dBackpropInputConfig(original: KernelConfig | undefined): KernelConfig {
  return replacing(Conv2DBackpropInput, original, ({ inputs, backend: b, attrs }) => {
    const backend = b as WasmHeapBackend;
    const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
    const a = attrs as unknown as Conv2DBackpropInputAttrs;
    if (dy.dtype !== 'float32' || filter.dtype !== 'float32') return undefined;
    const info = backend_util.computeConv2DInfo(
      a.inputShape,
      filter.shape as Shape4,
      a.strides,
      1,
      a.pad,
      a.dimRoundingMode,
      false,
      backend_util.convertConv2DDataFormat(a.dataFormat),
    );
    const geometry = geometryOf(info);
    if (!geometry) return undefined;
    const [dx] = withOutputs<[TensorInfo]>(backend, [[info.inShape, 'float32']], (out) =>
      conv2dBackpropInput(
        f32(backend, dy, 'dy'),
        f32(backend, filter, 'filter'),
        f32(backend, out, 'dx'),
        geometry,
        kernelOptions(),
      ),
    );
    return dx;
  });
}
