// Item 6 of issue 13: past 2 GiB of wasm memory, addresses are above 2^31 and must still be read
// as unsigned. Runs on the wasm project only (the napi project has no wasm memory to grow).
import { describe, expect, it } from 'vitest';
import { RunningMeanStd, sumF32 } from '../src/index.js';

describe.runIf(process.env.ACME_NATIVE === 'wasm')('wasm memory past 2 GiB', () => {
  it('objects and scratch buffers above 2^31 work, before and after the large ones are freed', () => {
    // Two objects of 1 GiB each (mean and var of 2^26 float64) push the heap past 2 GiB.
    const large = [new RunningMeanStd(2 ** 26), new RunningMeanStd(2 ** 26)];
    const use = () => {
      const rms = new RunningMeanStd(2, 1e-12);
      rms.update(new Float32Array([1, 10, 3, 30]));
      expect(rms.mean[0]).toBeCloseTo(2, 9);
      expect(rms.mean[1]).toBeCloseTo(20, 9);
      const out = new Float32Array(2);
      rms.normalize(new Float32Array([3, 10]), out, 5);
      expect(out[0]).toBeCloseTo(1, 5);
      expect(out[1]).toBeCloseTo(-1, 5);
      expect(sumF32(new Float32Array(1 << 20).fill(1))).toBe(1 << 20);
      // A failed call reads its error message from memory too.
      expect(() => rms.update(new Float32Array(3))).toThrow('batch length must be a positive multiple');
      rms.free();
    };
    use();
    for (const rms of large) rms.free();
    use();
  });
});
