// Runs once per binary (see vitest.config.ts): ACME_NATIVE selects napi or wasm.
import { describe, expect, it } from 'vitest';
import {
  FramePreprocessor,
  FramePreprocessorBatch,
  type FramePreprocessorOptions,
  native,
  resolveFrameOptions,
} from '../src/index.js';
import {
  areaTable,
  exactAreaMean,
  FramePreprocessorReference,
  preprocessFrame,
  resizeArea,
  rgbToGray,
} from './frames-reference.js';
import { rng } from './reference.js';

const kind = process.env.ACME_NATIVE;

function randomFrame(next: () => number, length: number): Uint8Array {
  return new Uint8Array(length).map(() => Math.floor(next() * 256));
}

/** A frame with few distinct levels: flat regions and edges, where exact .5 averages are common. */
function blockyFrame(next: () => number, h: number, w: number): Uint8Array {
  const levels = [0, 17, 142, 200, 255];
  const out = new Uint8Array(h * w * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const v = levels[((x >> 2) * 7 + (y >> 1) * 3 + Math.floor(next() * 1.2)) % levels.length]!;
      out.set([v, (v * 3) & 255, 255 - v], (y * w + x) * 3);
    }
  }
  return out;
}

function referenceFor(options: FramePreprocessorOptions = {}): FramePreprocessorReference {
  return new FramePreprocessorReference(resolveFrameOptions(options));
}

/** Steps a preprocessor and the reference through the same frames; compares every observation. */
function expectSameAsReference(options: FramePreprocessorOptions, frames: Uint8Array[]): void {
  const pre = new FramePreprocessor(options);
  const ref = referenceFor(options);
  const got = new Uint8Array(pre.observationLength);
  const want = new Uint8Array(pre.observationLength);
  const pooled = pre.options.pooledFrames === 2;
  pre.reset(frames[0]!, got);
  ref.reset(frames[0]!);
  ref.read(want);
  expect(got).toEqual(want);
  for (let t = 1; t < frames.length; t++) {
    const previous = pooled ? frames[t - 1]! : null;
    pre.step(previous, frames[t]!, got);
    ref.step(previous, frames[t]!);
    ref.read(want);
    expect(got).toEqual(want);
  }
  pre.free();
}

