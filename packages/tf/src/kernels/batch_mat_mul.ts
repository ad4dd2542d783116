/**
 * `BatchMatMul` and `_FusedMatMul` in Rust. The wasm backend's own products are fine untransposed
 * but fall back to slow loops when an operand is transposed, which every dense layer's gradient
 * does: about 1.3 ms for a 128 x 120 x 84 product, 50 ms for the Nature CNN's 3136 x 512 layer.
 */
import { matMul } from '@acme-ts/native';
import {
  BatchMatMul,
  type BatchMatMulAttrs,
  broadcast_util,
  _FusedMatMul as FusedMatMul,
  type _FusedMatMulAttrs as FusedMatMulAttrs,
  type KernelConfig,
  type TensorInfo,
  util,
} from '@tensorflow/tfjs-core';
import { kernelOptions } from './binding.js';
import { replacing } from './fallback.js';
import { f32, type WasmHeapBackend, withOutputs } from './wasm_heap.js';

function run(
  backend: WasmHeapBackend,
  a: TensorInfo,
  b: TensorInfo,
  transposeA: boolean,
  transposeB: boolean,
  bias: TensorInfo | undefined,
  activation: 'linear' | 'relu',
): TensorInfo | undefined {
  if (a.dtype !== 'float32' || b.dtype !== 'float32' || a.shape.length < 2 || b.shape.length < 2)
    return undefined;
  const ra = a.shape.length;
  const rb = b.shape.length;
  const m = transposeA ? a.shape[ra - 1]! : a.shape[ra - 2]!;
  const k = transposeA ? a.shape[ra - 2]! : a.shape[ra - 1]!;
  const kb = transposeB ? b.shape[rb - 1]! : b.shape[rb - 2]!;
  const n = transposeB ? b.shape[rb - 2]! : b.shape[rb - 1]!;
  util.assert(
    k === kb,
    () =>
      `Error in matMul: inner shapes (${k}) and (${kb}) of Tensors with shapes ${a.shape} and ${b.shape} and transposeA=${transposeA} and transposeB=${transposeB} must match.`,
  );
  const outer = broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
  const batchA = util.sizeFromShape(a.shape.slice(0, -2));
  const batchB = util.sizeFromShape(b.shape.slice(0, -2));
  // Only "same batch" or "one side is a single matrix" flattens to the Rust kernel's batches.
  if (batchA !== batchB && batchA !== 1 && batchB !== 1) return undefined;
  if (bias) {
    const last = bias.shape[bias.shape.length - 1];
    if (bias.dtype !== 'float32' || util.sizeFromShape(bias.shape) !== n || (n > 1 && last !== n))
      return undefined;
  }
  const [out] = withOutputs<[TensorInfo]>(backend, [[[...outer, m, n], 'float32']], (o) => {
    const biasView = bias ? f32(backend, bias, 'bias') : undefined;
    matMul(
      f32(backend, a, 'a'),
      f32(backend, b, 'b'),
      f32(backend, o, 'out'),
      { m, k, n, batchA, batchB, transposeA, transposeB },
      { ...(biasView ? { bias: biasView } : {}), activation, ...kernelOptions() },
    );
  });
  return out;
}

export function batchMatMulConfig(original: KernelConfig | undefined): KernelConfig {
  return replacing(BatchMatMul, original, ({ inputs, backend, attrs }) => {
    const { a, b } = inputs as { a: TensorInfo; b: TensorInfo };
    const { transposeA, transposeB } = attrs as unknown as BatchMatMulAttrs;
    return run(backend as WasmHeapBackend, a, b, transposeA, transposeB, undefined, 'linear');
  });
}

export function fusedMatMulConfig(original: KernelConfig | undefined): KernelConfig {
  return replacing(FusedMatMul, original, ({ inputs, backend, attrs }) => {
    const { a, b, bias, preluActivationWeights } = inputs as {
      a: TensorInfo;
      b: TensorInfo;
      bias?: TensorInfo;
      preluActivationWeights?: TensorInfo;
    };
    const { transposeA, transposeB, activation } = attrs as unknown as FusedMatMulAttrs;
    if (preluActivationWeights || (activation !== 'linear' && activation !== 'relu')) return undefined;
    return run(backend as WasmHeapBackend, a, b, transposeA, transposeB, bias ?? undefined, activation);
  });
}
