/**
 * Reverb's rate limiters: descriptions for a `ReplayEngine`, and `RateLimiter`, the state
 * machine itself (counters and the can-insert / can-sample questions), usable on its own.
 *
 * - `minSize(n)`: sampling waits until the table holds n items.
 * - `sampleToInsertRatio(spi, minSize, errorBuffer)`: after minSize items, keeps
 *   `inserts * spi - samples` inside `spi * minSize ± errorBuffer` (or inside an explicit
 *   `[minDiff, maxDiff]` range); Reverb's parameter checks apply.
 * - `queue(n)` / `stack(n)`: at most n items inserted but not yet sampled.
 */
import { expectBinding } from './args.js';
import type { Binding, RateLimiterCore } from './binding.js';
import { native } from './loader.js';

export type RateLimiterSpec =
  | { readonly kind: 'minSize'; readonly minSizeToSample: number }
  | {
      readonly kind: 'sampleToInsertRatio';
      readonly samplesPerInsert: number;
      readonly minSizeToSample: number;
      /** One number: the range spi * minSize ± errorBuffer; a pair: [minDiff, maxDiff] as is. */
      readonly errorBuffer: number | readonly [number, number];
    }
  | { readonly kind: 'queue'; readonly size: number }
  | { readonly kind: 'stack'; readonly size: number }
  /** Reverb's core constructor with every parameter explicit. */
  | {
      readonly kind: 'custom';
      readonly samplesPerInsert: number;
      readonly minSizeToSample: number;
      readonly minDiff: number;
      readonly maxDiff: number;
    };

export const RateLimiters = {
  minSize: (minSizeToSample: number): RateLimiterSpec => ({ kind: 'minSize', minSizeToSample }),
  sampleToInsertRatio: (
    samplesPerInsert: number,
    minSizeToSample: number,
    errorBuffer: number | readonly [number, number],
  ): RateLimiterSpec => ({ kind: 'sampleToInsertRatio', samplesPerInsert, minSizeToSample, errorBuffer }),
  queue: (size: number): RateLimiterSpec => ({ kind: 'queue', size }),
  stack: (size: number): RateLimiterSpec => ({ kind: 'stack', size }),
  custom: (
    samplesPerInsert: number,
    minSizeToSample: number,
    minDiff: number,
    maxDiff: number,
  ): RateLimiterSpec => ({
    kind: 'custom',
    samplesPerInsert,
    minSizeToSample,
    minDiff,
    maxDiff,
  }),
} as const;

function num(value: unknown, name: string): number {
  if (typeof value !== 'number') throw new TypeError(`${name} must be a number`);
  return value;
}

/** `[kind code, a, b, c, d]` as the core decodes it (crates/replay/src/rate_limiter.rs). */
export function encodeRateLimiter(spec: RateLimiterSpec): [number, number, number, number, number] {
  switch ((spec as { kind?: unknown } | undefined)?.kind) {
    case 'custom': {
      const s = spec as Extract<RateLimiterSpec, { kind: 'custom' }>;
      return [
        0,
        num(s.samplesPerInsert, 'samplesPerInsert'),
        num(s.minSizeToSample, 'minSizeToSample'),
        num(s.minDiff, 'minDiff'),
        num(s.maxDiff, 'maxDiff'),
      ];
    }
    case 'minSize':
      return [1, num((spec as { minSizeToSample: unknown }).minSizeToSample, 'minSizeToSample'), 0, 0, 0];
    case 'sampleToInsertRatio': {
      const s = spec as Extract<RateLimiterSpec, { kind: 'sampleToInsertRatio' }>;
      const spi = num(s.samplesPerInsert, 'samplesPerInsert');
      const min = num(s.minSizeToSample, 'minSizeToSample');
      if (Array.isArray(s.errorBuffer)) {
        if (s.errorBuffer.length !== 2) throw new RangeError('errorBuffer as a range must have 2 numbers');
        return [
          3,
          spi,
          min,
          num(s.errorBuffer[0], 'errorBuffer[0]'),
          num(s.errorBuffer[1], 'errorBuffer[1]'),
        ];
      }
      return [2, spi, min, num(s.errorBuffer, 'errorBuffer'), 0];
    }
    case 'queue':
      return [4, num((spec as { size: unknown }).size, 'size'), 0, 0, 0];
    case 'stack':
      return [5, num((spec as { size: unknown }).size, 'size'), 0, 0, 0];
    default:
      throw new TypeError('rateLimiter must be a rate limiter (RateLimiters.minSize(n), queue(n), ...)');
  }
}

/**
 * Reverb's rate limiter state machine. It only counts and answers; a table that must block waits
 * until the answer changes.
 *
 * ```ts
 * const limiter = new RateLimiter(RateLimiters.sampleToInsertRatio(1.5, 2, [-1, 3]));
 * limiter.insert(2);
 * limiter.canSample(1); // true
 * limiter.canInsert(1); // false: 3 inserts * 1.5 - 0 samples > 3
 * ```
 */
export class RateLimiter {
  readonly #core: RateLimiterCore;

  constructor(spec: RateLimiterSpec, binding: Binding = native()) {
    expectBinding(binding, 'binding');
    this.#core = new binding.RateLimiter(new Float64Array(encodeRateLimiter(spec)));
  }

  get samplesPerInsert(): number {
    return this.#core.samplesPerInsert;
  }
  get minSizeToSample(): number {
    return this.#core.minSizeToSample;
  }
  get minDiff(): number {
    return this.#core.minDiff;
  }
  get maxDiff(): number {
    return this.#core.maxDiff;
  }
  get inserts(): number {
    return this.#core.inserts;
  }
  get samples(): number {
    return this.#core.samples;
  }
  get deletes(): number {
    return this.#core.deletes;
  }

  /** Whether `numInserts` more inserts may proceed now. */
  canInsert(numInserts = 1): boolean {
    return this.#core.canInsert(numInserts);
  }
  /** Whether `numSamples` more samples may proceed now. */
  canSample(numSamples = 1): boolean {
    return this.#core.canSample(numSamples);
  }
  insert(n = 1): void {
    this.#core.insert(n);
  }
  sample(n = 1): void {
    this.#core.sample(n);
  }
  delete(n = 1): void {
    this.#core.delete(n);
  }
  /** Counters back to zero (what resetting a table does). */
  reset(): void {
    this.#core.reset();
  }
  free(): void {
    this.#core.free();
  }
  [Symbol.dispose](): void {
    this.free();
  }
}
