/**
 * Weight transfer between a learner's network and its actors' copies as one flat Float32Array
 * (Acme's `VariableSource.get_variables` / `VariableClient.update`): the model's weights in
 * `model.weights` order, each row-major. A flat array crosses worker threads and processes
 * without any TensorFlow.js object, and copying it costs about a millisecond per million weights.
 */
import { backend, getBackend, type Tensor, type TensorInfo, tensor, tidy } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';

interface WeightsHolder {
  readonly weights: { read(): Tensor; write(value: Tensor): void; readonly shape: (number | null)[] }[];
}

/** Elements of a weight (weights always have concrete shapes). */
function sizeOf(shape: (number | null)[]): number {
  return shape.reduce<number>((a, b) => a * (b ?? 0), 1);
}

/** Number of floats `getVariables` produces for `model`. */
export function variableSize(model: LayersModel | WeightsHolder): number {
  return model.weights.reduce((n, w) => n + sizeOf(w.shape), 0);
}

/**
 * Copies every weight of `model` into `out` (allocated when absent) and returns it. On the wasm
 * backend values are copied straight out of its memory.
 */
export function getVariables(model: LayersModel | WeightsHolder, out?: Float32Array): Float32Array {
  const size = variableSize(model);
  if (out !== undefined) {
    if (!(out instanceof Float32Array)) throw new TypeError('out must be a Float32Array');
    if (out.length !== size) throw new RangeError(`out must have length ${size}, got ${out.length}`);
  }
  const flat = out ?? new Float32Array(size);
  const heap =
    getBackend() === 'wasm'
      ? (backend() as unknown as { typedArrayFromHeap(t: TensorInfo): Float32Array })
      : null;
  let offset = 0;
  for (const w of model.weights) {
    const value = w.read();
    if (value.dtype !== 'float32')
      throw new TypeError(`weight of dtype ${value.dtype} cannot be transferred`);
    const data = heap ? heap.typedArrayFromHeap(value) : (value.dataSync() as Float32Array);
    flat.set(data, offset);
    offset += data.length;
  }
  return flat;
}

/** Writes `values` (as `getVariables` laid them out) into the weights of `model`. */
export function setVariables(model: LayersModel | WeightsHolder, values: Float32Array): void {
  if (!(values instanceof Float32Array)) throw new TypeError('values must be a Float32Array');
  const size = variableSize(model);
  if (values.length !== size) throw new RangeError(`values must have length ${size}, got ${values.length}`);
  let offset = 0;
  tidy(() => {
    for (const w of model.weights) {
      const n = sizeOf(w.shape);
      w.write(tensor(values.subarray(offset, offset + n), w.shape as number[], 'float32'));
      offset += n;
    }
  });
}
