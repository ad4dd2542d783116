import { describe, expectAttached, expectTypedArray } from './args.js';

/**
 * Importance-sampling weights of prioritized replay (Schaul et al. 2016): an item drawn with
 * probability P from a table of N items gets w = (N * P)^-beta, normalised so the largest
 * weight is 1.
 *
 * - `'batch'` (default): divide by the largest weight in the batch. This is what Acme's DQN loss
 *   does (`(1 / probability)^beta / max`; N cancels out).
 * - `{ minProbability }`: divide by the largest weight any item could get, (N * minP)^-beta, as
 *   the original paper and OpenAI Baselines do with a min tree. Take `minProbability` from a
 *   `ReplayEngine` built with `trackMinProbability: true`, right after sampling.
 */
export function importanceWeights(
  probabilities: Float64Array,
  tableSize: number,
  beta: number,
  out: Float32Array | Float64Array,
  normalization: 'batch' | { readonly minProbability: number } = 'batch',
): Float32Array | Float64Array {
  expectTypedArray(probabilities, 'probabilities', 'Float64Array');
  // An Int32Array would silently truncate every weight below 1 to 0.
  const tag = ArrayBuffer.isView(out) ? (out as { [Symbol.toStringTag]?: string })[Symbol.toStringTag] : '';
  if (tag !== 'Float32Array' && tag !== 'Float64Array') {
    throw new TypeError(`out must be a Float32Array or a Float64Array, got ${describe(out)}`);
  }
  expectAttached(out.buffer, 'out');
  if (out.length !== probabilities.length) {
    throw new RangeError(`out must have length ${probabilities.length}, got ${out.length}`);
  }
  if (!(Number.isInteger(tableSize) && tableSize >= 1)) {
    throw new RangeError(`tableSize must be an integer >= 1, got ${describe(tableSize)}`);
  }
  if (!(Number.isFinite(beta) && beta >= 0))
    throw new RangeError(`beta must be a finite number >= 0, got ${describe(beta)}`);
  // A sampled item's probability is in (0, 1]: NaN, 0 or a negative value is a caller's bug that
  // would otherwise come out as NaN or infinite weights (and a NaN loss much later).
  for (let i = 0; i < probabilities.length; i++) {
    const p = probabilities[i]!;
    if (!(p > 0 && p <= 1)) {
      throw new RangeError(`probabilities[${i}] must be in (0, 1], got ${describe(p)}`);
    }
  }
  let max: number;
  if (normalization === 'batch') {
    max = 0;
    for (let i = 0; i < probabilities.length; i++) {
      const w = (tableSize * probabilities[i]!) ** -beta;
      if (w > max) max = w;
    }
  } else {
    if (typeof normalization !== 'object' || normalization === null) {
      throw new TypeError(
        `normalization must be 'batch' or { minProbability }, got ${describe(normalization)}`,
      );
    }
    const p = normalization.minProbability;
    if (!(typeof p === 'number' && p > 0 && p <= 1)) {
      throw new RangeError(`normalization.minProbability must be in (0, 1], got ${describe(p)}`);
    }
    max = (tableSize * p) ** -beta;
  }
  for (let i = 0; i < probabilities.length; i++) out[i] = (tableSize * probabilities[i]!) ** -beta / max;
  return out;
}
