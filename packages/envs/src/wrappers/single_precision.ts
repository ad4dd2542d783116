/**
 * Acme's SinglePrecisionWrapper: float64 specs become float32, and so do the observations,
 * rewards and discounts that follow them (scalars are rounded with Math.fround, Float64Arrays
 * copied into Float32Arrays). Other leaves pass through untouched; null stays null.
 */
import {
  ArraySpec,
  BoundedArray,
  DiscreteArray,
  type Environment,
  mapSpec,
  type Nested,
  type NestedSpec,
  TimeStep,
} from '@acme-ts/core';
import { EnvironmentWrapper } from './base.js';

type Convert = (value: unknown) => unknown;

function singlePrecisionSpec(spec: ArraySpec): ArraySpec {
  if (spec.dtype !== 'float64' || spec instanceof DiscreteArray) return spec;
  if (spec instanceof BoundedArray) {
    const bound = (b: Float64Array) => (b.every((x) => x === b[0]) ? b[0]! : b);
    return new BoundedArray(spec.shape, 'float32', bound(spec.minimum), bound(spec.maximum), spec.name);
  }
  return spec.replace({ dtype: 'float32' });
}

function leafConverter(spec: ArraySpec): Convert | undefined {
  if (spec.dtype !== 'float64') return undefined;
  return spec.isScalar ? (v) => Math.fround(v as number) : (v) => Float32Array.from(v as Float64Array);
}

/** A function converting values of `spec` (identity when nothing in it is float64). */
export function makeConverter(spec: NestedSpec): Convert {
  if (spec instanceof ArraySpec) return leafConverter(spec) ?? ((v) => v);
  const tree = mapSpec(spec, leafConverter);
  const apply = (t: Nested<Convert | undefined>, v: unknown): unknown => {
    if (t === undefined) return v;
    if (typeof t === 'function') return t(v);
    if (Array.isArray(t)) return t.map((sub, i) => apply(sub, (v as unknown[])[i]));
    const out: Record<string, unknown> = {};
    for (const [k, sub] of Object.entries(t))
      out[k] = apply(sub as Nested<Convert | undefined>, (v as Record<string, unknown>)[k]);
    return out;
  };
  return (v) => apply(tree, v);
}

export class SinglePrecision<O = unknown, A = unknown> extends EnvironmentWrapper<
  O,
  A,
  number,
  number,
  unknown,
  A
> {
  readonly #observationSpec: NestedSpec;
  readonly #rewardSpec: NestedSpec;
  readonly #discountSpec: NestedSpec;
  readonly #observation: Convert;
  readonly #reward: Convert;
  readonly #discount: Convert;

  constructor(environment: Environment<unknown, A, unknown, unknown>) {
    super(environment as Environment<unknown, A>);
    this.#observationSpec = mapSpec(environment.observationSpec(), singlePrecisionSpec);
    this.#rewardSpec = mapSpec(environment.rewardSpec(), singlePrecisionSpec);
    this.#discountSpec = mapSpec(environment.discountSpec(), singlePrecisionSpec);
    this.#observation = makeConverter(environment.observationSpec());
    this.#reward = makeConverter(environment.rewardSpec());
    this.#discount = makeConverter(environment.discountSpec());
  }

  override reset(): TimeStep<O> {
    return this.#convert(this.environment.reset());
  }

  override step(action: A): TimeStep<O> {
    return this.#convert(this.environment.step(action));
  }

  override observationSpec(): NestedSpec {
    return this.#observationSpec;
  }

  override rewardSpec(): NestedSpec {
    return this.#rewardSpec;
  }

  override discountSpec(): NestedSpec {
    return this.#discountSpec;
  }

  #convert(ts: TimeStep<unknown, unknown, unknown>): TimeStep<O> {
    return new TimeStep(
      ts.stepType,
      ts.reward === null ? null : (this.#reward(ts.reward) as number),
      ts.discount === null ? null : (this.#discount(ts.discount) as number),
      this.#observation(ts.observation) as O,
    );
  }
}
