/**
 * Atari frame preprocessing, the whole pipeline per frame: max of the last two 210x160 RGB frames,
 * OpenCV-exact RGB->gray and INTER_AREA resize to 84x84, push onto a 4-frame stack and read the
 * 84x84x4 observation out. µs per frame for the N-API addon and the wasm module (frames written
 * straight into their input buffers, see `FramePreprocessor.frameBuffer`) against plain
 * TypeScript, for one environment and batches of 8 and 32.
 *
 * Inputs: Breakout-like frames (flat colours, bricks, paddle, ball: what the DQN pipeline really
 * sees) and, for one environment, uniformly random frames, the worst case for the tie check (about
 * 1% of the values take OpenCV's exact path). For scale, OpenCV from Python (max + cvtColor +
 * INTER_AREA + stack) takes 57-66 µs per frame on the 2-core development machine.
 */
import { type Binding, FramePreprocessor, FramePreprocessorBatch, loadBinding } from '@acme-ts/native';
import { type Row, type Suite, timeCase, withRatios } from '../harness.js';

const [H, W, OH, OW, K] = [210, 160, 84, 84, 4];
const FRAME = H * W * 3;
const OBS = OH * OW * K;

/** A Breakout-like screen at time `t`: walls, six rows of bricks (a few missing), paddle, ball. */
function atariFrame(t: number): Uint8Array {
  const f = new Uint8Array(FRAME);
  const fill = (y0: number, y1: number, x0: number, x1: number, rgb: readonly number[]) => {
    for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) f.set(rgb, (y * W + x) * 3);
  };
  const wall = [142, 142, 142];
  fill(17, 32, 0, W, wall);
  fill(32, 195, 0, 8, wall);
  fill(32, 195, W - 8, W, wall);
  const rows = [
    [200, 72, 72],
    [198, 108, 58],
    [180, 122, 48],
    [162, 162, 42],
    [72, 160, 72],
    [66, 72, 200],
  ];
  rows.forEach((rgb, i) => {
    for (let b = 0; b < 18; b++)
      if ((b * 7 + i * 3 + t) % 11 !== 0) fill(57 + 6 * i, 63 + 6 * i, 8 + 8 * b, 16 + 8 * b, rgb);
  });
  const paddle = 40 + ((t * 3) % 100);
  fill(189, 193, paddle, paddle + 16, rows[0]!);
  const [by, bx] = [100 + ((t * 5) % 80), 30 + ((t * 7) % 100)];
  fill(by, by + 4, bx, bx + 2, rows[0]!);
  for (let d = 0; d < 3; d++) fill(5, 15, 36 + 16 * d, 48 + 16 * d - ((t + d) % 5), wall);
  return f;
}

function randomFrame(seed: number): Uint8Array {
  let s = seed >>> 0;
  return new Uint8Array(FRAME).map(() => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s >>> 24;
  });
}

/** OpenCV's INTER_AREA tables (`computeResizeAreaTab`) grouped per output index. */
function areaTaps(ssize: number, dsize: number): { src: number[]; alpha: number[] }[] {
  const scale = 1 / (dsize / ssize);
  return Array.from({ length: dsize }, (_, d) => {
    const fsx1 = d * scale;
    const fsx2 = fsx1 + scale;
    const cell = Math.min(scale, ssize - fsx1);
    const sx2 = Math.min(Math.floor(fsx2), ssize - 1);
    const sx1 = Math.min(Math.ceil(fsx1), sx2);
    const src: number[] = [];
    const alpha: number[] = [];
    const tap = (sx: number, a: number) => {
      src.push(sx);
      alpha.push(Math.fround(a));
    };
    if (sx1 - fsx1 > 1e-3) tap(sx1 - 1, (sx1 - fsx1) / cell);
    for (let sx = sx1; sx < sx2; sx++) tap(sx, 1 / cell);
    if (fsx2 - sx2 > 1e-3) tap(sx2, Math.min(fsx2 - sx2, 1, cell) / cell);
    return { src, alpha };
  });
}

