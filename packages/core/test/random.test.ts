import { describe, expect, it } from 'vitest';
import { Random } from '../src/random.js';

// Expected values come from the reference C code of xoshiro128** 1.1 and SplitMix64 (compiled
// here); the jump state was also checked as T^(2^64) of the generator's GF(2) transition matrix.
describe('Random (xoshiro128**)', () => {
  it('matches the reference generator from state (1, 2, 3, 4)', () => {
    const rng = Random.fromState([1, 2, 3, 4]);
    const out = Array.from({ length: 8 }, () => rng.nextUint32());
    expect(out).toEqual([11520, 0, 5927040, 70819200, 2031721883, 1637235492, 1287239034, 3734860849]);
  });

  it('seeds the state from SplitMix64', () => {
    const rng = new Random(42);
    expect(Array.from(rng.save())).toEqual([803958421, 3184996902, 2993090819, 686809907]);
    const out = Array.from({ length: 4 }, () => rng.nextUint32());
    expect(out).toEqual([1776835114, 4165204688, 17111135, 2317295270]);
  });

  it('jumps 2^64 draws ahead like the reference jump()', () => {
    const rng = Random.fromState([1, 2, 3, 4]);
    rng.jump();
    expect(Array.from(rng.save())).toEqual([2843103750, 2038079848, 1533207345, 44816753]);
  });

  it('split() gives the current stream to the child and jumps the parent', () => {
    const parent = new Random(7);
    const copy = Random.fromState(parent.save());
    const child = parent.split();
    expect(child.nextUint32()).toBe(copy.nextUint32());
    const jumped = Random.fromState([...new Random(7).save()]);
    jumped.jump();
    expect(parent.nextUint32()).toBe(jumped.nextUint32());
  });

  it('save/restore replays the sequence', () => {
    const rng = new Random(3);
    rng.float();
    const state = rng.save();
    const a = [rng.float(), rng.int(10), rng.normal()];
    rng.restore(state);
    expect([rng.float(), rng.int(10), rng.normal()]).toEqual(a);
  });

  it('same seed, same stream; different seeds, different streams', () => {
    const draw = (seed: number) =>
      Array.from(
        { length: 5 },
        (
          (r) => () =>
            r.nextUint32()
        )(new Random(seed)),
      );
    expect(draw(11)).toEqual(draw(11));
    expect(draw(11)).not.toEqual(draw(12));
    expect(new Random(2n ** 64n + 5n).save()).toEqual(new Random(5).save());
  });

  it('float() is in [0, 1) and int(n) covers [0, n) uniformly', () => {
    const rng = new Random(1);
    const counts = new Array(6).fill(0);
    let sum = 0;
    let outside = 0;
    for (let i = 0; i < 60_000; i++) {
      const f = rng.float();
      if (!(f >= 0 && f < 1)) outside++;
      sum += f;
      counts[rng.int(6)]++;
    }
    expect(outside).toBe(0);
    expect(sum / 60_000).toBeCloseTo(0.5, 2);
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(400);
  });

  it('normal() has mean 0 and standard deviation 1', () => {
    const rng = new Random(5);
    let s = 0;
    let s2 = 0;
    const n = 40_000;
    for (let i = 0; i < n; i++) {
      const x = rng.normal();
      s += x;
      s2 += x * x;
    }
    expect(s / n).toBeCloseTo(0, 1);
    expect(Math.sqrt(s2 / n - (s / n) ** 2)).toBeCloseTo(1, 1);
  });

  it('uniform, integers and shuffle stay in range', () => {
    const rng = new Random(9);
    for (let i = 0; i < 1000; i++) {
      const u = rng.uniform(-2, 3);
      expect(u >= -2 && u < 3).toBe(true);
      const k = rng.integers(5, 8);
      expect(k >= 5 && k < 8 && Number.isInteger(k)).toBe(true);
    }
    const values = [1, 2, 3, 4, 5, 6];
    rng.shuffle(values);
    expect([...values].sort()).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('rejects bad seeds, bounds and states with clear errors', () => {
    expect(() => new Random(1.5)).toThrow(TypeError);
    expect(() => new Random(Number.NaN)).toThrow(/seed/);
    expect(() => new Random(1).int(0)).toThrow(RangeError);
    expect(() => new Random(1).int(2 ** 32 + 1)).toThrow(/n must be/);
    expect(() => Random.fromState([0, 0, 0, 0])).toThrow(/all-zero/);
    expect(() => Random.fromState([1, 2, 3])).toThrow(TypeError);
    expect(() => Random.fromState([1, 2, 3, -1])).toThrow(RangeError);
  });

  it('without a seed draws one from platform entropy', () => {
    expect(new Random().save()).not.toEqual(new Random().save());
  });
});