describe(`FramePreprocessor (${kind})`, () => {
  describe('the TypeScript oracle', () => {
    it('uses OpenCV 4.x 8-bit RGB2GRAY (15-bit fixed point, not the 14-bit constants of OpenCV 3)', () => {
      expect(rgbToGray(0, 0, 0)).toBe(0);
      expect(rgbToGray(255, 255, 255)).toBe(255);
      expect(rgbToGray(200, 72, 72)).toBe(110); // Breakout's red bricks, as ALE's palette says
      expect(rgbToGray(0, 1, 0)).toBe(1); // 14-bit constants give 0 here
    });

    it("builds OpenCV's INTER_AREA tables for 160 -> 84 and 210 -> 84", () => {
      const x = areaTable(160, 84).filter((t) => t.dst <= 1);
      expect(x.map((t) => t.src)).toEqual([0, 1, 1, 2, 3]);
      expect(x[0]!.alpha).toBe(Math.fround(0.525));
      expect(x[1]!.alpha).toBeCloseTo(0.475, 6);
      expect(x[2]!.alpha).toBeCloseTo(0.05, 6);
      const y = areaTable(210, 84).filter((t) => t.dst <= 1);
      expect(y.map((t) => t.src)).toEqual([0, 1, 2, 2, 3, 4]);
      expect(y.map((t) => t.alpha)).toEqual([0.4, 0.4, 0.2, 0.2, 0.4, 0.4].map(Math.fround));
    });

    it('is within one grey level of the exact area mean everywhere', () => {
      const next = rng(11);
      for (const [h, w, oh, ow] of [
        [210, 160, 84, 84],
        [37, 53, 11, 17],
        [168, 168, 84, 84],
      ] as const) {
        const plane = Array.from({ length: h * w }, () => Math.floor(next() * 256));
        const fast = resizeArea(plane, h, w, oh, ow);
        const exact = exactAreaMean(plane, h, w, oh, ow);
        let equal = 0;
        for (let i = 0; i < fast.length; i++) {
          expect(Math.abs(fast[i]! - exact[i]!)).toBeLessThanOrEqual(1);
          if (fast[i] === exact[i]) equal++;
        }
        expect(equal / fast.length).toBeGreaterThan(0.97);
      }
    });
  });

  describe('agrees with the oracle bit for bit', () => {
    it('on random 210x160 frames (the DQN pipeline)', () => {
      const next = rng(1);
      expectSameAsReference(
        {},
        Array.from({ length: 5 }, () => randomFrame(next, 100_800)),
      );
    });

    it('on blocky frames, where exact ties (x.5 averages) are frequent', () => {
      const next = rng(2);
      expectSameAsReference(
        {},
        Array.from({ length: 4 }, () => blockyFrame(next, 210, 160)),
      );
    });

    it('on other sizes, integer factors, wide footprints, RGB output, no pooling and other depths', () => {
      const next = rng(3);
      const cases: FramePreprocessorOptions[] = [
        { height: 37, width: 53, scaleDims: [11, 17], numStackedFrames: 3 },
        { height: 160, width: 210, scaleDims: [84, 84] },
        { height: 168, width: 168, scaleDims: [84, 84], resetFill: 'first' },
        { height: 90, width: 60, scaleDims: [30, 20], numStackedFrames: 1 },
        { height: 100, width: 80, scaleDims: [7, 9], pooledFrames: 1 },
        { height: 48, width: 40, scaleDims: [20, 15], grayscaling: false, numStackedFrames: 2 },
        { height: 5, width: 7, scaleDims: [5, 7] },
        { height: 1, width: 1, scaleDims: [1, 1], numStackedFrames: 5 },
      ];
      for (const options of cases) {
        const o = resolveFrameOptions(options);
        const frames = Array.from({ length: 4 }, () => randomFrame(next, o.height * o.width * 3));
        expectSameAsReference(options, frames);
      }
    });

    it('on all-0 and all-255 frames and single pixels on footprint borders', () => {
      const zero = new Uint8Array(100_800);
      const full = new Uint8Array(100_800).fill(255);
      const dots = new Uint8Array(100_800);
      // Columns 1, 2, 3, 40 and rows 2, 5, 207 straddle 160 -> 84 and 210 -> 84 footprints.
      for (const [y, x] of [
        [0, 0],
        [2, 1],
        [5, 3],
        [2, 2],
        [207, 40],
        [209, 159],
      ] as const) {
        dots.set([255, 255, 255], (y * 160 + x) * 3);
      }
      const pre = new FramePreprocessor({ pooledFrames: 1, numStackedFrames: 1 });
      const out = new Uint8Array(7056);
      pre.step(null, zero, out);
      expect(out.every((v) => v === 0)).toBe(true);
      pre.step(null, full, out);
      expect(out.every((v) => v === 255)).toBe(true);
      pre.step(null, dots, out);
      const o = { height: 210, width: 160, scaleDims: [84, 84] as const, grayscaling: true };
      expect(out).toEqual(preprocessFrame(o, null, dots));
      // Output (0, 0) takes 0.525 x 0.4 of the white pixel (0, 0) and 0.475 x 0.2 of (2, 1):
      // 255 * (0.21 + 0.095) = 77.775 -> 78.
      expect(out[0]).toBe(78);
      expectSameAsReference({}, [zero, full, dots, zero, dots]);
    });
  });

  describe('the stack', () => {
    const flat = (value: number, options: FramePreprocessorOptions = {}) => {
      const o = resolveFrameOptions(options);
      return new Uint8Array(o.height * o.width * 3).fill(value);
    };

    it('resets to zeros then the first frame (Acme), or to copies of it (baselines)', () => {
      const zeros = new FramePreprocessor({ resetFill: 'zeros' });
      const out = new Uint8Array(zeros.observationLength);
      zeros.step(flat(7), flat(7), out); // something in the stack before the reset
      zeros.reset(flat(10), out);
      expect([...out.subarray(0, 8)]).toEqual([0, 0, 0, 10, 0, 0, 0, 10]);
      const first = new FramePreprocessor({ resetFill: 'first' });
      first.reset(flat(10), out);
      expect(out.every((v) => v === 10)).toBe(true);
    });

    it('stacks on the last axis, oldest first, max-pooling each step', () => {
      const pre = new FramePreprocessor();
      const out = new Uint8Array(pre.observationLength);
      pre.reset(flat(1));
      pre.step(flat(2), flat(9)); // max 9
      pre.step(flat(30), flat(3)); // max 30
      pre.step(flat(4), flat(4), out);
      expect(pre.observationShape).toEqual([84, 84, 4]);
      for (let e = 0; e < 7056; e += 1000) expect([...out.subarray(4 * e, 4 * e + 4)]).toEqual([1, 9, 30, 4]);
      pre.step(flat(5), flat(5), out); // the oldest (1) drops out
      expect([...out.subarray(0, 4)]).toEqual([9, 30, 4, 5]);
    });

    it('reads float32 scaled to [0, 1] (x / 255)', () => {
      const pre = new FramePreprocessor({ numStackedFrames: 2 });
      pre.reset(flat(51));
      pre.step(flat(255), flat(0));
      const out = new Float32Array(pre.observationLength);
      pre.read(out);
      expect([out[0], out[1], out[2]]).toEqual([Math.fround(0.2), 1, Math.fround(0.2)]);
    });

    it('keeps RGB frames as (h, w, 3, k)', () => {
      const options = {
        height: 4,
        width: 4,
        scaleDims: [2, 2] as const,
        grayscaling: false,
        numStackedFrames: 2,
      };
      const pre = new FramePreprocessor(options);
      expect(pre.observationShape).toEqual([2, 2, 3, 2]);
      const frame = new Uint8Array(48);
      for (let p = 0; p < 16; p++) frame.set([10, 20, 30], 3 * p);
      const out = new Uint8Array(24);
      pre.reset(frame, out);
      expect([...out.subarray(0, 6)]).toEqual([0, 10, 0, 20, 0, 30]);
    });
  });

  describe('batched', () => {
    it('equals one preprocessor per environment, including auto-resets', () => {
      const next = rng(4);
      const options: FramePreprocessorOptions = { height: 50, width: 40, scaleDims: [21, 17] };
      const n = 3;
      const batch = new FramePreprocessorBatch(n, options);
      const singles = Array.from({ length: n }, () => new FramePreprocessor(options));
      const len = batch.frameLength;
      const obs = batch.observationLength;
      const all = new Uint8Array(n * obs);
      const one = new Uint8Array(obs);
      const first = randomFrame(next, n * len);
      batch.reset(first, all);
      for (const [i, s] of singles.entries()) s.reset(first.subarray(i * len, (i + 1) * len));
      for (let t = 0; t < 4; t++) {
        const previous = randomFrame(next, n * len);
        const latest = randomFrame(next, n * len);
        const mask = new Uint8Array([0, t === 2 ? 1 : 0, 0]);
        batch.step(previous, latest, all, mask);
        singles.forEach((s, i) => {
          const frame = latest.subarray(i * len, (i + 1) * len);
          if (mask[i]) s.reset(frame);
          else s.step(previous.subarray(i * len, (i + 1) * len), frame);
        });
        singles.forEach((s, i) => {
          s.read(one);
          expect(all.subarray(i * obs, (i + 1) * obs)).toEqual(one);
        });
      }
      const floats = new Float32Array(n * obs);
      batch.read(floats);
      expect(floats[5]).toBe(Math.fround(all[5]! / 255));
      // Stepping straight into floats.
      const [previous, latest] = [randomFrame(next, n * len), randomFrame(next, n * len)];
      batch.step(previous, latest, floats);
      const oneFloats = new Float32Array(obs);
      singles.forEach((s, i) => {
        s.step(previous.subarray(i * len, (i + 1) * len), latest.subarray(i * len, (i + 1) * len), oneFloats);
        expect(floats.subarray(i * obs, (i + 1) * obs)).toEqual(oneFloats);
      });
    });

    it('resets only the masked environments', () => {
      const batch = new FramePreprocessorBatch(2, {
        height: 2,
        width: 2,
        scaleDims: [1, 1],
        numStackedFrames: 2,
      });
      const frames = new Uint8Array([...new Array(12).fill(40), ...new Array(12).fill(80)]);
      const out = new Uint8Array(4);
      batch.reset(frames, out);
      expect([...out]).toEqual([0, 40, 0, 80]);
      batch.step(
        frames,
        frames.map((v) => v + 1),
      );
      batch.reset(
        frames.map((v) => v + 2),
        out,
        new Uint8Array([0, 1]),
      );
      expect([...out]).toEqual([40, 41, 0, 82]);
    });
  });

  describe('bad input', () => {
    it('throws errors that name the argument, and changes nothing', () => {
      const pre = new FramePreprocessor();
      const frame = new Uint8Array(100_800).fill(9);
      const out = new Uint8Array(pre.observationLength);
      pre.reset(frame, out);
      const before = out.slice();
      const sentinel = new Uint8Array(pre.observationLength).fill(77);
      expect(() => pre.step(frame, frame.subarray(1), sentinel)).toThrow(
        new RangeError('latest must have length 100800, got 100799'),
      );
      expect(() => pre.step(frame.subarray(0, 5), frame, sentinel)).toThrow(
        new RangeError('previous must have length 100800, got 5'),
      );
      expect(() => pre.step(null, frame)).toThrow(new TypeError('previous must be a Uint8Array'));
      expect(() => pre.step(frame, new Float32Array(100_800) as unknown as Uint8Array)).toThrow(
        new TypeError('latest must be a Uint8Array'),
      );
      expect(() => pre.reset([1, 2, 3] as unknown as Uint8Array)).toThrow(
        new TypeError('frame must be a Uint8Array'),
      );
      expect(() => pre.read(new Uint8Array(3))).toThrow(new RangeError('out must have length 28224, got 3'));
      expect(() => pre.read(new Int32Array(28_224) as unknown as Uint8Array)).toThrow(
        new TypeError('out must be a Uint8Array or a Float32Array'),
      );
      expect(() => pre.step(frame, frame, new Float64Array(4) as unknown as Float32Array)).toThrow(TypeError);
      // A wrong `out` is refused before the step: the stack stays as it was.
      const other = new Uint8Array(100_800).fill(200);
      expect(() => pre.step(other, other, new Uint8Array(3))).toThrow(
        new RangeError('out must have length 28224, got 3'),
      );
      expect(() => pre.step(other, other, new Float32Array(28_225))).toThrow(
        new RangeError('out must have length 28224, got 28225'),
      );
      expect(() => pre.reset(other, new Uint8Array(3))).toThrow(RangeError);
      expect(sentinel.every((v) => v === 77)).toBe(true);
      pre.read(out);
      expect(out).toEqual(before);
      const single = new FramePreprocessor({ pooledFrames: 1 });
      expect(() => single.step(frame, frame)).toThrow(
        new TypeError('previous must be null when pooledFrames is 1'),
      );
    });

    it('refuses out-of-range and mistyped options, naming them', () => {
      const bad: [FramePreprocessorOptions, Error][] = [
        [{ height: 0 }, new RangeError('height must be an integer in [1, 8192], got 0')],
        [{ width: 1.5 }, new RangeError('width must be an integer in [0, 4294967295], got 1.5')],
        [{ width: -1 }, new RangeError('width must be an integer in [0, 4294967295], got -1')],
        [{ scaleDims: [211, 84] }, new RangeError('scaleDims[0] must be an integer in [1, 210], got 211')],
        [{ scaleDims: [84, 0] }, new RangeError('scaleDims[1] must be an integer in [1, 160], got 0')],
        [{ pooledFrames: 3 as 2 }, new RangeError('pooledFrames must be an integer in [1, 2], got 3')],
        [{ numStackedFrames: 0 }, new RangeError('numStackedFrames must be an integer in [1, 64], got 0')],
        [{ grayscaling: 1 as unknown as boolean }, new TypeError('grayscaling must be a boolean')],
        [
          { resetFill: 'last' as 'zeros' },
          new RangeError("resetFill must be 'zeros' or 'first', got \"last\""),
        ],
        [{ height: '210' as unknown as number }, new TypeError('height must be a number')],
        [
          { scaleDims: [84] as unknown as [number, number] },
          new TypeError('scaleDims must be an array [height, width]'),
        ],
      ];
      for (const [options, error] of bad) expect(() => new FramePreprocessor(options)).toThrow(error);
      expect(() => new FramePreprocessor({ heigth: 3 } as FramePreprocessorOptions)).toThrow(
        /unknown option heigth/,
      );
      expect(() => new FramePreprocessorBatch(0)).toThrow(
        new RangeError('numEnvs must be an integer in [1, 4096], got 0'),
      );
      const batch = new FramePreprocessorBatch(2, { height: 2, width: 2, scaleDims: [1, 1] });
      expect(() => batch.step(new Uint8Array(24), new Uint8Array(24), undefined, new Uint8Array(3))).toThrow(
        new RangeError('resetMask must have length 2, got 3'),
      );
      const observations = new Uint8Array(8);
      batch.reset(new Uint8Array(24).fill(5), observations);
      expect(() => batch.step(new Uint8Array(24), new Uint8Array(24).fill(9), new Uint8Array(7))).toThrow(
        new RangeError('out must have length 8, got 7'),
      );
      batch.read(observations);
      expect([...observations]).toEqual([0, 0, 0, 5, 0, 0, 0, 5]);
      expect(() => batch.reset(new Uint8Array(12))).toThrow(
        new RangeError('frames must have length 24, got 12'),
      );
    });

    it('refuses a method called on a foreign receiver instead of reading its memory', () => {
      const Core = native().FramePreprocessor;
      const core = new Core(4, 4, 2, 2, 1, 2, 4, 0);
      expect(() => Core.prototype.reset.call({}, new Uint8Array(48))).toThrow(TypeError);
      core.reset(new Uint8Array(48));
    });
  });

  describe('frame buffers', () => {
    it('take frames without a copy and give the same results as plain arrays', () => {
      const next = rng(5);
      const pre = new FramePreprocessor();
      const plain = new FramePreprocessor();
      const a = randomFrame(next, 100_800);
      const b = randomFrame(next, 100_800);
      pre.frameBuffer(0).set(a);
      pre.frameBuffer(1).set(b);
      const got = new Uint8Array(pre.observationLength);
      const want = new Uint8Array(pre.observationLength);
      pre.reset(pre.frameBuffer(0));
      pre.step(pre.frameBuffer(0), pre.frameBuffer(1), got);
      plain.reset(a);
      plain.step(a, b, want);
      expect(got).toEqual(want);
      expect(() => pre.frameBuffer(2)).toThrow(new RangeError('slot must be an integer in [0, 1], got 2'));
    });

    it('are re-created after wasm memory grows, and a detached one is refused', () => {
      const pre = new FramePreprocessor();
      const view = pre.frameBuffer(0);
      // Enough allocations to grow wasm memory (a no-op for the N-API addon's plain arrays).
      const hogs = Array.from({ length: 40 }, () => new FramePreprocessorBatch(4));
      const fresh = pre.frameBuffer(0);
      expect(fresh.length).toBe(100_800);
      if (kind === 'wasm') {
        expect(fresh === view).toBe(false);
        expect(view.length).toBe(0); // detached
        expect(() => pre.reset(view)).toThrow(
          /view of wasm memory that has since grown; call frameBuffer\(\) again/,
        );
      } else {
        expect(fresh).toBe(view);
      }
      pre.reset(fresh);
      for (const hog of hogs) hog.free();
    });
  });

  it('can be freed early; the wasm binding then refuses further use', () => {
    const pre = new FramePreprocessor();
    pre.free();
    if (kind === 'wasm') expect(() => pre.reset(new Uint8Array(100_800))).toThrow(TypeError);
    pre.free(); // twice is harmless
  });
});