/**
 * The same pipeline in plain TypeScript, written as one would for speed (tables built once,
 * typed arrays, no allocation per frame) and as exact as OpenCV: float32 via `Math.fround` in
 * OpenCV's order, ties to even.
 */
class FramePreprocessorTs {
  readonly #gray = new Uint8Array(H * W);
  readonly #x = areaTaps(W, OW);
  readonly #y = areaTaps(H, OH);
  readonly #stack = Array.from({ length: K }, () => new Uint8Array(OH * OW));
  #newest = K - 1;

  step(previous: Uint8Array, latest: Uint8Array, out: Uint8Array): void {
    const g = this.#gray;
    for (let p = 0, i = 0; p < H * W; p++, i += 3) {
      const r = Math.max(previous[i]!, latest[i]!);
      const gr = Math.max(previous[i + 1]!, latest[i + 1]!);
      const b = Math.max(previous[i + 2]!, latest[i + 2]!);
      g[p] = (9798 * r + 19235 * gr + 3735 * b + 16384) >> 15;
    }
    this.#newest = (this.#newest + 1) % K;
    const dst = this.#stack[this.#newest]!;
    const f = Math.fround;
    for (let dy = 0; dy < OH; dy++) {
      const { src: rows, alpha: betas } = this.#y[dy]!;
      for (let dx = 0; dx < OW; dx++) {
        const { src: cols, alpha } = this.#x[dx]!;
        let sum = 0;
        for (let j = 0; j < rows.length; j++) {
          const base = rows[j]! * W;
          let buf = 0;
          for (let k = 0; k < cols.length; k++) buf = f(buf + f(g[base + cols[k]!]! * alpha[k]!));
          sum = j === 0 ? f(betas[j]! * buf) : f(sum + f(betas[j]! * buf));
        }
        let r = Math.round(sum);
        if (r - sum === 0.5 && r % 2 !== 0) r -= 1;
        dst[dy * OW + dx] = r;
      }
    }
    for (let i = 0; i < K; i++) {
      const frame = this.#stack[(this.#newest + 1 + i) % K]!;
      for (let e = 0; e < OH * OW; e++) out[e * K + i] = frame[e]!;
    }
  }
}

/** Frames for `n` environments, back to back, cycling through `pool`. */
function batchFrames(pool: Uint8Array[], n: number, offset: number): Uint8Array {
  const out = new Uint8Array(n * FRAME);
  for (let i = 0; i < n; i++) out.set(pool[(i + offset) % pool.length]!, i * FRAME);
  return out;
}

/**
 * Frames sit in the preprocessor's own input buffers (on wasm, views of wasm memory), as when an
 * emulator renders into them: no copy is timed. Buffers are fetched on every call because a view
 * of wasm memory detaches when the memory grows.
 */
function singleCase(binding: Binding, frames: Uint8Array[]): () => void {
  const pre = new FramePreprocessor({}, binding);
  const out = new Uint8Array(OBS);
  pre.frameBuffer(0).set(frames[0]!);
  pre.frameBuffer(1).set(frames[1]!);
  return () => pre.step(pre.frameBuffer(0), pre.frameBuffer(1), out);
}

function batchCase(binding: Binding, n: number, pool: Uint8Array[]): () => void {
  const batch = new FramePreprocessorBatch(n, {}, binding);
  const out = new Uint8Array(n * OBS);
  batch.frameBuffer(0).set(batchFrames(pool, n, 0));
  batch.frameBuffer(1).set(batchFrames(pool, n, 1));
  return () => batch.step(batch.frameBuffer(0), batch.frameBuffer(1), out);
}

/** Calls `fn` for `ms` milliseconds. */
function warmUp(fn: () => void, ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) fn();
}

