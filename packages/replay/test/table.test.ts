/**
 * Table against Reverb's table_test.cc / client_test.py cases, plus the waiting semantics the
 * engine leaves to the table: FIFO waiting, timeouts, aborts, batches completed in parts.
 */
import { ArraySpec, DiscreteArray } from '@acme-ts/core';
import { describe, expect, it } from 'vitest';
import {
  disableInsertBlocking,
  RateLimiters,
  RateLimiterTimeoutError,
  Selectors,
  Table,
  TableCancelledError,
  type TableOptions,
} from '../src/index.js';

const SIGNATURE = { observation: new ArraySpec([2], 'float32'), action: new DiscreteArray(3) };
const item = (i: number) => ({ observation: Float32Array.of(i, -i), action: i % 3 });

function table(overrides: Partial<TableOptions> = {}): Table {
  return new Table({
    name: 'dist',
    sampler: Selectors.uniform(),
    remover: Selectors.fifo(),
    maxSize: 10,
    rateLimiter: RateLimiters.minSize(1),
    signature: SIGNATURE,
    seed: 7,
    ...overrides,
  });
}

/** Lets pending promise callbacks run. */
const settle = () => new Promise((r) => setTimeout(r, 0));

/** Whether a promise is still pending after the event loop turns once. */
async function pending(p: Promise<unknown>): Promise<boolean> {
  let done = false;
  p.then(
    () => {
      done = true;
    },
    () => {
      done = true;
    },
  );
  await settle();
  return !done;
}

