/**
 * Turns a Gymnasium-style environment (`reset({ seed }) -> [obs, info]`,
 * `step(a) -> [obs, reward, terminated, truncated, info]`) into a dm_env one: `terminated`
 * becomes termination (discount 0), `truncated` truncation (discount 1), and a step after
 * either resets. The seed goes to the first reset only, as Gymnasium expects.
 *
 * Specs come from the object's `observationSpace` / `actionSpace` when they look like
 * Gymnasium's spaces (Discrete `{ n }`, Box `{ low, high, shape?, dtype? }`, MultiDiscrete
 * `{ nvec }`, Tuple/Dict `{ spaces }`), or are passed in `options`. Observations are copied into
 * fresh typed arrays of the spec's dtype, so the gym object may reuse its buffers; actions are
 * validated before they are passed on.
 */
import {
  type ArraySpec,
  BoundedArray,
  DiscreteArray,
  type DType,
  describeValue,
  isDType,
  mapSpec,
  type Nested,
  type NestedSpec,
  restart,
  type TimeStep,
  TYPED_ARRAY,
  termination,
  transition,
  truncation,
  validateNested,
} from '@acme-ts/core';
import { ValidatingAutoResetEnvironment } from '../validating_auto_reset.js';

export type GymInfo = Record<string, unknown>;

export interface GymLikeEnvironment<O = unknown, A = unknown> {
  // Info is any object: a class's `{}` literal is not a Record, and the adapter only hands it back.
  reset(options?: { seed?: number; options?: Record<string, unknown> }): [O, object];
  step(action: A): [O, number, boolean, boolean, object];
  observationSpace?: unknown;
  actionSpace?: unknown;
  close?(): void;
}

export interface GymAdapterOptions {
  /** Passed to the first reset. */
  seed?: number;
  observationSpec?: NestedSpec;
  actionSpec?: NestedSpec;
}

/** Converts a Gymnasium-like space description to a spec (Acme's gym_wrapper rules). */
export function specFromSpace(space: unknown, name = ''): NestedSpec {
  if (space === null || typeof space !== 'object') {
    throw new TypeError(
      `cannot convert space ${describeValue(space)} to a spec; pass the spec in the options`,
    );
  }
  const s = space as Record<string, unknown>;
  const dtype = (fallback: DType): DType => {
    const d = s.dtype;
    if (d === undefined) return fallback;
    if (isDType(d)) return d;
    throw new TypeError(`space ${name || ''} has dtype ${describeValue(d)}, which is not a DType name`);
  };
  if ('spaces' in s) {
    const sub = s.spaces;
    if (Array.isArray(sub)) return sub.map((x, i) => specFromSpace(x, `${name}[${i}]`));
    if (sub !== null && typeof sub === 'object') {
      return Object.fromEntries(Object.entries(sub).map(([k, v]) => [k, specFromSpace(v, k)]));
    }
  }
  if ('nvec' in s) {
    const nvec = Array.from(s.nvec as ArrayLike<number>);
    return new BoundedArray(
      [nvec.length],
      dtype('int32'),
      0,
      nvec.map((n) => n - 1),
      name,
    );
  }
  if ('low' in s && 'high' in s) {
    const low = s.low as number | ArrayLike<number>;
    const high = s.high as number | ArrayLike<number>;
    const shape = (s.shape as number[] | undefined) ?? (typeof low === 'number' ? [] : [low.length]);
    return new BoundedArray(shape, dtype('float32'), low, high, name);
  }
  if ('n' in s && typeof s.n === 'number') {
    if (s.start !== undefined && s.start !== 0) {
      throw new TypeError(`Discrete spaces must start at 0 to become a DiscreteArray (start = ${s.start})`);
    }
    return new DiscreteArray(s.n, dtype('int32'), name);
  }
  throw new TypeError(`cannot convert space ${describeValue(space)} to a spec; pass the spec in the options`);
}

type Convert = (value: unknown) => unknown;

function leafConverter(spec: ArraySpec): Convert {
  if (spec.isScalar) return (v) => (typeof v === 'number' ? v : Number((v as ArrayLike<number>)[0] ?? v));
  const Ctor = TYPED_ARRAY[spec.dtype];
  // Always a fresh array: the gym object may write into the one it returned.
  return (v) => new Ctor(v as ArrayLike<number>);
}

export class GymAdapter<O = unknown, A = unknown> extends ValidatingAutoResetEnvironment<O, A> {
  readonly gym: GymLikeEnvironment<unknown, A>;
  readonly #observationSpec: NestedSpec;
  readonly #actionSpec: NestedSpec;
  readonly #convert: Convert;
  #seed: number | undefined;
  #info: GymInfo = {};
  #closed = false;

  constructor(gym: GymLikeEnvironment<unknown, A>, options: GymAdapterOptions = {}) {
    super();
    if (
      gym === null ||
      typeof gym !== 'object' ||
      typeof gym.reset !== 'function' ||
      typeof gym.step !== 'function'
    ) {
      throw new TypeError('gym must have reset() and step() methods');
    }
    this.gym = gym;
    this.#seed = options.seed;
    this.#observationSpec = options.observationSpec ?? specFromSpace(gym.observationSpace, 'observation');
    this.#actionSpec = options.actionSpec ?? specFromSpace(gym.actionSpace, 'action');
    const tree = mapSpec(this.#observationSpec, leafConverter);
    const apply = (t: Nested<Convert>, v: unknown): unknown => {
      if (typeof t === 'function') return t(v);
      if (Array.isArray(t)) return t.map((sub, i) => apply(sub, (v as unknown[])[i]));
      return Object.fromEntries(
        Object.entries(t).map(([k, sub]) => [
          k,
          apply(sub as Nested<Convert>, (v as Record<string, unknown>)[k]),
        ]),
      );
    };
    this.#convert = (v) => apply(tree, v);
  }

  /** The info dict of the last reset or step. */
  getInfo(): GymInfo {
    return this.#info;
  }

  observationSpec(): NestedSpec {
    return this.#observationSpec;
  }

  actionSpec(): NestedSpec {
    return this.#actionSpec;
  }

  override close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.gym.close?.();
  }

  protected resetEpisode(): TimeStep<O> {
    const [observation, info] =
      this.#seed === undefined ? this.gym.reset() : this.gym.reset({ seed: this.#seed });
    this.#seed = undefined;
    this.#info = (info ?? {}) as GymInfo;
    return restart(this.#convert(observation) as O);
  }

  protected stepEpisode(action: A): TimeStep<O> {
    validateNested(this.#actionSpec, action, 'action');
    const [observation, reward, terminated, truncated, info] = this.gym.step(action);
    this.#info = (info ?? {}) as GymInfo;
    const obs = this.#convert(observation) as O;
    const r = Number(reward);
    if (terminated) return termination(r, obs);
    if (truncated) return truncation(r, obs);
    return transition(r, obs);
  }
}
