/**
 * What the kernels use of the TensorFlow.js wasm backend (`BackendWasm`): tensors live in its
 * WebAssembly memory, and `typedArrayFromHeap` gives a view of one without copying. The N-API
 * addon of `@acme-ts/native` reads and writes such views in place.
 */
import type { DataType, TensorInfo } from '@tensorflow/tfjs-core';

export interface WasmHeapBackend {
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array | Uint8Array;
  disposeData(dataId: object, force?: boolean): boolean;
}

/**
 * Allocates the outputs, then runs `fill` on them; if it throws, the outputs are released so a
 * refused call leaks nothing.
 */
export function withOutputs<T extends TensorInfo[]>(
  backend: WasmHeapBackend,
  specs: { [K in keyof T]: [number[], DataType] },
  fill: (...outputs: T) => void,
): T {
  const outputs = specs.map(([shape, dtype]) => backend.makeOutput(shape, dtype)) as T;
  try {
    fill(...outputs);
  } catch (err) {
    for (const o of outputs) backend.disposeData(o.dataId, true);
    throw err;
  }
  return outputs;
}

/**
 * A float32 view of `info`. Take views only after the last `makeOutput` of a kernel: an
 * allocation may grow the memory, which detaches earlier views.
 */
export function f32(backend: WasmHeapBackend, info: TensorInfo, name: string): Float32Array {
  if (info.dtype !== 'float32') throw new TypeError(`${name} must be float32, got ${info.dtype}`);
  return backend.typedArrayFromHeap(info) as Float32Array;
}

export function i32(backend: WasmHeapBackend, info: TensorInfo, name: string): Int32Array {
  if (info.dtype !== 'int32') throw new TypeError(`${name} must be int32, got ${info.dtype}`);
  return backend.typedArrayFromHeap(info) as Int32Array;
}