describe('Table: Reverb table_test.cc', () => {
  it('samples a single item with probability 1 and times sampled 1, then 2', () => {
    const t = table();
    const key = t.tryInsert(item(1), 1)!;
    const s = t.trySample(1)!;
    expect([s.keys[0], s.probabilities[0], s.timesSampled[0], s.tableSize, s.priorities[0]]).toEqual([
      key,
      1,
      1,
      1,
      1,
    ]);
    expect(s.item(0)).toEqual({ observation: Float32Array.of(1, -1), action: 1 });
    t.trySample(s);
    expect(s.timesSampled[0]).toBe(2);
  });

  it('removes an item after maxTimesSampled samples (and it can no longer be sampled)', () => {
    const t = table({ maxTimesSampled: 2 });
    t.tryInsert(item(1), 1);
    const s = t.createSample(1);
    t.trySample(s);
    expect(t.size).toBe(1);
    t.trySample(s);
    expect(s.timesSampled[0]).toBe(2);
    // The batch that sampled it the last time still holds its data.
    expect(s.item(0)).toEqual({ observation: Float32Array.of(1, -1), action: 1 });
    expect(t.size).toBe(0);
    // Deleting the item made size drop below minSizeToSample: sampling waits again.
    expect(t.canSample(1)).toBe(false);
    expect(t.trySample(1)).toBeUndefined();
  });

  it('keeps the newest maxSize keys with a FIFO remover (15 inserts into 10)', () => {
    const t = table();
    const keys = Array.from({ length: 15 }, (_, i) => t.tryInsert(item(i), 1)!);
    expect(t.size).toBe(10);
    const kept = t.prioritiesOf(Float64Array.from(keys));
    expect(Array.from(kept, (p) => !Number.isNaN(p))).toEqual([
      ...Array(5).fill(false),
      ...Array(10).fill(true),
    ]);
  });

  it('reports the table size at sample time', () => {
    const t = table();
    for (let i = 1; i <= 10; i++) {
      t.tryInsert(item(i), 1);
      expect(t.trySample(1)!.tableSize).toBe(i);
    }
  });

  it('behaves as a queue: the 11th insert waits for a sample, samples come out FIFO, then sampling waits', async () => {
    const t = Table.queue('queue', 10, SIGNATURE);
    const keys = Array.from({ length: 10 }, (_, i) => t.tryInsert(item(i), 1)!);
    expect(t.tryInsert(item(10), 1)).toBeUndefined();
    const eleventh = t.insert(item(10), 1);
    expect(await pending(eleventh)).toBe(true);
    const first = t.trySample(1)!;
    expect(first.keys[0]).toBe(keys[0]);
    keys.push(await eleventh);
    for (let i = 1; i <= 10; i++) expect((await t.sample(1)).keys[0]).toBe(keys[i]);
    expect(t.size).toBe(0);
    const waiting = t.sample(1);
    expect(await pending(waiting)).toBe(true);
    const key = await t.insert(item(11), 1);
    expect((await waiting).keys[0]).toBe(key);
  });

  it('lets a waiting sample through once an insert arrives', async () => {
    const t = table();
    const s = t.sample(1);
    expect(await pending(s)).toBe(true);
    const key = t.tryInsert(item(4), 2);
    const batch = await s;
    expect(batch.keys[0]).toBe(key);
    expect(batch.item(0)).toEqual({ observation: Float32Array.of(4, -4), action: 1 });
  });

  it('ignores unknown keys in updatePriorities and delete, as Reverb mutate_priorities does', () => {
    const t = table({ sampler: Selectors.prioritized(1) });
    const a = t.tryInsert(item(1), 1)!;
    const b = t.tryInsert(item(2), 1)!;
    t.delete(Float64Array.of(b));
    expect(t.updatePriorities(Float64Array.of(a, b, 123456), Float64Array.of(5, 6, 7))).toBe(1);
    expect(Array.from(t.prioritiesOf(Float64Array.of(a, b)))).toEqual([5, Number.NaN]);
    expect(t.delete(Float64Array.of(b, 99999))).toBe(0);
  });

  it('samples in proportion to priority (client_test.py: 0.4 / 0.4 / 0.2)', () => {
    const t = table({
      sampler: Selectors.prioritized(1),
      rateLimiter: RateLimiters.minSize(3),
      stratified: false,
    });
    const keys = [1, 2, 3].map((i) => t.tryInsert(item(i), 1)!);
    for (let i = 0; i < 3; i++) {
      expect(t.trySample(1)!.probabilities[0]).toBeCloseTo(1 / 3, 12);
    }
    t.updatePriorities(Float64Array.of(keys[2]!), Float64Array.of(0.5));
    const counts = new Map<number, number>();
    const s = t.createSample(1000);
    t.trySample(s);
    for (const k of s.keys) counts.set(k, (counts.get(k) ?? 0) + 1);
    expect(counts.get(keys[0]!)! / 1000).toBeCloseTo(0.4, 1);
    expect(counts.get(keys[2]!)! / 1000).toBeCloseTo(0.2, 1);
  });

  it('uses any selector as sampler or remover (heap_test.cc, Table.stack)', () => {
    // Min-heap sampler: the smallest priority first (123: 2, 124: 1, 125: 3 in Reverb's test).
    const heap = table({ sampler: Selectors.minHeap(), remover: Selectors.maxHeap(), maxSize: 3 });
    const [a, b, c] = [2, 1, 3].map((p, i) => heap.tryInsert(item(i), p)!);
    expect(heap.trySample(1)!.keys[0]).toBe(b);
    heap.delete(Float64Array.of(b!));
    expect(heap.trySample(1)!.keys[0]).toBe(a);
    // Two more items overflow maxSize 3: the max-heap remover drops the highest priority (c).
    const d = heap.tryInsert(item(3), 0.5)!;
    const e = heap.tryInsert(item(4), 0.7)!;
    expect(Array.from(heap.prioritiesOf(Float64Array.of(a!, c!, d, e)))).toEqual([2, Number.NaN, 0.5, 0.7]);

    const stack = Table.stack('stack', 3, SIGNATURE);
    const keys = [0, 1, 2].map((i) => stack.tryInsert(item(i), 1)!);
    expect(stack.tryInsert(item(3), 1)).toBeUndefined();
    expect([0, 1, 2].map(() => stack.trySample(1)!.keys[0])).toEqual([keys[2], keys[1], keys[0]]);
    expect(stack.trySample(1)).toBeUndefined();
  });

  it('resets: no items, counters zeroed, new keys disjoint from old', () => {
    const t = table();
    const old = [1, 2, 3].map((i) => t.tryInsert(item(i), 1)!);
    t.reset();
    expect(t.size).toBe(0);
    expect(t.info().rateLimiter.inserts).toBe(0);
    const fresh = [1, 2, 3].map((i) => t.tryInsert(item(i), 1)!);
    expect(fresh.some((k) => old.includes(k))).toBe(false);
  });
});

