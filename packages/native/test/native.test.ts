// Runs once per binary (see vitest.config.ts): ACME_NATIVE selects napi or wasm.
import { describe, expect, it } from 'vitest';
import { backendInfo, native, RunningMeanStd, sumF32 } from '../src/index.js';
import { columnStats, rng, sumF32Reference } from './reference.js';

const expected = process.env.ACME_NATIVE;

describe(`@acme-ts/native (${expected})`, () => {
  it('loads the binary that ACME_NATIVE forces and says why', () => {
    expect(backendInfo()).toEqual({ kind: expected, reason: 'forced by ACME_NATIVE' });
    expect(native().kind).toBe(expected);
  });

  describe('sumF32', () => {
    it('agrees with the TypeScript reference on random vectors of many lengths', () => {
      const next = rng(1);
      for (const n of [0, 1, 3, 4, 5, 17, 1000, 65_537]) {
        const v = new Float32Array(n).map(() => next() * 200 - 100);
        expect(sumF32(v)).toBeCloseTo(sumF32Reference(v), 6);
      }
    });

    it('reads a subarray view in place, honouring its offset', () => {
      const v = new Float32Array([100, 1, 2, 3, 100]);
      expect(sumF32(v.subarray(1, 4))).toBe(6);
    });

    it('keeps float64 precision where a float32 accumulator would stall', () => {
      expect(sumF32(new Float32Array((1 << 24) + 8).fill(1))).toBe((1 << 24) + 8);
    });

    it('refuses a detached buffer instead of summing it as empty', () => {
      const v = new Float32Array([1, 2]);
      structuredClone(v.buffer, { transfer: [v.buffer] });
      expect(() => sumF32(v)).toThrow(new TypeError('values must not be backed by a detached ArrayBuffer'));
    });

    it('throws a TypeError naming the argument for anything but a Float32Array', () => {
      for (const bad of [[1, 2], new Float64Array(2), new Uint8Array(4), 'x', undefined, null, {}]) {
        expect(() => sumF32(bad as unknown as Float32Array)).toThrow(TypeError);
        expect(() => sumF32(bad as unknown as Float32Array)).toThrow('values must be a Float32Array');
      }
    });
  });

  describe('RunningMeanStd', () => {
    it('matches two-pass statistics when fed in batches', () => {
      const next = rng(2);
      const dim = 4;
      const data = new Float32Array(dim * 300).map(() => next() * 10 - 3);
      const rms = new RunningMeanStd(dim, 1e-12);
      for (let i = 0; i < data.length; i += dim * 30) rms.update(data.subarray(i, i + dim * 30));
      const ref = columnStats(data, dim);
      expect(rms.dim).toBe(dim);
      expect(rms.count).toBeCloseTo(300, 6);
      for (let j = 0; j < dim; j++) {
        expect(rms.mean[j]).toBeCloseTo(ref.mean[j]!, 9);
        expect(rms.var[j]).toBeCloseTo(ref.var[j]!, 9);
      }
    });

    it('normalises into the caller buffer and clips', () => {
      const rms = new RunningMeanStd(1, 1e-12);
      rms.update(new Float32Array([1, 3])); // mean 2, variance 1
      const out = new Float32Array(3);
      rms.normalize(new Float32Array([2, 3, 100]), out, 5);
      expect(out[0]).toBeCloseTo(0, 6);
      expect(out[1]).toBeCloseTo(1, 6);
      expect(out[2]).toBe(5);
    });

    it('rejects bad input with named errors and keeps its state', () => {
      const rms = new RunningMeanStd(2);
      rms.update(new Float32Array([1, 2]));
      const before = [rms.count, ...rms.mean, ...rms.var];
      expect(() => rms.update(new Float32Array([1, 2, 3]))).toThrow(
        new RangeError('batch length must be a positive multiple of dim 2, got 3'),
      );
      expect(() => rms.update(new Float32Array([1, Number.NaN]))).toThrow(
        new RangeError('batch[1] must be finite, got NaN'),
      );
      expect(() => rms.update([1, 2] as unknown as Float32Array)).toThrow(
        new TypeError('batch must be a Float32Array'),
      );
      expect(() => rms.normalize(new Float32Array(4), new Float32Array(2))).toThrow(
        new RangeError('output must have length 4, got 2'),
      );
      const shared = new Float32Array(4);
      expect(() => rms.normalize(shared.subarray(0, 2), shared.subarray(1, 3))).toThrow(
        new RangeError('output must not share memory with input'),
      );
      expect(() => rms.normalize(new Float32Array(2), new Float32Array(2), Number.NaN)).toThrow(RangeError);
      expect([rms.count, ...rms.mean, ...rms.var]).toEqual(before);
    });

    it('rejects bad constructor arguments', () => {
      expect(() => new RunningMeanStd(0)).toThrow(new RangeError('dim must be at least 1, got 0'));
      expect(() => new RunningMeanStd(-1)).toThrow(
        new RangeError('dim must be an integer in [0, 4294967295], got -1'),
      );
      expect(() => new RunningMeanStd(1.5)).toThrow(RangeError);
      expect(() => new RunningMeanStd('3' as unknown as number)).toThrow(
        new TypeError('dim must be a number'),
      );
      expect(() => new RunningMeanStd(2, 0)).toThrow(
        new RangeError('epsilon must be a finite number > 0, got 0'),
      );
    });

    it('refuses a method called on a foreign receiver instead of reading its memory', () => {
      const Core = native().RunningMeanStd;
      const core = new Core(2, 1e-4);
      expect(() => Core.prototype.update.call({}, new Float32Array(2))).toThrow(TypeError);
      expect(() => (Core as unknown as (d: number, e: number) => unknown)(2, 1e-4)).toThrow(TypeError);
      expect(core.dim).toBe(2);
    });

    it('can be freed early; both binaries then refuse further use alike', () => {
      const rms = new RunningMeanStd(3);
      rms.free();
      const refused = new TypeError('receiver must be a live RunningMeanStd instance');
      expect(() => rms.dim).toThrow(refused);
      expect(() => rms.update(new Float32Array(3))).toThrow(refused);
      rms.free(); // twice is harmless
    });

    it('refuses a dim whose statistics cannot be allocated with a RangeError naming dim and the bytes', () => {
      expect(() => new RunningMeanStd(2 ** 31)).toThrow(RangeError);
      expect(() => new RunningMeanStd(2 ** 31)).toThrow(/^dim = 2147483648 needs 34359738368 bytes/);
      // The binary goes on working afterwards.
      expect(new RunningMeanStd(2).dim).toBe(2);
    });
  });

  describe('panics', () => {
    it('surface as an Error carrying the message, and the binary keeps working', () => {
      // Five: a wasm instance used to lose every message after its second panic.
      for (let i = 0; i < 5; i++) {
        expect(() => native().panicForTesting(`boom ${i}`)).toThrow(`boom ${i}`);
        expect(sumF32(new Float32Array([1, 2]))).toBe(3);
      }
      const rms = new RunningMeanStd(1);
      rms.update(new Float32Array([5]));
      expect(rms.count).toBeGreaterThan(1);
    });
  });
});
