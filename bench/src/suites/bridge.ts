/** The Rust bridge itself: the cost of crossing into Rust and back, per binary, against plain TS. */
import { loadBinding } from '@acme-ts/native';
import { type Row, type Suite, timeCase, withRatios } from '../harness.js';

function sumReference(values: Float32Array): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i]!;
  return total;
}

/** Plain-TypeScript running mean/variance (Chan et al. merge), the baseline for the Rust class. */
class RunningMeanStdReference {
  count = 1e-4;
  readonly mean: Float64Array;
  readonly var: Float64Array;
  constructor(readonly dim: number) {
    this.mean = new Float64Array(dim);
    this.var = new Float64Array(dim).fill(1);
  }
  update(batch: Float32Array): void {
    const rows = batch.length / this.dim;
    const total = this.count + rows;
    for (let j = 0; j < this.dim; j++) {
      let s = 0;
      for (let r = 0; r < rows; r++) s += batch[r * this.dim + j]!;
      const m = s / rows;
      let v = 0;
      for (let r = 0; r < rows; r++) v += (batch[r * this.dim + j]! - m) ** 2;
      const delta = m - this.mean[j]!;
      const m2 = this.var[j]! * this.count + v + (delta * delta * this.count * rows) / total;
      this.mean[j]! += (delta * rows) / total;
      this.var[j] = m2 / total;
    }
    this.count = total;
  }
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
    const tsRms = new RunningMeanStdReference(8);
    rows.push(
      ...(await timeCase('bridge', 'RunningMeanStd.update 256x8', [
        { variant: 'napi', fn: () => napiRms.update(batch) },
        { variant: 'wasm', fn: () => wasmRms.update(batch) },
        { variant: 'ts', fn: () => tsRms.update(batch) },
      ])),
    );
    if (Number.isNaN(sink)) console.log(sink); // keeps the sums observable
    return withRatios(rows);
  },
};