/**
 * Only reading the two input buffers of `n` environments once (`Buffer.compare` of equal contents
 * is a `memcmp` over all of them): no preprocessing can take less per frame. With many
 * environments the frames no longer fit in the caches and this is set by memory bandwidth.
 */
function readOnce(n: number, pool: Uint8Array[]): () => void {
  const [previous, latest] = [Buffer.from(batchFrames(pool, n, 0)), Buffer.from(batchFrames(pool, n, 0))];
  return () => {
    if (Buffer.compare(previous, latest) !== 0) throw new Error('frames: the copies differ');
  };
}

/** The suite refuses to time binaries that disagree with the TypeScript pipeline. */
function checkAgreement(napi: Binding, wasm: Binding, frames: Uint8Array[]): void {
  const ts = new FramePreprocessorTs();
  const want = new Uint8Array(OBS);
  const bins = [napi, wasm].map((b) => ({ pre: new FramePreprocessor({}, b), out: new Uint8Array(OBS) }));
  for (let t = 1; t < 6; t++) {
    const [previous, latest] = [frames[(t - 1) % frames.length]!, frames[t % frames.length]!];
    ts.step(previous, latest, want);
    for (const { pre, out } of bins) {
      pre.step(previous, latest, out);
      if (out.some((v, i) => v !== want[i]))
        throw new Error('frames: a binary disagrees with the TypeScript pipeline');
    }
  }
}

export const frames: Suite = {
  name: 'frames',
  description:
    'Atari preprocessing per frame (max of 2 RGB 210x160, gray, INTER_AREA 84x84, 4-stack, read out), napi vs wasm vs TypeScript',
  async run() {
    const napi = loadBinding('napi');
    const wasm = loadBinding('wasm');
    const atari = Array.from({ length: 16 }, (_, t) => atariFrame(t));
    const random = Array.from({ length: 4 }, (_, t) => randomFrame(t + 1));
    checkAgreement(napi, wasm, atari);
    checkAgreement(napi, wasm, random);
    // V8 first runs wasm through its baseline compiler and swaps in optimised code once a function
    // is hot and compiled in the background: on a busy machine that takes a good part of a second,
    // longer than tinybench's warm-up, and would be timed as part of the first case.
    for (const binding of [napi, wasm]) warmUp(singleCase(binding, atari), 1000);
    const rows: Row[] = [];
    // Three rounds, each variant keeping its best median: these machines are shared.
    const perFrame = { unit: 'µs/frame', rounds: 3 };
    for (const [name, pool] of [
      ['atari', atari],
      ['random', random],
    ] as const) {
      const ts = new FramePreprocessorTs();
      const out = new Uint8Array(OBS);
      let t = 0;
      rows.push(
        ...(await timeCase(
          'frames',
          `1 env, ${name} frames`,
          [
            { variant: 'napi', fn: singleCase(napi, pool) },
            { variant: 'wasm', fn: singleCase(wasm, pool) },
            { variant: 'ts', fn: () => ts.step(pool[t % pool.length]!, pool[++t % pool.length]!, out) },
          ],
          perFrame,
        )),
      );
    }
    for (const n of [8, 32]) {
      const ts = Array.from({ length: n }, () => new FramePreprocessorTs());
      const outs = Array.from({ length: n }, () => new Uint8Array(OBS));
      let t = 0;
      rows.push(
        ...(await timeCase(
          'frames',
          `${n} envs, atari frames`,
          [
            { variant: 'napi', fn: batchCase(napi, n, atari) },
            { variant: 'wasm', fn: batchCase(wasm, n, atari) },
            { variant: 'memory floor', fn: readOnce(n, atari) },
            {
              variant: 'ts',
              fn: () => {
                t++;
                for (const [i, p] of ts.entries())
                  p.step(atari[(t + i) % 16]!, atari[(t + i + 1) % 16]!, outs[i]!);
              },
            },
          ],
          { ...perFrame, perCall: n },
        )),
      );
    }
    return withRatios(rows);
  },
};
