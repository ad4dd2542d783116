import { initializers } from '@tensorflow/tfjs-layers';

/**
 * Deterministic initialisers: every layer draws from its own seed, `seed`, `seed + 1`, ... in
 * construction order, so the same options always build the same weights (on any backend, since
 * TensorFlow.js's seeded random ops do not depend on it).
 */
export class Seeds {
  private next: number;

  constructor(seed = 0) {
    if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
    this.next = seed;
  }

  /** Glorot-uniform kernel initialiser (Keras's default) with the next seed. */
  kernel(): ReturnType<typeof initializers.glorotUniform> {
    return initializers.glorotUniform({ seed: this.take() });
  }

  /** The next seed. */
  take(): number {
    return this.next++;
  }
}

/** `value` must be a positive integer; `name` goes in the error. */
export function positiveInt(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new RangeError(`${name} must be a positive integer, got ${String(value)}`);
  }
  return value;
}

/** A shape from a spec: a number (a vector's length) or an array of positive integers. */
export function shapeOf(value: readonly number[] | number, name: string): number[] {
  const shape = typeof value === 'number' ? [value] : [...value];
  if (shape.length === 0) throw new RangeError(`${name} must have at least one dimension`);
  shape.forEach((d, i) => {
    positiveInt(d, `${name}[${i}]`);
  });
  return shape;
}
