import { tf } from '../src/index.js';

/** Runs `fn` with `name` as the active backend (tensors must be created inside). */
export async function onBackend<T>(name: 'wasm' | 'cpu', fn: () => T): Promise<T> {
  if (!(await tf.setBackend(name))) throw new Error(`backend ${name} did not start`);
  return fn();
}

/** mulberry32: a small seeded generator so that failures reproduce. */
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
