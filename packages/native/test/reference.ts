/** Plain-TypeScript oracles for the Rust kernels (also the `ts` baseline of the benchmarks). */

export function sumF32Reference(values: Float32Array): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i]!;
  return total;
}

/** Two-pass per-column mean and (population) variance of rows of length `dim`. */
export function columnStats(data: Float32Array, dim: number): { mean: number[]; var: number[] } {
  const rows = data.length / dim;
  const mean: number[] = [];
  const variance: number[] = [];
  for (let j = 0; j < dim; j++) {
    let s = 0;
    for (let r = 0; r < rows; r++) s += data[r * dim + j]!;
    const m = s / rows;
    let v = 0;
    for (let r = 0; r < rows; r++) v += (data[r * dim + j]! - m) ** 2;
    mean.push(m);
    variance.push(v / rows);
  }
  return { mean, var: variance };
}

/** A small seeded generator (mulberry32) so that failures reproduce. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
