/**
 * `Conv2D` and `FusedConv2D` on the wasm backend through the Rust GEMM (threads over N-API),
 * replacing XNNPACK's single-threaded convolution. Bias and ReLU are fused; other activations,
 * PReLU weights and NCHW data go to the backend's own kernel.
 */
import { conv2d } from '@acme-ts/native';
import {
  backend_util,
  Conv2D,
  type Conv2DAttrs,
  FusedConv2D,
  type FusedConv2DAttrs,
  type KernelConfig,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { kernelOptions } from './binding.js';
import { replacing } from './fallback.js';
import { geometryOf } from './geometry.js';
import { f32, type WasmHeapBackend, withOutputs } from './wasm_heap.js';

type Shape4 = [number, number, number, number];

function run(
  backend: WasmHeapBackend,
  x: TensorInfo,
  filter: TensorInfo,
  bias: TensorInfo | undefined,
  attrs: Conv2DAttrs,
  activation: 'linear' | 'relu',
): TensorInfo | undefined {
  if (x.dtype !== 'float32' || filter.dtype !== 'float32') return undefined;
  const info = backend_util.computeConv2DInfo(
    x.shape as Shape4,
    filter.shape as Shape4,
    attrs.strides,
    attrs.dilations,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    backend_util.convertConv2DDataFormat(attrs.dataFormat),
  );
  const geometry = geometryOf(info);
  if (!geometry) return undefined;
  if (bias && (bias.dtype !== 'float32' || bias.shape.length !== 1 || bias.shape[0] !== info.outChannels)) {
    return undefined;
  }
  const [y] = withOutputs<[TensorInfo]>(backend, [[info.outShape, 'float32']], (out) => {
    const b = bias ? f32(backend, bias, 'bias') : undefined;
    conv2d(f32(backend, x, 'x'), f32(backend, filter, 'filter'), f32(backend, out, 'y'), geometry, {
      ...(b ? { bias: b } : {}),
      activation,
      ...kernelOptions(),
    });
  });
  return y;
}

export function conv2dConfig(original: KernelConfig | undefined): KernelConfig {
  return replacing(Conv2D, original, ({ inputs, backend, attrs }) => {
    const { x, filter } = inputs as { x: TensorInfo; filter: TensorInfo };
    return run(backend as WasmHeapBackend, x, filter, undefined, attrs as unknown as Conv2DAttrs, 'linear');
  });
}

export function fusedConv2dConfig(original: KernelConfig | undefined): KernelConfig {
  return replacing(FusedConv2D, original, ({ inputs, backend, attrs }) => {
    const { x, filter, bias, preluActivationWeights } = inputs as {
      x: TensorInfo;
      filter: TensorInfo;
      bias?: TensorInfo;
      preluActivationWeights?: TensorInfo;
    };
    const a = attrs as unknown as FusedConv2DAttrs;
    if (preluActivationWeights || (a.activation !== 'linear' && a.activation !== 'relu')) return undefined;
    return run(backend as WasmHeapBackend, x, filter, bias ?? undefined, a, a.activation);
  });
}
