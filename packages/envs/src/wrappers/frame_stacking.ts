/**
 * Acme's FrameStackingWrapper: the observation becomes the last `numFrames` observations stacked
 * on a new last axis (oldest first), the stack filled with zero frames after each reset. With
 * `flatten`, the last two axes merge (H, W, C, N) -> (H, W, C·N); the memory layout is the same.
 *
 * The inner environment never mutates the observations it returned, so the stack keeps references
 * to them instead of copies; each stacked observation is a fresh array.
 */
import {
  ArraySpec,
  type Environment,
  type NestedSpec,
  restart,
  StepType,
  TimeStep,
  TYPED_ARRAY,
  type TypedArray,
  type TypedArrayConstructor,
} from '@acme-ts/core';
import { EnvironmentWrapper } from './base.js';

export class FrameStacking<R = number, D = number> extends EnvironmentWrapper<
  TypedArray,
  unknown,
  R,
  D,
  TypedArray | number
> {
  readonly numFrames: number;
  readonly flatten: boolean;
  readonly #spec: ArraySpec;
  readonly #frameSize: number;
  readonly #Ctor: TypedArrayConstructor;
  readonly #zeros: TypedArray;
  /** Ring of the last numFrames frames; #head is the slot of the oldest. */
  readonly #frames: (TypedArray | number)[];
  #head = 0;

  constructor(
    environment: Environment<TypedArray | number, unknown, R, D>,
    options: { numFrames?: number; flatten?: boolean } = {},
  ) {
    super(environment);
    const { numFrames = 4, flatten = false } = options;
    if (!Number.isInteger(numFrames) || numFrames < 1) {
      throw new RangeError(`numFrames must be a positive integer, got ${numFrames}`);
    }
    const inner = environment.observationSpec();
    if (!(inner instanceof ArraySpec)) {
      throw new TypeError(`FrameStacking needs a single-array observation, got ${String(inner)}`);
    }
    if (flatten && inner.shape.length === 0)
      throw new TypeError('flatten needs observations with at least one axis');
    this.numFrames = numFrames;
    this.flatten = flatten;
    const shape = flatten
      ? [...inner.shape.slice(0, -1), inner.shape[inner.shape.length - 1]! * numFrames]
      : [...inner.shape, numFrames];
    this.#spec = new ArraySpec(shape, inner.dtype, inner.name);
    this.#frameSize = inner.size;
    this.#Ctor = TYPED_ARRAY[inner.dtype];
    this.#zeros = new this.#Ctor(inner.size);
    this.#frames = new Array(numFrames).fill(inner.isScalar ? 0 : this.#zeros);
  }

  override observationSpec(): NestedSpec {
    return this.#spec;
  }

  override reset(): TimeStep<TypedArray, R, D> {
    return this.#start(this.environment.reset());
  }

  override step(action: unknown): TimeStep<TypedArray, R, D> {
    const timestep = this.environment.step(action);
    if (timestep.stepType === StepType.FIRST) return this.#start(timestep);
    this.#push(timestep.observation);
    return new TimeStep(timestep.stepType, timestep.reward, timestep.discount, this.#stack());
  }

  #start(timestep: TimeStep<TypedArray | number, R, D>): TimeStep<TypedArray, R, D> {
    this.#frames.fill(typeof timestep.observation === 'number' ? 0 : this.#zeros);
    this.#head = 0;
    this.#push(timestep.observation);
    return restart(this.#stack()) as TimeStep<TypedArray, R, D>;
  }

  #push(frame: TypedArray | number): void {
    this.#frames[this.#head] = frame;
    this.#head = (this.#head + 1) % this.numFrames;
  }

  #stack(): TypedArray {
    const n = this.numFrames;
    const size = this.#frameSize;
    const out = new this.#Ctor(size * n);
    for (let k = 0; k < n; k++) {
      const frame = this.#frames[(this.#head + k) % n]!;
      if (typeof frame === 'number') {
        out[k] = frame;
        continue;
      }
      for (let i = 0; i < size; i++) out[i * n + k] = frame[i]!;
    }
    return out;
  }
}
