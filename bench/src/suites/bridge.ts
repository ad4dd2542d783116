/** The Rust bridge itself: the cost of crossing into Rust and back, per binary, against plain TS. */
import { loadBinding } from '@acme-ts/native';
import { type Row, type Suite, timeCase, withRatios } from '../harness.js';

function sumReference(values: Float32Array): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i]!;
  return total;
}

export const bridge: Suite = {
  name: 'bridge',
  description: 'sumF32 over a Float32Array and RunningMeanStd.update, napi vs wasm vs TypeScript',
  async run() {
    const napi = loadBinding('napi');
    const wasm = loadBinding('wasm');
    const rows: Row[] = [];
    let sink = 0;
    for (const n of [16, 4096, 1 << 20]) {
      const values = new Float32Array(n).map((_, i) => (i % 7) - 3);
      rows.push(
        ...(await timeCase('bridge', `sumF32 n=${n}`, [
          { variant: 'napi', fn: () => (sink += napi.sumF32(values)) },
          { variant: 'wasm', fn: () => (sink += wasm.sumF32(values)) },
          { variant: 'ts', fn: () => (sink += sumReference(values)) },
        ])),
      );
    }
    const batch = new Float32Array(256 * 8).map((_, i) => Math.sin(i));
    const napiRms = new napi.RunningMeanStd(8, 1e-4);
    const wasmRms = new wasm.RunningMeanStd(8, 1e-4);
    rows.push(
      ...(await timeCase('bridge', 'RunningMeanStd.update 256x8', [
        { variant: 'napi', fn: () => napiRms.update(batch) },
        { variant: 'wasm', fn: () => wasmRms.update(batch) },
      ])),
    );
    if (Number.isNaN(sink)) console.log(sink); // keeps the sums observable
    return withRatios(rows);
  },
};
