/**
 * An actor that ignores observations and picks actions uniformly from the action spec: the
 * baseline of every benchmark and a quick smoke test of any environment. Seeded.
 */
import type { Actor } from '../actor.js';
import { Random } from '../random.js';
import { ArraySpec } from '../specs/array.js';
import { BoundedArray } from '../specs/bounded_array.js';
import { DiscreteArray } from '../specs/discrete_array.js';
import { isFloatDType, TYPED_ARRAY } from '../specs/dtype.js';
import { mapSpec, type Nested, type NestedSpec } from '../specs/nested.js';

type Sampler = (rng: Random) => unknown;

function leafSampler(spec: ArraySpec): Sampler {
  if (spec instanceof DiscreteArray) {
    const n = spec.numValues;
    return (rng) => rng.int(n);
  }
  if (!(spec instanceof BoundedArray)) {
    throw new TypeError(`RandomActor needs bounded action specs; ${spec} is unbounded`);
  }
  const { minimum, maximum, dtype } = spec;
  for (let i = 0; i < minimum.length; i++) {
    if (!Number.isFinite(minimum[i]!) || !Number.isFinite(maximum[i]!)) {
      throw new RangeError(`RandomActor needs finite bounds; ${spec} has an infinite one`);
    }
  }
  const float = isFloatDType(dtype);
  const draw = (rng: Random, i: number): number => {
    const lo = minimum[i]!;
    const hi = maximum[i]!;
    if (!float) return lo + rng.int(hi - lo + 1);
    // Bounds are stored rounded to the dtype, and rounding is monotonic, so a float32 store of
    // a value in [lo, hi) stays in [lo, hi].
    return rng.uniform(lo, hi);
  };
  if (spec.isScalar) return (rng) => (dtype === 'float32' ? Math.fround(draw(rng, 0)) : draw(rng, 0));
  const Ctor = TYPED_ARRAY[dtype];
  const perElement = minimum.length > 1;
  return (rng) => {
    const out = new Ctor(spec.size);
    for (let i = 0; i < out.length; i++) out[i] = draw(rng, perElement ? i : 0);
    return out;
  };
}

/** A function drawing a uniform action of `spec` (finite bounds required) from a generator. */
export function makeActionSampler(spec: NestedSpec): (rng: Random) => unknown {
  if (spec instanceof ArraySpec) return leafSampler(spec);
  const samplers = mapSpec(spec, leafSampler);
  const sampleTree = (tree: Nested<Sampler>, rng: Random): unknown => {
    if (typeof tree === 'function') return tree(rng);
    if (Array.isArray(tree)) return tree.map((t) => sampleTree(t, rng));
    const out: Record<string, unknown> = {};
    for (const [k, t] of Object.entries(tree)) out[k] = sampleTree(t as Nested<Sampler>, rng);
    return out;
  };
  return (rng) => sampleTree(samplers, rng);
}

export class RandomActor<O = unknown, A = unknown> implements Actor<O, A, unknown, unknown> {
  readonly rng: Random;
  readonly #sample: (rng: Random) => unknown;

  constructor(actionSpec: NestedSpec, seed?: number) {
    this.rng = new Random(seed);
    this.#sample = makeActionSampler(actionSpec);
  }

  selectAction(_observation: O): A {
    return this.#sample(this.rng) as A;
  }

  observeFirst(): void {}
  observe(): void {}
  update(): void {}
}
