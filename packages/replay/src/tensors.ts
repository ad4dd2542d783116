/**
 * A sampled batch as TensorFlow.js tensors, one per signature leaf, shaped `[batchSize, ...shape]`
 * (frame fields `[batchSize, ...stack shape]`). The tf module is passed in, so this package does
 * not depend on TensorFlow.js.
 *
 * Copies: tfjs's `cpu` backend (and `tensorflow`, `webgl` until first use) keeps a reference to
 * a Float32Array or Int32Array it is given instead of copying it, so a tensor made from a
 * reused buffer would change when the next batch is drawn. The helper therefore copies, except on
 * the `wasm` backend, which copies into its own memory anyway; `copy` overrides the choice.
 */
import type { Nested } from '@acme-ts/core';
import type { ColumnArray } from '@acme-ts/native';
import { buildLike } from './nest.js';
import type { TableSample } from './table_sample.js';

/** The part of `@tensorflow/tfjs-core` the helper uses. */
export interface TensorModule<T> {
  tensor(values: Float32Array | Int32Array | Uint8Array, shape: number[], dtype: 'float32' | 'int32'): T;
  getBackend?(): string;
}

export interface ToTensorsOptions {
  /** Copy the buffers first (default: unless the backend is `wasm`). */
  readonly copy?: boolean;
  /** dtype of uint8 leaves, e.g. frame stacks (default 'float32': what convolutions take). */
  readonly uint8As?: 'float32' | 'int32';
}

export function toTensors<T>(
  tf: TensorModule<T>,
  sample: TableSample,
  options: ToTensorsOptions = {},
): Nested<T> {
  const copy = options.copy ?? tf.getBackend?.() !== 'wasm';
  const uint8As = options.uint8As ?? 'float32';
  const layout = sample.layout;
  return buildLike(layout.signature, (i) => {
    const leaf = layout.leaves[i]!;
    const values = sample.batch.columns[leaf.path]! as ColumnArray;
    const rowShape =
      leaf.storage === 'frameStack'
        ? stackShape(values.length / sample.batchSize, leaf.spec.shape)
        : leaf.spec.shape;
    const shape = [sample.batchSize, ...rowShape];
    if (values instanceof Uint8Array) {
      // Converted by tfjs into a new array of the target dtype: a copy either way.
      return tf.tensor(values, shape, uint8As);
    }
    const dtype = values instanceof Float32Array ? 'float32' : 'int32';
    return tf.tensor(copy ? values.slice() : values, shape, dtype);
  });
}

function stackShape(size: number, signatureShape: readonly number[]): readonly number[] {
  // A frame field's signature already has the stack's shape.
  const n = signatureShape.reduce((a, b) => a * b, 1);
  if (n !== size) throw new RangeError(`frame stack of ${size} bytes does not match the signature's ${n}`);
  return signatureShape;
}
