// The wasm heap corruption the fuzzer found (12,000 calls, seeds 1, 3, 4): a JavaScript number
// passed for a `usize` is truncated to 32 bits, so a scratch buffer asked for 2^32 bytes or more
// was allocated as 1 byte while the loader believed it had them all; every later call that used
// that slot wrote past the block. Sizes are now refused before they reach wasm.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ReplayEngine, Selectors } from '../src/index.js';
import { MAX_ALLOCATION, WasmModule } from '../src/wasm/module.js';

const load = () =>
  new WasmModule(
    new WebAssembly.Module(readFileSync(new URL('../binaries/acme_native.wasm', import.meta.url))),
  );

describe('wasm allocation sizes', () => {
  it('refuses sizes that do not fit in 32 bits instead of truncating them', () => {
    const wasm = load();
    for (const bytes of [2 ** 32, 2 ** 32 + 8, 2 ** 34, MAX_ALLOCATION + 1, -1, 0.5, Number.NaN, Infinity]) {
      expect(wasm.alloc(bytes, 8), String(bytes)).toBe(0);
      expect(() => wasm.scratchPtr(0, bytes, 'keys'), String(bytes)).toThrow(RangeError);
      expect(() => wasm.scratchPtr(0, bytes, 'keys')).toThrow(/^keys needs .* bytes of wasm memory/);
    }
  });

  it('a refused size leaves the scratch slot usable at its real size', () => {
    const wasm = load();
    const small = wasm.scratchPtr(0, 64, 'a');
    expect(() => wasm.scratchPtr(0, 2 ** 34, 'keys')).toThrow(RangeError);
    // The slot still holds its 64 bytes: a larger request must grow it, not reuse a stale block.
    const ptr = wasm.copyIn(0, new Float64Array(64).fill(7), 'b');
    expect(ptr).not.toBe(0);
    const exports = wasm.exports;
    expect(small).toBeGreaterThan(0);
    expect(new Float64Array(exports.memory.buffer, ptr, 64).every((v) => v === 7)).toBe(true);
  });
});

describe.runIf(process.env.ACME_NATIVE === 'wasm')('wasm: a sample larger than wasm memory', () => {
  it('is refused naming keys, and the engine keeps working', () => {
    const engine = new ReplayEngine({
      maxSize: 16,
      sampler: Selectors.uniform(),
      seed: 1,
      columns: [{ name: 'x', dtype: 'float32', shape: [2] }],
    });
    engine.insert(1, { x: [1, 2] });
    // 2^29 + 1 float64 keys are 2^32 + 8 bytes: truncated, they were 8 bytes of wasm memory.
    const into = {
      keys: new Float64Array(2 ** 29 + 1),
      probabilities: new Float64Array(2 ** 29 + 1),
      tableSize: 0,
    };
    expect(() => engine.sample(into)).toThrow(/^keys needs 4294967304 bytes of wasm memory/);
    for (let i = 0; i < 50; i++) engine.insert(1 + i, { x: [i, i] });
    const sample = engine.sample(8);
    expect(engine.gather(sample.keys).columns.x!.length).toBe(16);
    expect(engine.maxSize).toBe(16);
    engine.free();
  });
});
