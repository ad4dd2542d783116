// Runs once per binary (see vitest.config.ts): ACME_NATIVE selects napi or wasm.
import { describe, expect, it } from 'vitest';
import {
  importanceWeights,
  native,
  RateLimiters,
  ReplayEngine,
  type ReplayEngineOptions,
  Selectors,
} from '../src/index.js';
import { rng } from './reference.js';
import { chiSquare, expectedProbabilities, naiveStack, PrioritizedReference } from './replay-reference.js';

const backend = process.env.ACME_NATIVE;

function prioritized(
  maxSize: number,
  exponent: number,
  extra: Partial<ReplayEngineOptions> = {},
): ReplayEngine {
  return new ReplayEngine({ maxSize, sampler: Selectors.prioritized(exponent), seed: 1, ...extra });
}

/** Counts how often each key is drawn over `draws` draws in batches of `batch`. */
function frequencies(engine: ReplayEngine, keys: number[], draws: number, batch = 250) {
  const counts = new Array<number>(keys.length).fill(0);
  const index = new Map(keys.map((k, i) => [k, i]));
  const sample = engine.createSample(batch);
  const reported = new Map<number, number>();
  for (let d = 0; d < draws; d += batch) {
    engine.sample(sample);
    sample.keys.forEach((k, j) => {
      counts[index.get(k)!]!++;
      reported.set(k, sample.probabilities[j]!);
    });
  }
  return { counts, reported };
}