describe('Table: rate limiter waits', () => {
  it('rejects a sample that waits past its timeout with RateLimiterTimeoutError', async () => {
    const t = table({ rateLimiter: RateLimiters.minSize(2) });
    t.tryInsert(item(1), 1);
    const err = await t.sample(1, { timeoutMs: 20 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimiterTimeoutError);
    expect((err as RateLimiterTimeoutError).operation).toBe('sample');
    expect((err as Error).message).toMatch(
      /Table "dist": a sample of 1 waited 20 ms .*size 1, inserts 1, samples 0.*minSizeToSample 2/,
    );
    expect(t.info().pendingSamples).toBe(0);
  });

  it('rejects an insert that waits past its timeout, and the item is not inserted', async () => {
    const t = Table.queue('q', 1, SIGNATURE);
    t.tryInsert(item(1), 1);
    await expect(t.insert(item(2), 1, { timeoutMs: 10 })).rejects.toThrow(RateLimiterTimeoutError);
    expect(t.size).toBe(1);
    expect(t.info().pendingInserts).toBe(0);
  });

  it('serves waiting samples first come first served', async () => {
    const t = table();
    const a = t.sample(1);
    const b = t.sample(1);
    const order: string[] = [];
    a.then(() => order.push('a'));
    b.then(() => order.push('b'));
    t.tryInsert(item(1), 1);
    await Promise.all([a, b]);
    expect(order).toEqual(['a', 'b']);
  });

  it('completes a batch larger than the limiter window in parts, as inserts arrive', async () => {
    // Samples need inserts * 1 - samples >= 0 and inserts wait beyond a difference of 2, so a
    // batch of 5 can never be drawn at once: it is drawn as the limiter allows.
    // FIFO, each item sampled once: the batch must be exactly the five items, in order.
    const t = table({
      rateLimiter: RateLimiters.custom(1, 1, 0, 2),
      sampler: Selectors.fifo(),
      maxTimesSampled: 1,
      maxSize: 100,
    });
    const batch = t.sample(5);
    const keys: number[] = [];
    for (let i = 0; i < 5; i++) keys.push(await t.insert(item(i), 1, { timeoutMs: 1000 }));
    const s = await batch;
    expect(Array.from(s.keys)).toEqual(keys);
    expect(s.item(4)).toEqual({ observation: Float32Array.of(4, -4), action: 1 });
  });

  it('aborts waiting calls through a signal, and close() cancels everything', async () => {
    const t = table();
    const controller = new AbortController();
    const s = t.sample(1, { signal: controller.signal });
    controller.abort();
    await expect(s).rejects.toThrow(TableCancelledError);
    const other = t.sample(1);
    t.close();
    await expect(other).rejects.toThrow(/was closed/);
    expect(() => t.tryInsert(item(1), 1)).toThrow(/is closed/);
  });

  it('never blocks inserts once insert blocking is disabled (Acme single-process runner), but still waits to sample', () => {
    const strict = table({ rateLimiter: RateLimiters.sampleToInsertRatio(1, 3, 1), maxSize: 100 });
    for (let i = 0; i < 4; i++) strict.tryInsert(item(i), 1);
    expect(strict.canInsert()).toBe(false);
    const relaxed = disableInsertBlocking(strict);
    expect(relaxed.size).toBe(0);
    expect(relaxed.trySample(1)).toBeUndefined();
    for (let i = 0; i < 100; i++) expect(relaxed.tryInsert(item(i), 1)).toBeTypeOf('number');
    expect(relaxed.info().rateLimiter).toMatchObject({
      samplesPerInsert: 1,
      minSizeToSample: 3,
      minDiff: 2,
      maxDiff: Number.MAX_VALUE,
    });
    expect(relaxed.trySample(32)).toBeDefined();
  });
});

describe('Table: signature', () => {
  it('names the field, the expected dtype and shape and what came', () => {
    const t = table();
    expect(() => t.tryInsert({ observation: new Float64Array(2), action: 0 }, 1)).toThrow(
      'item.observation must be a float32 of shape [2] (a Float32Array of 2 elements), got Float64Array(2) [0, 0]',
    );
    expect(() => t.tryInsert({ observation: new Float32Array(3), action: 0 }, 1)).toThrow(
      /item\.observation must be a float32 of shape \[2\] .*got 3 elements/,
    );
    expect(() => t.tryInsert({ observation: new Float32Array(2), action: 1.5 }, 1)).toThrow(
      /item\.action must be a int32 of shape \[\] \(an integer/,
    );
    expect(() => t.tryInsert({ observation: new Float32Array(2) }, 1)).toThrow(
      'item must have keys [observation, action], got [observation]',
    );
    expect(() => t.tryInsert(item(1), Number.NaN)).toThrow('priority must be a finite number >= 0, got NaN');
    expect(t.size).toBe(0);
  });

  it('takes priorities only as finite numbers >= 0, in every method that takes them', async () => {
    const t = table({ rateLimiter: RateLimiters.minSize(1) });
    const bad: [unknown, ErrorConstructor, string][] = [
      [null, TypeError, 'priority must be a finite number >= 0, got object null'],
      ['1', TypeError, 'priority must be a finite number >= 0, got string "1"'],
      [undefined, TypeError, 'priority must be a finite number >= 0, got undefined undefined'],
      [true, TypeError, 'priority must be a finite number >= 0, got boolean true'],
      [-1, RangeError, 'priority must be a finite number >= 0, got -1'],
      [Number.POSITIVE_INFINITY, RangeError, 'priority must be a finite number >= 0, got Infinity'],
    ];
    for (const [priority, kind, message] of bad) {
      const p = priority as number;
      expect(() => t.tryInsert(item(1), p)).toThrow(new kind(message));
      await expect(t.insert(item(1), p)).rejects.toThrow(new kind(message));
      expect(() => t.tryInsertRow(p)).toThrow(new kind(message));
      await expect(t.enqueueRow(p)).rejects.toThrow(new kind(message));
    }
    expect(t.size).toBe(0);

    // updatePriorities: the engine checks each value (both binaries), naming its index.
    const key = t.tryInsert(item(1), 0)!;
    const keys = Float64Array.of(key);
    for (const p of [Number.NaN, -1, Number.POSITIVE_INFINITY]) {
      expect(() => t.updatePriorities(keys, Float64Array.of(p))).toThrow(
        /^priorities\[0\] must be a finite number >= 0, got /,
      );
    }
    expect(() => t.updatePriorities(keys, [2] as unknown as Float64Array)).toThrow(
      new TypeError('priorities must be a Float64Array'),
    );
    expect(Array.from(t.prioritiesOf(keys))).toEqual([0]);
  });

  it('refuses dtypes storage cannot hold and names frame fields that do not exist', () => {
    expect(() => table({ signature: { x: new ArraySpec([], 'uint32') } })).toThrow(/"x" has dtype uint32/);
    expect(() =>
      table({ signature: SIGNATURE, frames: { shape: [2], stack: 1, fields: ['pixels'] } }),
    ).toThrow(/names no leaf of the signature: pixels/);
  });

  it('stores variable-length items zero-padded with their lengths', () => {
    const t = table({ signature: { x: new ArraySpec([4, 2], 'float64') }, variableLength: true });
    t.tryInsert({ x: Float64Array.of(1, 2, 3, 4) }, 1);
    const s = t.trySample(1)!;
    expect(s.lengths![0]).toBe(2);
    expect(Array.from(s.column('x'))).toEqual([1, 2, 3, 4, 0, 0, 0, 0]);
    expect(s.item(0)).toEqual({ x: Float64Array.of(1, 2, 3, 4) });
    expect(() => t.tryInsert({ x: new Float64Array(3) }, 1)).toThrow(/with 1 <= k <= 4 .*got 3 elements/);
    expect(() => t.tryInsert({ x: new Float64Array(10) }, 1)).toThrow(RangeError);
  });

  it('stores frame fields once and gathers their stacks', () => {
    const t = new Table({
      name: 'atari',
      sampler: Selectors.fifo(),
      remover: Selectors.fifo(),
      maxSize: 10,
      maxTimesSampled: 1,
      rateLimiter: RateLimiters.minSize(1),
      signature: { observation: new ArraySpec([2, 2], 'uint8'), action: new DiscreteArray(4) },
      frames: { shape: [2], stack: 2, fields: ['observation'] },
    });
    const a = t.addFrame(Uint8Array.of(1, 2));
    const b = t.addFrame(Uint8Array.of(3, 4), a);
    t.tryInsert({ observation: a, action: 0 }, 1);
    t.tryInsert({ observation: b, action: 1 }, 1);
    const s = t.trySample(2)!;
    // Stack axis last: [frame element, stack], zeros before the episode's first frame.
    expect(Array.from(s.column('observation'))).toEqual([0, 1, 0, 2, 1, 3, 2, 4]);
    expect(() => t.tryInsert({ observation: new Uint8Array(4), action: 0 }, 1)).toThrow(
      /frame field: it must be a frame id/,
    );
  });

  it('describes itself in info()', () => {
    const t = table({ maxTimesSampled: 3 });
    t.tryInsert(item(1), 1);
    expect(t.info()).toMatchObject({
      name: 'dist',
      maxSize: 10,
      maxTimesSampled: 3,
      currentSize: 1,
      sampler: { kind: 'uniform' },
      remover: { kind: 'fifo' },
      rateLimiter: { minSizeToSample: 1, inserts: 1, samples: 0, deletes: 0 },
    });
  });
});
