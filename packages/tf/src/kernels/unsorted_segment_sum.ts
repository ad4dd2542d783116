/**
 * `UnsortedSegmentSum`, which the wasm backend lacks: it is the gradient of `gather`, so without
 * it nothing that indexes a tensor (Q-values by action, C51's projection) could train on wasm.
 * Rows with a negative id are dropped; an id past `numSegments` is an error, as in TensorFlow.
 */
import { unsortedSegmentSum } from '@acme-ts/native';
import {
  type KernelConfig,
  type TensorInfo,
  UnsortedSegmentSum,
  type UnsortedSegmentSumAttrs,
  util,
} from '@tensorflow/tfjs-core';
import { kernelOptions } from './binding.js';
import { replacing } from './fallback.js';
import { f32, i32, type WasmHeapBackend, withOutputs } from './wasm_heap.js';

export function unsortedSegmentSumConfig(): KernelConfig {
  return replacing(UnsortedSegmentSum, undefined, ({ inputs, backend: b, attrs }) => {
    const backend = b as WasmHeapBackend;
    const { x, segmentIds } = inputs as { x: TensorInfo; segmentIds: TensorInfo };
    const { numSegments } = attrs as unknown as UnsortedSegmentSumAttrs;
    const rank = segmentIds.shape.length;
    util.assert(
      util.arraysEqual(x.shape.slice(0, rank), segmentIds.shape),
      () => `UnsortedSegmentSum: segmentIds shape ${segmentIds.shape} must be a prefix of x shape ${x.shape}`,
    );
    const shape = [numSegments, ...x.shape.slice(rank)];
    const [out] = withOutputs<[TensorInfo]>(backend, [[shape, x.dtype]], (o) => {
      const ids = i32(backend, segmentIds, 'segmentIds');
      if (x.dtype === 'float32') {
        unsortedSegmentSum(f32(backend, x, 'x'), ids, numSegments, f32(backend, o, 'out'), kernelOptions());
        return;
      }
      // int32 data (rare: integer gathers are not differentiated) with the same rules, in place.
      if (x.dtype !== 'int32')
        throw new TypeError(`UnsortedSegmentSum: x must be float32 or int32, got ${x.dtype}`);
      const data = i32(backend, x, 'x');
      const dst = i32(backend, o, 'out');
      const inner = ids.length === 0 ? 0 : data.length / ids.length;
      ids.forEach((id, i) => {
        if (id >= numSegments)
          throw new RangeError(`segmentIds[${i}] = ${id} is out of range [0, ${numSegments})`);
      });
      dst.fill(0);
      ids.forEach((id, r) => {
        if (id < 0) return;
        for (let j = 0; j < inner; j++) dst[id * inner + j]! += data[r * inner + j]!;
      });
    });
    return out;
  });
}
