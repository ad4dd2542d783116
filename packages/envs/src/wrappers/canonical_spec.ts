/**
 * Acme's CanonicalSpecWrapper: every float BoundedArray action becomes [-1, 1]; an action a is
 * mapped to 0.5·(a + 1)·(max - min) + min before it reaches the environment. With `clip`, actions
 * are first clipped to [-1, 1] (policies with unbounded outputs); without it, actions outside
 * [-1, 1] are rejected by the canonical spec. Discrete and integer actions pass through.
 */
import {
  ArraySpec,
  BoundedArray,
  DiscreteArray,
  type Environment,
  isFloatDType,
  mapSpec,
  type Nested,
  type NestedSpec,
  TYPED_ARRAY,
  type TypedArray,
  validateNested,
} from '@acme-ts/core';
import { EnvironmentWrapper } from './base.js';

function isContinuous(spec: ArraySpec): spec is BoundedArray {
  return spec instanceof BoundedArray && !(spec instanceof DiscreteArray) && isFloatDType(spec.dtype);
}

type Scale = (action: unknown) => unknown;

export class CanonicalSpec<O = unknown, A = unknown, R = number, D = number> extends EnvironmentWrapper<
  O,
  A,
  R,
  D
> {
  readonly clip: boolean;
  readonly #actionSpec: NestedSpec;
  readonly #scale: Nested<Scale | undefined>;

  constructor(environment: Environment<O, A, R, D>, options: { clip?: boolean } = {}) {
    super(environment);
    this.clip = options.clip ?? false;
    const inner = environment.actionSpec();
    this.#actionSpec = mapSpec(inner, (spec) =>
      isContinuous(spec) ? new BoundedArray(spec.shape, spec.dtype, -1, 1, spec.name) : spec,
    );
    this.#scale = mapSpec(inner, (spec) => (isContinuous(spec) ? this.#scaler(spec) : undefined));
  }

  override actionSpec(): NestedSpec {
    return this.#actionSpec;
  }

  override step(action: A): ReturnType<EnvironmentWrapper<O, A, R, D>['step']> {
    if (this.clip) {
      // Structure, dtype and length still have to match; only the range is relaxed.
      validateNested(
        mapSpec(this.#actionSpec, (s) => new ArraySpec(s.shape, s.dtype, s.name)),
        action,
        'action',
      );
    } else {
      validateNested(this.#actionSpec, action, 'action');
    }
    return this.environment.step(apply(this.#scale, action) as A);
  }

  #scaler(spec: BoundedArray): Scale {
    const { minimum, maximum } = spec;
    const clip = this.clip;
    const map = (a: number, i: number) => {
      const x = clip ? Math.min(Math.max(a, -1), 1) : a;
      const lo = minimum[minimum.length === 1 ? 0 : i]!;
      const hi = maximum[maximum.length === 1 ? 0 : i]!;
      // Rounding can leave the interval by an ulp; the inner spec must still accept it.
      return Math.min(Math.max(0.5 * (x + 1.0) * (hi - lo) + lo, lo), hi);
    };
    if (spec.isScalar)
      return (a) => (spec.dtype === 'float32' ? Math.fround(map(a as number, 0)) : map(a as number, 0));
    const Ctor = TYPED_ARRAY[spec.dtype];
    return (a) => {
      const input = a as TypedArray;
      const out = new Ctor(input.length);
      for (let i = 0; i < input.length; i++) out[i] = map(input[i]!, i);
      return out;
    };
  }
}

function apply(tree: Nested<Scale | undefined>, value: unknown): unknown {
  if (tree === undefined) return value;
  if (typeof tree === 'function') return tree(value);
  if (Array.isArray(tree)) return tree.map((t, i) => apply(t, (value as unknown[])[i]));
  const out: Record<string, unknown> = {};
  for (const [k, t] of Object.entries(tree))
    out[k] = apply(t as Nested<Scale | undefined>, (value as Record<string, unknown>)[k]);
  return out;
}
