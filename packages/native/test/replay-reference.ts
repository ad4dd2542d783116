/**
 * Plain-TypeScript oracles for the replay core: the generator and the sum tree written the same
 * way as the Rust ones (so a seeded reference table must draw exactly the keys the engine draws),
 * p^a / Σ p^a by direct loops, and naive frame stacking.
 */

const MASK64 = (1n << 64n) - 1n;

/** xoshiro128** seeded through splitmix64, as crates/replay/src/rng.rs. */
export class Xoshiro128 {
  readonly s = new Uint32Array(4);

  constructor(seed: number) {
    let state = BigInt(seed);
    const next = (): bigint => {
      state = (state + 0x9e3779b97f4a7c15n) & MASK64;
      let z = state;
      z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
      z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
      return z ^ (z >> 31n);
    };
    const a = next();
    const b = next();
    this.s.set([Number(a & 0xffffffffn), Number(a >> 32n), Number(b & 0xffffffffn), Number(b >> 32n)]);
  }

  nextU32(): number {
    const s = this.s;
    const rotl = (x: number, k: number) => (x << k) | (x >>> (32 - k));
    const result = Math.imul(rotl(Math.imul(s[1]!, 5), 7), 9) >>> 0;
    const t = s[1]! << 9;
    s[2]! ^= s[0]!;
    s[3]! ^= s[1]!;
    s[1]! ^= s[2]!;
    s[0]! ^= s[3]!;
    s[2]! ^= t;
    s[3] = rotl(s[3]!, 11);
    return result;
  }

  nextF64(): number {
    const a = this.nextU32() >>> 5;
    const b = this.nextU32() >>> 6;
    return (a * 67108864 + b) * (1 / 9007199254740992);
  }

  below(n: number): number {
    return Math.min(Math.floor(this.nextF64() * n), n - 1);
  }
}

const ARITY = 8;

/** Pairwise, in the order the Rust tree uses: ((b0+b1)+(b2+b3))+((b4+b5)+(b6+b7)). */
function reduce(level: Float64Array, block: number): number {
  const o = block * ARITY;
  return (
    level[o]! +
    level[o + 1]! +
    (level[o + 2]! + level[o + 3]!) +
    (level[o + 4]! + level[o + 5]! + (level[o + 6]! + level[o + 7]!))
  );
}

/** The 8-ary flat sum tree of crates/replay/src/tree.rs (levels[0] are the leaves). */
export class SumTreeReference {
  readonly levels: Float64Array[] = [];
  root = 0;

  constructor(leaves: number) {
    let blocks = Math.ceil(Math.max(leaves, 1) / ARITY);
    for (;;) {
      this.levels.push(new Float64Array(blocks * ARITY));
      if (blocks === 1) break;
      blocks = Math.ceil(blocks / ARITY);
    }
  }

  get(slot: number): number {
    return this.levels[0]![slot]!;
  }

  set(slot: number, value: number): void {
    this.levels[0]![slot] = value;
    let child = Math.floor(slot / ARITY);
    for (let l = 1; l < this.levels.length; l++) {
      this.levels[l]![child] = reduce(this.levels[l - 1]!, child);
      child = Math.floor(child / ARITY);
    }
    this.root = reduce(this.levels[this.levels.length - 1]!, 0);
  }

  /** The leaf whose range holds `target`: per level, the first child whose running sum exceeds it. */
  find(target: number): number {
    let index = 0;
    for (let l = this.levels.length - 1; l >= 0; l--) {
      const level = this.levels[l]!;
      const o = index * ARITY;
      let sum = 0;
      let chosen = -1;
      let before = 0;
      for (let k = 0; k < ARITY; k++) {
        const next = sum + level[o + k]!;
        if (chosen < 0 && target < next) {
          chosen = k;
          before = sum;
        }
        sum = next;
      }
      if (chosen < 0) {
        // Rounding carried the target past the end: the last positive child, whole.
        chosen = 0;
        for (let k = 0; k < ARITY; k++) if (level[o + k]! > 0) chosen = k;
        target = level[o + chosen]!;
      } else {
        target -= before;
      }
      index = o + chosen;
    }
    return index;
  }
}

/**
 * A prioritized table as the engine keeps one (slots from a free list, keys = generation * 2^bits
 * + slot, a Fifo remover), for tables that never overflow.
 */
export class PrioritizedReference {
  readonly tree: SumTreeReference;
  readonly rng: Xoshiro128;
  readonly #bits: number;
  readonly #generation: number[];
  readonly #free: number[];
  readonly #live: number[] = [];
  readonly #priority = new Map<number, number>();