describe(`ReplayEngine (${backend})`, () => {
  describe('prioritized sampling', () => {
    it.each([0, 0.5, 1, 2])(
      'probabilities and frequencies follow p^%s / sum, with updates and deletes in between',
      (exponent) => {
        for (const stratified of [true, false]) {
          const engine = prioritized(100, exponent, { stratified });
          // Reverb's test: half inserted with their priority, half at 123 and then updated.
          const keys = Array.from({ length: 50 }, (_, k) => engine.insert(k));
          const later = Array.from({ length: 50 }, () => engine.insert(123));
          expect(
            engine.updatePriorities(new Float64Array(later), new Float64Array(later.map((_, i) => 50 + i))),
          ).toBe(50);
          keys.push(...later);
          expect(engine.delete(new Float64Array(keys.slice(0, 10)))).toBe(10);
          const priorities = keys.map((_, k) => (k < 10 ? 0 : k));
          const expected = expectedProbabilities(priorities, exponent);
          const draws = 50_000;
          const { counts, reported } = frequencies(engine, keys, draws);
          expect(counts.slice(0, 10).every((c) => c === 0)).toBe(true); // deleted keys never drawn
          for (const [k, p] of reported) expect(p).toBeCloseTo(expected[keys.indexOf(k)]!, 12);
          // 89 degrees of freedom: chi-square above 140 has probability below 0.1%.
          expect(chiSquare(counts, expected, draws)).toBeLessThan(140);
        }
      },
    );

    it('draws exactly the keys of a TypeScript sum tree with the same seed and algorithm', () => {
      for (const [exponent, stratified] of [
        [1, true],
        [1, false],
        [0, true],
      ] as const) {
        const engine = prioritized(500, exponent, { seed: 7, stratified });
        const reference = new PrioritizedReference(500, exponent, 7, stratified);
        const next = rng(3);
        const keys: number[] = [];
        for (let i = 0; i < 400; i++) {
          const p = i % 13 === 0 ? 0 : next() * 10;
          const key = engine.insert(p);
          expect(reference.insert(p)).toBe(key);
          keys.push(key);
        }
        const a = engine.createSample(64);
        const b = { keys: new Float64Array(64), probabilities: new Float64Array(64) };
        for (let round = 0; round < 50; round++) {
          engine.sample(a);
          expect(a.tableSize).toBe(reference.sample(b.keys, b.probabilities));
          expect(a.keys).toEqual(b.keys);
          expect(a.probabilities).toEqual(b.probabilities);
          const updates = new Float64Array(a.keys.slice(0, 16));
          const priorities = new Float64Array(16).map(() => next() * 5);
          engine.updatePriorities(updates, priorities);
          updates.forEach((k, i) => {
            reference.update(k, priorities[i]!);
          });
          const gone = keys.splice(Math.floor(next() * keys.length), 1)[0]!;
          engine.delete(new Float64Array([gone]));
          reference.delete(gone);
          const fresh = engine.insert(round % 3);
          expect(reference.insert(round % 3)).toBe(fresh);
          keys.push(fresh);
        }
      }
    });

    it('falls back to uniform when every priority is 0, and never draws priority 0 otherwise', () => {
      const engine = prioritized(100, 0);
      const keys = Array.from({ length: 100 }, () => engine.insert(0));
      const { counts, reported } = frequencies(engine, keys, 50_000);
      for (const p of reported.values()) expect(p).toBe(0.01);
      expect(chiSquare(counts, new Array(100).fill(0.01), 50_000)).toBeLessThan(150);
      engine.updatePriorities(new Float64Array([keys[7]!]), new Float64Array([1e-9]));
      const s = engine.sample(100);
      expect(new Set(s.keys)).toEqual(new Set([keys[7]]));
      expect(s.probabilities.every((p) => p === 1)).toBe(true);
    });

    it('keeps the root exact: 1e-15 survives 10,000 inserts and deletes of 0.3', () => {
      for (const exponent of [1, 0.5]) {
        const engine = prioritized(20_000, exponent, { trackMinProbability: true });
        const tiny = engine.insert(1e-15);
        const big = engine.insertBatch(new Float64Array(10_000).fill(0.3), engine.createBatch(10_000));
        expect(engine.delete(big)).toBe(10_000);
        const s = engine.sample(16);
        expect(s.keys.every((k) => k === tiny)).toBe(true);
        expect(s.probabilities.every((p) => p === 1)).toBe(true);
        expect(engine.minProbability()).toBe(1);
      }
    });

    it('stratifies a batch: draw i falls in the i-th equal segment of the total', () => {
      const engine = prioritized(10, 1);
      const keys = [1, 2, 3, 4].map((p) => engine.insert(p));
      // Total 10 cut into 10 segments: segment i = [i, i + 1) lies inside one item.
      const owner = [0, 1, 1, 2, 2, 2, 3, 3, 3, 3];
      expect([...engine.sample(10).keys]).toEqual(owner.map((o) => keys[o]));
    });

    it('is deterministic per seed, and the generator state can be saved and restored', () => {
      const make = (seed: number) => {
        const e = prioritized(1000, 0.6, { seed });
        e.insertBatch(
          new Float64Array(1000).map((_, i) => (i % 17) + 0.5),
          e.createBatch(1000),
        );
        return e;
      };
      const a = make(99);
      const b = make(99);
      expect(a.sample(64).keys).toEqual(b.sample(64).keys);
      const state = a.getRngState();
      const first = a.sample(64);
      a.setRngState(state);
      expect(a.sample(64).keys).toEqual(first.keys);
      expect(make(100).sample(64).keys).not.toEqual(b.sample(64).keys);
      expect(() => a.setRngState(new Uint32Array(4))).toThrow(
        new RangeError('rng state must not be all zeros'),
      );
    });

    it('reports the smallest probability for globally normalised importance weights', () => {
      const engine = prioritized(10, 1, { trackMinProbability: true });
      const keys = [1, 3, 0, 4].map((p) => engine.insert(p));
      expect(engine.minProbability()).toBe(1 / 8);
      engine.delete(new Float64Array([keys[0]!]));
      expect(engine.minProbability()).toBe(3 / 7);
      const probabilities = new Float64Array([3 / 7, 4 / 7]);
      const batch = importanceWeights(probabilities, 3, 1, new Float64Array(2));
      expect(batch[0]).toBeCloseTo(1, 12); // the less likely item has the largest weight
      expect(batch[1]).toBeCloseTo(3 / 4, 12);
      const global = importanceWeights(probabilities, 3, 0.5, new Float64Array(2), {
        minProbability: engine.minProbability(),
      });
      expect(global[0]).toBeCloseTo(1, 12);
      expect(global[1]).toBeCloseTo(Math.sqrt(3 / 4), 12);
      expect(() => prioritized(10, 1).minProbability()).toThrow(
        'minProbability: this engine was made without trackMinProbability',
      );
    });
  });

  describe('other selectors', () => {
    it('min-heap and max-heap follow Reverb, ties going to the oldest insert or update', () => {
      const min = new ReplayEngine({ maxSize: 10, sampler: Selectors.minHeap() });
      const k = [2, 1, 3].map((p) => min.insert(p));
      expect([...min.sample(1).keys]).toEqual([k[1]]);
      min.delete(new Float64Array([k[1]!]));
      expect([...min.sample(2).keys]).toEqual([k[0], k[0]]);
      const max = new ReplayEngine({ maxSize: 10, sampler: Selectors.maxHeap() });
      const m = [300, 1, 20, 1, 20, 1].map((p) => max.insert(p));
      const order: number[] = [];
      for (let i = 0; i < 6; i++) {
        const s = max.sample(1);
        order.push(m.indexOf(s.keys[0]!));
        expect(s.probabilities[0]).toBe(1);
        max.delete(s.keys);
      }
      expect(order).toEqual([0, 2, 4, 1, 3, 5]);
      // An update bumps the item behind its equals.
      const ties = new ReplayEngine({ maxSize: 10, sampler: Selectors.minHeap() });
      const t = [1, 1, 1].map((p) => ties.insert(p));
      ties.updatePriorities(new Float64Array([t[0]!]), new Float64Array([1]));
      const seen: number[] = [];
      for (let i = 0; i < 3; i++) {
        const s = ties.sample(1);
        seen.push(t.indexOf(s.keys[0]!));
        ties.delete(s.keys);
      }
      expect(seen).toEqual([1, 2, 0]);
    });

    it('fifo and lifo samplers return the ends; uniform reports 1/size', () => {
      const fifo = new ReplayEngine({ maxSize: 10, sampler: Selectors.fifo() });
      const lifo = new ReplayEngine({ maxSize: 10, sampler: Selectors.lifo() });
      const f = [5, 1, 9].map((p) => fifo.insert(p));
      const l = [5, 1, 9].map((p) => lifo.insert(p));
      expect([...fifo.sample(2).keys]).toEqual([f[0], f[0]]);
      expect([...lifo.sample(1).keys]).toEqual([l[2]]);
      const uniform = new ReplayEngine({ maxSize: 10, sampler: Selectors.uniform(), seed: 4 });
      for (let i = 1; i <= 10; i++) {
        uniform.insert(1);
        const s = uniform.sample(5);
        expect(s.tableSize).toBe(i);
        expect(s.probabilities.every((p) => p === 1 / i)).toBe(true);
      }
    });
  });

  describe('removal and rate limiting', () => {
    it('a FIFO remover keeps the newest maxSize keys', () => {
      const engine = prioritized(10, 1);
      const keys = new Float64Array(Array.from({ length: 15 }, () => engine.insert(1)));
      expect(engine.size).toBe(10);
      const p = engine.prioritiesOf(keys);
      expect([...p.subarray(0, 5)].every(Number.isNaN)).toBe(true);
      expect([...p.subarray(5)]).toEqual(new Array(10).fill(1));
      expect([engine.inserts, engine.samples, engine.deletes]).toEqual([15, 0, 5]);
    });

    it('a queue table samples each item once, in order, and its rate limiter counts exactly', () => {
      const engine = new ReplayEngine({
        maxSize: 10,
        sampler: Selectors.fifo(),
        remover: Selectors.fifo(),
        maxTimesSampled: 1,
        rateLimiter: RateLimiters.queue(10),
        columns: [{ name: 'step', dtype: 'int32' }],
      });
      expect(engine.canSample()).toBe(false);
      const keys = Array.from({ length: 10 }, (_, i) => {
        expect(engine.canInsert()).toBe(true);
        return engine.insert(1, { step: i });
      });
      expect(engine.canInsert()).toBe(false);
      const s = engine.sample(engine.createSample(4, { info: true }));
      expect(s.tableSize).toBe(10);
      expect([...s.keys]).toEqual(keys.slice(0, 4));
      expect([...s.timesSampled!]).toEqual([1, 1, 1, 1]);
      expect([...s.priorities!]).toEqual([1, 1, 1, 1]);
      expect(engine.size).toBe(6);
      // Sampled for the last time, yet gatherable until the next call that changes the table.
      expect([...engine.gather(s.keys).columns.step!]).toEqual([0, 1, 2, 3]);
      expect(engine.canInsert(4)).toBe(true);
      expect(engine.canInsert(5)).toBe(false);
      engine.insert(1, { step: 10 });
      expect(() => engine.gather(s.keys)).toThrow(RangeError);
      expect(() => engine.sample(8)).toThrow(/exceeds the 7 draws/);
      expect([engine.inserts, engine.samples, engine.deletes]).toEqual([11, 4, 4]);
      engine.reset();
      expect([engine.size, engine.inserts, engine.samples, engine.deletes]).toEqual([0, 0, 0, 0]);
      expect(engine.insert(1, { step: 0 })).not.toBe(keys[0]);
    });

    it('sampling an empty table is an error; a batch of 0 is not', () => {
      const engine = prioritized(5, 1);
      expect(() => engine.sample(1)).toThrow(new Error('sample: the table is empty'));
      expect(engine.sample(0).tableSize).toBe(0);
    });
  });

  describe('columns and frames', () => {
    it('gathers columns into column-major batches, in the order of the keys', () => {
      const engine = new ReplayEngine({
        maxSize: 8,
        sampler: Selectors.uniform(),
        columns: [
          { name: 'obs', dtype: 'float32', shape: [2] },
          { name: 'action', dtype: 'int32' },
          { name: 'pixels', dtype: 'uint8', shape: [3] },
          { name: 'reward', dtype: 'float32' },
        ],
      });
      const a = engine.insert(1, { obs: [1, 2], action: 7, pixels: [1, 2, 3], reward: 5 });
      const batch = engine.createBatch(1);
      batch.columns.obs!.set([3, 4]);
      batch.columns.action![0] = 8;
      batch.columns.pixels!.set([4, 5, 6]);
      batch.columns.reward![0] = 6;
      const b = engine.insertBatch(new Float64Array([1]), batch)[0]!;
      const out = engine.gather(new Float64Array([b, a]));
      expect([...out.columns.obs!]).toEqual([3, 4, 1, 2]);
      expect([...out.columns.action!]).toEqual([8, 7]);
      expect([...out.columns.pixels!]).toEqual([4, 5, 6, 1, 2, 3]);
      expect([...out.columns.reward!]).toEqual([6, 5]);
      expect([...out.float32]).toEqual([3, 4, 1, 2, 6, 5]);
      expect([...out.row('obs', 1)]).toEqual([1, 2]);
    });

    it.each([
      ['zeros', 'last'],
      ['first', 'first'],
      ['zeros', 'first'],
    ] as const)(
      'rebuilds frame stacks (resetFill %s, axis %s) equal to naive stacking',
      (resetFill, axis) => {
        const shape = [3, 4];
        const engine = new ReplayEngine({
          maxSize: 100,
          sampler: Selectors.uniform(),
          frames: { shape, capacity: 200, stack: 4, resetFill, axis },
          columns: [
            { name: 'observation', frameStack: true },
            { name: 'action', dtype: 'int32' },
            { name: 'nextObservation', frameStack: true },
          ],
        });
        const next = rng(5);
        const expected: { key: number; obs: Uint8Array; nextObs: Uint8Array }[] = [];
        // Two actors' episodes interleaved in one ring.
        const actors = [0, 1].map(() => ({ frames: [] as Uint8Array[], ids: [] as number[] }));
        for (let step = 0; step < 40; step++) {
          const actor = actors[step % 2]!;
          if (actor.frames.length > 0 && next() < 0.15) {
            actor.frames = [];
            actor.ids = [];
          }
          const frame = new Uint8Array(12).map(() => Math.floor(next() * 256));
          const id = engine.addFrame(frame, actor.ids.at(-1) ?? -1);
          actor.frames.push(frame);
          actor.ids.push(id);
          const t = actor.frames.length - 1;
          if (t > 0) {
            const key = engine.insert(1, {
              observation: actor.ids[t - 1]!,
              action: step,
              nextObservation: id,
            });
            expected.push({
              key,
              obs: naiveStack(actor.frames, t - 1, 4, resetFill, axis),
              nextObs: naiveStack(actor.frames, t, 4, resetFill, axis),
            });
          }
        }
        const keys = new Float64Array(expected.map((e) => e.key));
        const batch = engine.gather(keys);
        expect(engine.layout.column('observation').shape).toEqual(axis === 'last' ? [3, 4, 4] : [4, 3, 4]);
        expected.forEach((e, i) => {
          expect(batch.row('observation', i)).toEqual(e.obs);
          expect(batch.row('nextObservation', i)).toEqual(e.nextObs);
        });
      },
    );

    it('deletes the items whose frames leave the ring, and refuses stale frame ids', () => {
      const engine = new ReplayEngine({
        maxSize: 1000,
        sampler: Selectors.uniform(),
        frames: { shape: [2], capacity: 10, stack: 4 },
        columns: [
          { name: 'observation', frameStack: true },
          { name: 'nextObservation', frameStack: true },
        ],
      });
      let previous = -1;
      const keys: number[] = [];
      for (let t = 0; t <= 30; t++) {
        const id = engine.addFrame(new Uint8Array([t, t]), previous);
        if (t > 0) keys.push(engine.insert(1, { observation: previous, nextObservation: id }));
        previous = id;
      }
      // Frames 21..30 remain; transition t's observation stack reaches back to frame t - 4.
      expect([engine.oldestFrameId, engine.nextFrameId]).toEqual([21, 31]);
      const alive = engine.prioritiesOf(new Float64Array(keys));
      expect(keys.map((_, i) => i + 1).filter((_, i) => !Number.isNaN(alive[i]))).toEqual([
        25, 26, 27, 28, 29, 30,
      ]);
      expect(engine.size).toBe(6);
      expect(engine.deletes).toBe(24);
      expect(() => engine.insert(1, { observation: 20, nextObservation: 21 })).toThrow(
        new RangeError('frameIds[0] must be a stored frame id in [21, 31), got 20'),
      );
      expect(() => engine.insert(1, { observation: 22, nextObservation: 23 })).toThrow(/needs frame 20/);
      expect(() => engine.addFrame(new Uint8Array(2), 5)).toThrow(
        new RangeError('previous must be -1 (episode start) or a stored frame id in [21, 31), got 5'),
      );
      expect(() => engine.addFrame(new Uint8Array(3))).toThrow(
        new RangeError('frame must have length 2, got 3'),
      );
    });
  });

  describe('checkpoints', () => {
    const options: ReplayEngineOptions = {
      maxSize: 50,
      sampler: Selectors.prioritized(0.6),
      remover: Selectors.fifo(),
      maxTimesSampled: 3,
      rateLimiter: RateLimiters.sampleToInsertRatio(2, 5, 1000),
      seed: 11,
      frames: { shape: [5], capacity: 40 },
      columns: [
        { name: 'obs', frameStack: true },
        { name: 'reward', dtype: 'float32' },
        { name: 'next', frameStack: true },
      ],
    };
    function filled(): ReplayEngine {
      const engine = new ReplayEngine(options);
      let previous = -1;
      for (let t = 0; t < 70; t++) {
        const id = engine.addFrame(new Uint8Array(5).fill(t), t % 9 === 0 ? -1 : previous);
        if (t % 9 !== 0) engine.insert(t % 7, { obs: previous, reward: t, next: id });
        previous = id;
        if (t % 5 === 4) {
          const s = engine.sample(3);
          engine.updatePriorities(s.keys, new Float64Array([0.5, 2, 0]));
        }
      }
      return engine;
    }

    it('a restored engine draws, gathers and inserts exactly as the original', () => {
      const original = filled();
      const bytes = original.checkpoint();
      const restored = new ReplayEngine(options);
      restored.restore(bytes);
      expect(restored.checkpoint()).toEqual(bytes);
      for (let round = 0; round < 10; round++) {
        const a = original.sample(4);
        const b = restored.sample(4);
        expect(b).toEqual(a);
        expect(restored.gather(b.keys)).toEqual(original.gather(a.keys));
        for (const e of [original, restored]) {
          const last = e.nextFrameId - 1;
          const id = e.addFrame(new Uint8Array(5).fill(200 + round), last);
          e.insert(1.5, { obs: last, reward: -round, next: id });
          e.updatePriorities(a.keys, new Float64Array([1, 3, 0.25, 0]));
        }
      }
      expect([restored.inserts, restored.samples, restored.deletes, restored.size]).toEqual([
        original.inserts,
        original.samples,
        original.deletes,
        original.size,
      ]);
    });

    it('refuses corrupt, truncated or foreign bytes with a RangeError and keeps its state', () => {
      const engine = filled();
      const bytes = engine.checkpoint();
      const before = engine.checkpoint();
      const flipped = bytes.slice();
      flipped[100]! ^= 1;
      expect(() => engine.restore(flipped)).toThrow(/checkpoint checksum mismatch/);
      expect(() => engine.restore(bytes.subarray(0, bytes.length - 9))).toThrow(/truncated/);
      expect(() => engine.restore(new Uint8Array(40))).toThrow(/magic bytes "ACMERPLY" missing/);
      const version = bytes.slice();
      version[8] = 2;
      expect(() => engine.restore(version)).toThrow(/version 2 is not supported/);
      for (let i = 0; i < 200; i++) {
        const random = bytes.slice();
        random[12 + Math.floor((i * 7919) % (bytes.length - 12))]! ^= 1 << (i % 8);
        expect(() => engine.restore(random)).toThrow(RangeError);
      }
      const other = new ReplayEngine({ ...options, columns: [{ name: 'reward', dtype: 'float32' }] });
      expect(() => other.restore(bytes)).toThrow(/columns or frame layout differ/);
      expect(engine.checkpoint()).toEqual(before);
    });
  });

  describe('bad input', () => {
    it('rejects invalid options with errors naming the option', () => {
      const base = { maxSize: 10, sampler: Selectors.prioritized(1) };
      expect(() => new ReplayEngine({ ...base, maxSize: 0 })).toThrow(
        new RangeError('maxSize must be an integer in [1, 1073741824], got 0'),
      );
      expect(() => new ReplayEngine({ ...base, maxSize: '10' as unknown as number })).toThrow(
        new TypeError('maxSize must be a number'),
      );
      expect(() => new ReplayEngine({ ...base, sampler: Selectors.prioritized(-1) })).toThrow(
        new RangeError('sampler.priorityExponent must be a finite number >= 0, got -1'),
      );
      expect(() => new ReplayEngine({ ...base, sampler: { kind: 'nope' } as never })).toThrow(TypeError);
      expect(() => new ReplayEngine({ ...base, rateLimiter: RateLimiters.minSize(0) })).toThrow(
        new RangeError('minSizeToSample must be an integer >= 1, got 0'),
      );
      expect(
        () => new ReplayEngine({ ...base, rateLimiter: RateLimiters.sampleToInsertRatio(5, 10, 4) }),
      ).toThrow(/at least 2 \* max\(1, samplesPerInsert\)/);
      expect(
        () => new ReplayEngine({ ...base, columns: [{ name: 'x', dtype: 'float64' as 'float32' }] }),
      ).toThrow(TypeError);
      expect(() => new ReplayEngine({ ...base, columns: [{ name: 'x', frameStack: true }] })).toThrow(
        /frames option is required/,
      );
      expect(
        () => new ReplayEngine({ ...base, trackMinProbability: true, sampler: Selectors.fifo() }),
      ).toThrow(new RangeError('trackMinProbability needs a prioritized sampler'));
    });

    it('rejects bad priorities, keys and buffers before changing anything', () => {
      const engine = prioritized(10, 1, { columns: [{ name: 'a', dtype: 'float32', shape: [2] }] });
      const k = engine.insert(1, { a: [1, 2] });
      const before = engine.checkpoint();
      expect(() => engine.insert(-1, { a: [1, 2] })).toThrow(
        new RangeError('priority must be a finite number >= 0, got -1'),
      );
      expect(() => engine.insert(Number.NaN, { a: [1, 2] })).toThrow(RangeError);
      expect(() => engine.insert(1, { a: [1] })).toThrow(new RangeError('row.a must have 2 values, got 1'));
      expect(() => engine.updatePriorities(new Float64Array([k, k]), new Float64Array([2, -3]))).toThrow(
        new RangeError('priorities[1] must be a finite number >= 0, got -3'),
      );
      expect(() => engine.updatePriorities(new Float64Array([0.5]), new Float64Array([1]))).toThrow(
        new RangeError('keys[0] must be an integer in [0, 2^53), got 0.5'),
      );
      expect(() => engine.updatePriorities(new Float64Array([k]), new Float64Array(2))).toThrow(
        new RangeError('priorities must have length 1, got 2'),
      );
      expect(() => engine.updatePriorities([k] as unknown as Float64Array, new Float64Array(1))).toThrow(
        new TypeError('keys must be a Float64Array'),
      );
      expect(() => engine.gather(new Float64Array([k, 12345]))).toThrow(
        new RangeError('keys[1] = 12345 is not in the table'),
      );
      expect(engine.updatePriorities(new Float64Array([12345]), new Float64Array([1]))).toBe(0);
      expect(engine.delete(new Float64Array([12345]))).toBe(0);
      const shared = new Float64Array(8);
      const sample = { keys: shared.subarray(0, 4), probabilities: shared.subarray(2, 6), tableSize: 0 };
      expect(() => engine.sample(sample)).toThrow(
        new RangeError('probabilities must not share memory with keys'),
      );
      expect(() => engine.canSample(0)).toThrow(new RangeError('numSamples must be an integer >= 1, got 0'));
      expect(() => engine.canInsert(-1)).toThrow(RangeError);
      expect(() => engine.addFrame(new Uint8Array(1))).toThrow(
        new Error('addFrame: this engine was made without the frames option'),
      );
      expect(engine.checkpoint()).toEqual(before);
    });

    it('refuses a method called on a foreign receiver instead of reading its memory', () => {
      const Core = native().ReplayEngine;
      expect(() => Core.prototype.reset.call({})).toThrow(TypeError);
      const engine = prioritized(4, 1);
      engine.insert(1);
      engine.free();
      if (backend === 'wasm') expect(() => engine.size).toThrow(TypeError);
      engine.free();
    });
  });
});

describe(`importanceWeights (${process.env.ACME_NATIVE})`, () => {
  it('refuses NaN, zero and negative probabilities, naming the element', () => {
    for (const p of [Number.NaN, -0.5, 0, 1.5]) {
      expect(() => importanceWeights(new Float64Array([0.5, p]), 4, 0.4, new Float32Array(2))).toThrow(
        new RangeError(`probabilities[1] must be in (0, 1], got ${String(p)}`),
      );
    }
  });

  it('refuses an integer output, which would truncate the weights', () => {
    const out = new Int32Array(2) as unknown as Float32Array;
    expect(() => importanceWeights(new Float64Array([0.5, 0.25]), 4, 0.4, out)).toThrow(
      new TypeError('out must be a Float32Array or a Float64Array, got an Int32Array of length 2'),
    );
    expect(importanceWeights(new Float64Array([0.5, 0.25]), 4, 1, new Float64Array(2))).toEqual(
      new Float64Array([0.5, 1]),
    );
  });
});
