// Runs once per binary (see vitest.config.ts): ACME_NATIVE selects napi or wasm.
import { describe, expect, it } from 'vitest';
import { RateLimiter, RateLimiters } from '../src/index.js';

const backend = process.env.ACME_NATIVE;

describe(`RateLimiter (${backend})`, () => {
  it('blocks sampling until minSizeToSample items are in', () => {
    const r = new RateLimiter(RateLimiters.custom(1, 2, -1, 1));
    expect(r.canSample()).toBe(false);
    r.insert();
    expect(r.canSample()).toBe(false);
    r.insert();
    expect(r.canSample()).toBe(true);
  });

  it("follows Reverb's rate_limiter_test cases with exact counters", () => {
    // spi 1.5, min 1, [-3, 3.1]: two inserts (diff 3.0), then six samples down to -3.
    const a = new RateLimiter(RateLimiters.custom(1.5, 1, -3, 3.1));
    a.insert(2);
    expect(a.canInsert()).toBe(false);
    for (let i = 0; i < 6; i++) {
      expect(a.canSample()).toBe(true);
      a.sample();
    }
    expect(a.canSample()).toBe(false);
    expect([a.inserts, a.samples, a.deletes]).toEqual([2, 6, 0]);
    // spi 1.5, min 2, [-1, 3]: after two inserts one sample; the third insert waits for two.
    const b = new RateLimiter(RateLimiters.custom(1.5, 2, -1, 3));
    b.insert(2);
    expect(b.canInsert()).toBe(false);
    b.sample();
    expect(b.canInsert()).toBe(false);
    b.sample();
    expect(b.canInsert()).toBe(true);
    // spi 1, min 1, [-1, 1] after one insert: canSample(1), (2) true, (3) false.
    const c = new RateLimiter(RateLimiters.custom(1, 1, -1, 1));
    c.insert();
    expect([c.canSample(1), c.canSample(2), c.canSample(3)]).toEqual([true, true, false]);
    // spi 1.5, min 2, [0, 5]: canInsert(1..3) true, (4) false; after 3 inserts and 2 samples
    // canInsert(1) true, (2) false.
    const d = new RateLimiter(RateLimiters.custom(1.5, 2, 0, 5));
    expect([1, 2, 3, 4].map((n) => d.canInsert(n))).toEqual([true, true, true, false]);
    d.insert(3);
    d.sample(2);
    expect([d.canInsert(1), d.canInsert(2)]).toEqual([true, false]);
  });

  it('deletes below minSizeToSample block samples and free inserts', () => {
    const r = new RateLimiter(RateLimiters.custom(1, 3, 0, 3));
    r.insert(3);
    expect([r.canSample(), r.canInsert()]).toEqual([true, false]);
    r.delete();
    expect([r.canSample(), r.canInsert()]).toEqual([false, true]);
    r.reset();
    expect([r.inserts, r.samples, r.deletes]).toEqual([0, 0, 0]);
  });

  it('builds Reverb limiters with their parameters', () => {
    const dqn = new RateLimiter(RateLimiters.sampleToInsertRatio(0.5, 1000, 50));
    expect([dqn.samplesPerInsert, dqn.minSizeToSample, dqn.minDiff, dqn.maxDiff]).toEqual([
      0.5, 1000, 450, 550,
    ]);
    const min = new RateLimiter(RateLimiters.minSize(3));
    expect([min.minDiff, min.maxDiff]).toEqual([-Number.MAX_VALUE, Number.MAX_VALUE]);
    const queue = new RateLimiter(RateLimiters.queue(10));
    expect([queue.samplesPerInsert, queue.minSizeToSample, queue.minDiff, queue.maxDiff]).toEqual([
      1, 1, 0, 10,
    ]);
    const stack = new RateLimiter(RateLimiters.stack(4));
    expect(stack.maxDiff).toBe(4);
  });

  it('rejects what Reverb rejects, with errors naming the parameter', () => {
    const bad = [
      RateLimiters.sampleToInsertRatio(5, 10, 4),
      RateLimiters.sampleToInsertRatio(0.5, 10, 0.9),
      RateLimiters.sampleToInsertRatio(5, 10, [8, 12]),
      RateLimiters.sampleToInsertRatio(0.1, 10, [9.5, 10.5]),
      RateLimiters.sampleToInsertRatio(1, 10, [11, 15]),
      RateLimiters.sampleToInsertRatio(1, 0, [-100, 100]),
      RateLimiters.sampleToInsertRatio(0, 10, [-100, 100]),
      RateLimiters.sampleToInsertRatio(-1, 10, [-100, 100]),
      RateLimiters.minSize(-1),
      RateLimiters.minSize(0),
      RateLimiters.custom(1, 1, 2, 1),
    ];
    for (const spec of bad) expect(() => new RateLimiter(spec), JSON.stringify(spec)).toThrow(RangeError);
    for (const spec of [
      RateLimiters.sampleToInsertRatio(0.5, 10, 1.1),
      RateLimiters.sampleToInsertRatio(1, 10, [5, 9]),
      RateLimiters.sampleToInsertRatio(1, 10, [7, 12]),
      RateLimiters.minSize(1),
    ]) {
      expect(() => new RateLimiter(spec)).not.toThrow();
    }
    expect(() => new RateLimiter(RateLimiters.minSize(0))).toThrow(
      new RangeError('minSizeToSample must be an integer >= 1, got 0'),
    );
    expect(() => new RateLimiter(RateLimiters.sampleToInsertRatio(1, 10, [11, 15]))).toThrow(/deadlock/);
    expect(() => new RateLimiter(RateLimiters.minSize('2' as unknown as number))).toThrow(
      new TypeError('minSizeToSample must be a number'),
    );
    const r = new RateLimiter(RateLimiters.minSize(1));
    expect(() => r.canInsert(0)).toThrow(new RangeError('numInserts must be an integer >= 1, got 0'));
    expect(() => r.insert(1.5)).toThrow(RangeError);
  });
});

describe(`RateLimiter.delete (${backend})`, () => {
  it('refuses deleting more items than were inserted, naming n and the counts', () => {
    const r = new RateLimiter(RateLimiters.minSize(1));
    r.insert(1);
    expect(() => r.delete(100)).toThrow(
      new RangeError('n = 100 deletes more items than are stored (1 inserted, 0 deleted)'),
    );
    expect(r.deletes).toBe(0);
    r.delete(1);
    expect(() => r.delete(1)).toThrow(
      new RangeError('n = 1 deletes more items than are stored (1 inserted, 1 deleted)'),
    );
    expect([r.inserts, r.deletes]).toEqual([1, 1]);
  });
});