  constructor(
    maxSize: number,
    readonly exponent: number,
    seed: number,
    readonly stratified: boolean,
  ) {
    const capacity = maxSize + 1;
    this.tree = new SumTreeReference(capacity);
    this.rng = new Xoshiro128(seed);
    this.#bits = Math.ceil(Math.log2(capacity));
    this.#generation = new Array(capacity).fill(0);
    this.#free = Array.from({ length: capacity }, (_, i) => capacity - 1 - i);
  }

  #weight(p: number): number {
    return p === 0 ? 0 : this.exponent === 1 ? p : p ** this.exponent;
  }

  #slot(key: number): number | undefined {
    const slot = key % 2 ** this.#bits;
    const gen = Math.floor(key / 2 ** this.#bits);
    return this.#priority.has(slot) && this.#generation[slot] === gen ? slot : undefined;
  }

  insert(priority: number): number {
    const slot = this.#free.pop()!;
    this.#priority.set(slot, priority);
    this.#live.push(slot);
    this.tree.set(slot, this.#weight(priority));
    return this.#generation[slot]! * 2 ** this.#bits + slot;
  }

  update(key: number, priority: number): void {
    const slot = this.#slot(key);
    if (slot === undefined) return;
    this.#priority.set(slot, priority);
    this.tree.set(slot, this.#weight(priority));
  }

  delete(key: number): void {
    const slot = this.#slot(key);
    if (slot === undefined) return;
    this.#priority.delete(slot);
    // The engine's dense set: the last item moves into the hole.
    const at = this.#live.indexOf(slot);
    const last = this.#live.pop()!;
    if (last !== slot) this.#live[at] = last;
    this.tree.set(slot, 0);
    this.#generation[slot]!++;
    this.#free.push(slot);
  }

  sample(keys: Float64Array, probabilities: Float64Array): number {
    const n = keys.length;
    const total = this.tree.root;
    const key = (slot: number) => this.#generation[slot]! * 2 ** this.#bits + slot;
    for (let i = 0; i < n; i++) {
      let slot: number;
      if (total > 0) {
        const target = this.stratified ? (i + this.rng.nextF64()) * (total / n) : this.rng.nextF64() * total;
        slot = this.tree.find(target);
        probabilities[i] = this.tree.get(slot) / total;
      } else {
        slot = this.#live[this.rng.below(this.#live.length)]!;
        probabilities[i] = 1 / this.#live.length;
      }
      keys[i] = key(slot);
    }
    return this.#live.length;
  }
}

/** p_i^a / Σ p^a by direct loops (0^a = 0), uniform when every weight is 0. */
export function expectedProbabilities(priorities: number[], exponent: number): number[] {
  const w = priorities.map((p) => (p === 0 ? 0 : p ** exponent));
  const total = w.reduce((a, b) => a + b, 0);
  return total > 0 ? w.map((x) => x / total) : w.map(() => 1 / w.length);
}

/** Pearson's chi-square of counts against probabilities (cells with probability 0 must be empty). */
export function chiSquare(counts: number[], probabilities: number[], n: number): number {
  let chi = 0;
  probabilities.forEach((p, i) => {
    if (p === 0) {
      if (counts[i] !== 0) chi = Number.POSITIVE_INFINITY;
    } else {
      chi += (counts[i]! - n * p) ** 2 / (n * p);
    }
  });
  return chi;
}

/**
 * The stack of `stack` frames ending at step t of an episode, oldest first, padded with zeros or
 * with the episode's first frame; `axis` 'last' interleaves the frames per pixel.
 */
export function naiveStack(
  episode: Uint8Array[],
  t: number,
  stack: number,
  resetFill: 'zeros' | 'first',
  axis: 'last' | 'first',
): Uint8Array {
  const size = episode[0]!.length;
  const frames: Uint8Array[] = [];
  for (let k = 0; k < stack; k++) {
    const at = t - (stack - 1 - k);
    frames.push(at >= 0 ? episode[at]! : resetFill === 'zeros' ? new Uint8Array(size) : episode[0]!);
  }
  const out = new Uint8Array(size * stack);
  for (let k = 0; k < stack; k++) {
    for (let p = 0; p < size; p++) {
      if (axis === 'first') out[k * size + p] = frames[k]![p]!;
      else out[p * stack + k] = frames[k]![p]!;
    }
  }
  return out;
}
