/**
 * Prioritized replay: the Rust engine through N-API and wasm against a TypeScript sum tree of the
 * same design (8-ary flat tree, stratified descent, xoshiro128** generator; see
 * packages/native/test/replay-reference.ts, whose twin lives here so the bench has no test
 * dependency). Cases: sample+update of a batch at capacities 1e4/1e5/1e6 and batches 32/256,
 * insert rate, gather of 32 stacked Atari transitions, bytes per stored Atari transition.
 */
import {
  type Binding,
  type ReplayEngine as Engine,
  loadBinding,
  ReplayEngine,
  Selectors,
} from '@acme-ts/native';
import { type Row, type Suite, timeCase, withRatios } from '../harness.js';

const EXPONENT = 0.6; // Acme's DQN default priority exponent

class Xoshiro128 {
  private readonly s = new Uint32Array(4);
  constructor(seed: number) {
    const mask = (1n << 64n) - 1n;
    let state = BigInt(seed);
    const next = () => {
      state = (state + 0x9e3779b97f4a7c15n) & mask;
      let z = state;
      z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & mask;
      z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & mask;
      return z ^ (z >> 31n);
    };
    const a = next();
    const b = next();
    this.s.set([Number(a & 0xffffffffn), Number(a >> 32n), Number(b & 0xffffffffn), Number(b >> 32n)]);
  }
  nextF64(): number {
    return ((this.nextU32() >>> 5) * 67108864 + (this.nextU32() >>> 6)) * (1 / 9007199254740992);
  }
  private nextU32(): number {
    const s = this.s;
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
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** The TypeScript baseline: the engine's sum tree and stratified sampling, slots as keys. */
class SumTreeTable {
  private readonly levels: Float64Array[] = [];
  private readonly rng = new Xoshiro128(1);
  size = 0;

  constructor(
    capacity: number,
    private readonly exponent: number,
  ) {
    let blocks = Math.ceil(capacity / 8);
    for (;;) {
      this.levels.push(new Float64Array(blocks * 8));
      if (blocks === 1) break;
      blocks = Math.ceil(blocks / 8);
    }
  }

  private weight(p: number): number {
    return p === 0 ? 0 : this.exponent === 1 ? p : p ** this.exponent;
  }

  private set(slot: number, w: number): void {
    this.levels[0]![slot] = w;
    let child = slot >>> 3;
    for (let l = 1; l < this.levels.length; l++) {
      const c = this.levels[l - 1]!;
      const o = child * 8;
      this.levels[l]![child] =
        c[o]! + c[o + 1]! + (c[o + 2]! + c[o + 3]!) + (c[o + 4]! + c[o + 5]! + (c[o + 6]! + c[o + 7]!));
      child >>>= 3;
    }
  }

  private root(): number {
    const top = this.levels[this.levels.length - 1]!;
    return top[0]! + top[1]! + (top[2]! + top[3]!) + (top[4]! + top[5]! + (top[6]! + top[7]!));
  }

  insert(priority: number): number {
    this.set(this.size, this.weight(priority));
    return this.size++;
  }

  updatePriorities(keys: Float64Array, priorities: Float64Array): void {
    for (let i = 0; i < keys.length; i++) this.set(keys[i]!, this.weight(priorities[i]!));
  }

  sample(keys: Float64Array, probabilities: Float64Array): number {
    const total = this.root();
    const segment = total / keys.length;
    for (let i = 0; i < keys.length; i++) {
      let target = (i + this.rng.nextF64()) * segment;
      let index = 0;
      for (let l = this.levels.length - 1; l >= 0; l--) {
        const level = this.levels[l]!;
        const o = index * 8;
        let sum = 0;
        let chosen = -1;
        let before = 0;
        for (let k = 0; k < 8; k++) {
          const next = sum + level[o + k]!;
          if (chosen < 0 && target < next) {
            chosen = k;
            before = sum;
          }
          sum = next;
        }
        if (chosen < 0) {
          chosen = 0;
          for (let k = 0; k < 8; k++) if (level[o + k]! > 0) chosen = k;
          target = level[o + chosen]!;
        } else {
          target -= before;
        }
        index = o + chosen;
      }
      keys[i] = index;
      probabilities[i] = this.levels[0]![index]! / total;
    }
    return this.size;
  }
}

/** Seeded priorities in (0, 10]. */
function priorities(n: number, seed: number): Float64Array {
  let a = seed >>> 0;
  return new Float64Array(n).map(() => {
    a = (Math.imul(a, 1664525) + 1013904223) >>> 0;
    return (a / 4294967296) * 10 + 1e-3;
  });
}

function prioritizedEngine(binding: Binding, capacity: number): Engine {
  const engine = new ReplayEngine({
    maxSize: capacity,
    sampler: Selectors.prioritized(EXPONENT),
    seed: 1,
    binding,
  });
  for (let at = 0; at < capacity; at += 10_000) {
    const n = Math.min(10_000, capacity - at);
    engine.insertBatch(priorities(n, at + 1), engine.createBatch(n));
  }
  return engine;
}

/** The TypeScript table must draw what the engine draws (exponent 1 avoids pow rounding). */
function crossCheck(napi: Binding): void {
  const engine = new ReplayEngine({
    maxSize: 5000,
    sampler: Selectors.prioritized(1),
    seed: 1,
    binding: napi,
  });
  const ts = new SumTreeTable(5001, 1);
  const p = priorities(5000, 9);
  engine.insertBatch(p, engine.createBatch(5000));
  for (const x of p) ts.insert(x);
  const a = engine.createSample(64);
  const keys = new Float64Array(64);
  const probs = new Float64Array(64);
  for (let round = 0; round < 20; round++) {
    engine.sample(a);
    ts.sample(keys, probs);
    if (a.keys.some((k, i) => k !== keys[i] || a.probabilities[i] !== probs[i])) {
      throw new Error('the TypeScript baseline and the engine disagree: the comparison would be unfair');
    }
    const update = priorities(64, round + 100);
    engine.updatePriorities(a.keys, update);
    ts.updatePriorities(keys, update);
  }
}

async function sampleUpdate(napi: Binding, wasm: Binding): Promise<Row[]> {
  const rows: Row[] = [];
  for (const capacity of [10_000, 100_000, 1_000_000]) {
    const engines = { napi: prioritizedEngine(napi, capacity), wasm: prioritizedEngine(wasm, capacity) };
    const ts = new SumTreeTable(capacity + 1, EXPONENT);
    for (const x of priorities(capacity, 1)) ts.insert(x);
    for (const batch of [32, 256]) {
      // New priorities every call, drawn ahead of time so the loop measures only the engine.
      const fresh = Array.from({ length: 64 }, (_, i) => priorities(batch, 1000 + i));
      let round = 0;
      const out = { napi: engines.napi.createSample(batch), wasm: engines.wasm.createSample(batch) };
      const keys = new Float64Array(batch);
      const probs = new Float64Array(batch);
      const step = (kind: 'napi' | 'wasm') => () => {
        const s = engines[kind].sample(out[kind]);
        engines[kind].updatePriorities(s.keys, fresh[round++ & 63]!);
      };
      rows.push(
        ...(await timeCase('replay', `sample+update cap=${capacity} batch=${batch}`, [
          { variant: 'napi', fn: step('napi') },
          { variant: 'wasm', fn: step('wasm') },
          {
            variant: 'ts',
            fn: () => {
              ts.sample(keys, probs);
              ts.updatePriorities(keys, fresh[round++ & 63]!);
            },
          },
        ])),
      );
    }
    engines.napi.free();
    engines.wasm.free();
  }
  return rows;
}

const TRANSITION = [
  { name: 'observation', dtype: 'float32', shape: [4] },
  { name: 'action', dtype: 'int32' },
  { name: 'reward', dtype: 'float32' },
  { name: 'discount', dtype: 'float32' },
  { name: 'nextObservation', dtype: 'float32', shape: [4] },
] as const;

/**
 * Inserting CartPole-sized transitions into a 1e6 prioritized table (full, so FIFO evicts). The
 * `ts` variant only updates its sum tree (no rows, no remover): a lower bound, not a twin.
 */
async function insertRate(napi: Binding, wasm: Binding): Promise<Row[]> {
  const rows: Row[] = [];
  for (const batch of [1, 256]) {
    const make = (binding: Binding) => {
      const engine = new ReplayEngine({
        maxSize: 1_000_000,
        sampler: Selectors.prioritized(EXPONENT),
        columns: TRANSITION,
        binding,
      });
      const rows = engine.createBatch(batch);
      rows.float32.fill(0.5);
      const p = priorities(batch, 5);
      const keys = new Float64Array(batch);
      return () => engine.insertBatch(p, rows, keys);
    };
    const ts = new SumTreeTable(1_000_001, EXPONENT);
    const p = priorities(batch, 5);
    rows.push(
      ...(await timeCase(
        'replay',
        `insert transition, ${batch} per call`,
        [
          { variant: 'napi', fn: make(napi) },
          { variant: 'wasm', fn: make(wasm) },
          {
            variant: 'ts',
            fn: () => {
              for (const x of p) {
                if (ts.size === 1_000_000) ts.size = 0;
                ts.insert(x);
              }
            },
          },
        ],
        { perCall: batch, unit: 'µs/insert' },
      )),
    );
  }
  return rows;
}

const FRAME = 84 * 84;

/** An Atari table filled with `transitions` transitions of episodes of `episode` steps. */
function atariEngine(binding: Binding, maxSize: number, transitions: number, episode: number): Engine {
  const engine = new ReplayEngine({
    maxSize,
    sampler: Selectors.prioritized(EXPONENT),
    frames: { shape: [84, 84], stack: 4 },
    columns: [
      { name: 'observation', frameStack: true },
      { name: 'action', dtype: 'int32' },
      { name: 'reward', dtype: 'float32' },
      { name: 'discount', dtype: 'float32' },
      { name: 'nextObservation', frameStack: true },
    ],
    binding,
  });
  const frame = new Uint8Array(FRAME);
  let previous = -1;
  let t = 0;
  for (let i = 0; i < transitions; ) {
    frame.fill(i & 255);
    const id = engine.addFrame(frame, t === 0 ? -1 : previous);
    if (t > 0) {
      engine.insert(1, { observation: previous, action: 1, reward: 0, discount: 1, nextObservation: id });
      i++;
    }
    previous = id;
    t = (t + 1) % (episode + 1);
  }
  return engine;
}

/** Plain TypeScript gather from a frame ring: the baseline for the stacked gather. */
function tsGather(frames: Uint8Array, ids: Int32Array, prev: Int32Array, out: Uint8Array): void {
  const stack = [0, 0, 0, 0];
  for (let i = 0; i < ids.length; i++) {
    let id = ids[i]!;
    for (let k = 3; k >= 0; k--) {
      stack[k] = id;
      if (id >= 0) id = prev[id]!;
    }
    const o = i * FRAME * 4;
    for (let k = 0; k < 4; k++) {
      const f = stack[k]!;
      for (let p = 0; p < FRAME; p++) out[o + p * 4 + k] = f < 0 ? 0 : frames[f * FRAME + p]!;
    }
  }
}

async function gather(napi: Binding, wasm: Binding): Promise<Row[]> {
  const engines = {
    napi: atariEngine(napi, 10_000, 10_000, 500),
    wasm: atariEngine(wasm, 10_000, 10_000, 500),
  };
  const batches = {
    napi: engines.napi.createBatch(32),
    wasm: engines.wasm.createBatch(32),
  };
  const samples = { napi: engines.napi.sample(32), wasm: engines.wasm.sample(32) };
  const frames = new Uint8Array(FRAME * 2000).map((_, i) => i & 255);
  const prev = new Int32Array(2000).map((_, i) => (i % 500 === 0 ? -1 : i - 1));
  const ids = new Int32Array(64).map((_, i) => (i * 37) % 2000);
  const out = new Uint8Array(64 * FRAME * 4);
  return timeCase('replay', 'gather 32 Atari transitions (2 x 84x84x4 each)', [
    { variant: 'napi', fn: () => engines.napi.gather(samples.napi.keys, batches.napi) },
    { variant: 'wasm', fn: () => engines.wasm.gather(samples.wasm.keys, batches.wasm) },
    { variant: 'ts', fn: () => tsGather(frames, ids, prev, out) },
  ]);
}

/**
 * Bytes per transition of a full Atari table in steady state (twice maxSize inserted, so the
 * frame ring has wrapped and all its chunks exist), against storing both 4-stacks per item.
 */
function bytesPerTransition(napi: Binding): Row[] {
  const maxSize = 20_000;
  const engine = atariEngine(napi, maxSize, 2 * maxSize, 1000);
  const name = `bytes per Atari transition (full ${maxSize} table, default frame ring)`;
  const rows: Row[] = [
    { suite: 'replay', case: name, variant: 'napi', value: engine.memoryBytes / engine.size, unit: 'bytes' },
    { suite: 'replay', case: name, variant: 'naive stacks', value: 2 * 4 * FRAME + 3 * 4, unit: 'bytes' },
  ];
  engine.free();
  return rows;
}

export const replay: Suite = {
  name: 'replay',
  description: 'prioritized replay engine: napi vs wasm vs a TypeScript sum tree of the same design',
  async run() {
    const napi = loadBinding('napi');
    const wasm = loadBinding('wasm');
    crossCheck(napi);
    const rows = [
      ...(await sampleUpdate(napi, wasm)),
      ...(await insertRate(napi, wasm)),
      ...(await gather(napi, wasm)),
      ...bytesPerTransition(napi),
    ];
    return withRatios(rows);
  },
};
