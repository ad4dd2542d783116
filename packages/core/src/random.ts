/**
 * A small, fast, seedable PRNG for environments and agents: xoshiro128** 1.1 (Blackman and Vigna,
 * 2018), whose 128-bit state is seeded from SplitMix64, as its authors recommend. It works in
 * 32-bit integer arithmetic (Math.imul), which JavaScript engines run without allocating.
 *
 * `split()` hands out an independent stream by the generator's jump function (2^64 draws ahead),
 * so streams never overlap; `save()`/`restore()` capture and replay the exact state.
 */
import type { Saveable } from './saveable.js';

const MASK64 = (1n << 64n) - 1n;
const TWO_POW_32 = 4294967296;
const TWO_POW_53 = 9007199254740992;
/** xoshiro128**'s jump polynomial: equivalent to 2^64 calls of next(). */
const JUMP = [0x8764000b, 0xf542d2d3, 0x6fa035c3, 0x77f2db5b] as const;

/** The seed a `Random` built without one uses: fresh entropy from the platform. */
function entropySeed(): bigint {
  const words = new Uint32Array(2);
  globalThis.crypto.getRandomValues(words);
  return (BigInt(words[0]!) << 32n) | BigInt(words[1]!);
}

function toSeed(seed: number | bigint | undefined): bigint {
  if (seed === undefined) return entropySeed();
  if (typeof seed === 'bigint') return BigInt.asUintN(64, seed);
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) {
    throw new TypeError(`seed must be a safe integer or a bigint, got ${String(seed)}`);
  }
  return BigInt.asUintN(64, BigInt(seed));
}

export class Random implements Saveable<Uint32Array> {
  #s0 = 0;
  #s1 = 0;
  #s2 = 0;
  #s3 = 0;

  /** Seeds the state from SplitMix64(seed); without a seed, from platform entropy. */
  constructor(seed?: number | bigint) {
    let x = toSeed(seed);
    const words: number[] = [];
    for (let i = 0; i < 2; i++) {
      // SplitMix64 (Steele, Lea and Flood), one 64-bit output per two state words.
      x = (x + 0x9e3779b97f4a7c15n) & MASK64;
      let z = x;
      z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
      z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
      z ^= z >> 31n;
      words.push(Number(z & 0xffffffffn), Number(z >> 32n));
    }
    this.#setWords(words[0]!, words[1]!, words[2]!, words[3]!);
  }

  /** A generator in exactly `state` (4 uint32 words, as `save()` returns). */
  static fromState(state: ArrayLike<number>): Random {
    const rng = new Random(0);
    rng.restore(state);
    return rng;
  }

  /** The next 32 random bits as an unsigned integer. */
  nextUint32(): number {
    const s0 = this.#s0;
    const s1 = this.#s1;
    const s2 = this.#s2 ^ s0;
    const s3 = this.#s3 ^ s1;
    const m = Math.imul(s1, 5);
    const result = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
    const t = s1 << 9;
    this.#s1 = s1 ^ s2;
    this.#s0 = s0 ^ s3;
    this.#s2 = s2 ^ t;
    this.#s3 = (s3 << 11) | (s3 >>> 21);
    return result;
  }

  /** A double uniform in [0, 1) with 53 random bits. */
  float(): number {
    const hi = this.nextUint32() >>> 5;
    const lo = this.nextUint32() >>> 6;
    return (hi * 67108864 + lo) / TWO_POW_53;
  }

  /** A double uniform in [low, high). */
  uniform(low: number, high: number): number {
    return low + (high - low) * this.float();
  }

  /** An integer uniform in [0, n), without modulo bias; n in [1, 2^32]. */
  int(n: number): number {
    if (!(Number.isInteger(n) && n >= 1 && n <= TWO_POW_32)) {
      throw new RangeError(`n must be an integer in [1, 2^32], got ${n}`);
    }
    // Rejects the top (2^32 mod n) values so every residue is equally likely.
    const limit = TWO_POW_32 - (TWO_POW_32 % n);
    let r = this.nextUint32();
    while (r >= limit) r = this.nextUint32();
    return r % n;
  }

  /** An integer uniform in [low, high). */
  integers(low: number, high: number): number {
    return low + this.int(high - low);
  }

  /** A normal deviate (Box-Muller; no cached second value, so the state is just the 4 words). */
  normal(mean = 0, std = 1): number {
    const u = 1 - this.float(); // (0, 1]: log(0) would be -Infinity
    const v = this.float();
    return mean + std * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Fisher-Yates shuffle of `values` in place; returns it. */
  shuffle<T extends { length: number; [i: number]: unknown }>(values: T): T {
    for (let i = values.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = values[i];
      values[i] = values[j];
      values[j] = tmp;
    }
    return values;
  }

  /** Advances this generator by 2^64 draws. */
  jump(): void {
    let a = 0;
    let b = 0;
    let c = 0;
    let d = 0;
    for (const word of JUMP) {
      for (let bit = 0; bit < 32; bit++) {
        if ((word >>> bit) & 1) {
          a ^= this.#s0;
          b ^= this.#s1;
          c ^= this.#s2;
          d ^= this.#s3;
        }
        this.nextUint32();
      }
    }
    this.#setWords(a, b, c, d);
  }

  /**
   * A generator for an independent stream: it continues this one's current sequence while this
   * one jumps 2^64 draws ahead, so neither ever reaches the other's draws.
   */
  split(): Random {
    const child = Random.fromState(this.save());
    this.jump();
    return child;
  }

  /** The 4 state words; `restore()` of them replays the same sequence. */
  save(): Uint32Array {
    return Uint32Array.of(this.#s0, this.#s1, this.#s2, this.#s3);
  }

  restore(state: ArrayLike<number>): void {
    if (state === null || typeof state !== 'object' || state.length !== 4) {
      throw new TypeError('state must hold 4 uint32 words (as save() returns)');
    }
    for (let i = 0; i < 4; i++) {
      const w = state[i]!;
      if (!Number.isInteger(w) || w < 0 || w >= TWO_POW_32) {
        throw new RangeError(`state word ${i} must be a uint32, got ${w}`);
      }
    }
    this.#setWords(state[0]!, state[1]!, state[2]!, state[3]!);
  }

  #setWords(a: number, b: number, c: number, d: number): void {
    if ((a | b | c | d) === 0)
      throw new RangeError('the all-zero state is not allowed (the generator would stay 0)');
    this.#s0 = a | 0;
    this.#s1 = b | 0;
    this.#s2 = c | 0;
    this.#s3 = d | 0;
  }
}
