/**
 * The oracle for the frame preprocessing tests and the `ts` baseline of the benchmark: plain loops
 * written from OpenCV 4.x's documented algorithms (not from the Rust code), float32 emulated with
 * `Math.fround` after every operation, in OpenCV's order.
 *
 * - `cvtColor(COLOR_RGB2GRAY)`, 8-bit: (9798 R + 19235 G + 3735 B + 2^14) >> 15
 *   (`RGB2Gray<uchar>` with `RY15/GY15/BY15`, `gray_shift = 15`).
 * - `resize(INTER_AREA)` when shrinking: integer factors take `resizeAreaFast_` (block means; 2x2
 *   rounds `(sum + 2) >> 2`, others `saturate_cast<uchar>(float(sum) * (1.f / area))`); any other
 *   factor takes `resizeArea_<uchar, float>` over the tables of `computeResizeAreaTab`.
 * - `saturate_cast<uchar>(float)`: `cvRound`, i.e. round half to even, then clamp.
 */

const f = Math.fround;

export function rgbToGray(r: number, g: number, b: number): number {
  return (9798 * r + 19235 * g + 3735 * b + 16384) >> 15;
}

/** cvRound + saturate_cast<uchar>: nearest integer, ties to even, clamped to [0, 255]. */
export function cvRoundU8(x: number): number {
  let r = Math.round(x); // ties up
  if (r - x === 0.5 && r % 2 !== 0) r -= 1; // a tie that went to an odd number goes down instead
  return Math.min(255, Math.max(0, r));
}

export interface AreaTap {
  dst: number;
  src: number;
  alpha: number;
}

/** `computeResizeAreaTab(ssize, dsize, cn = 1, scale)` with `scale = 1 / (dsize / ssize)`. */
export function areaTable(ssize: number, dsize: number): AreaTap[] {
  const scale = 1 / (dsize / ssize);
  const tab: AreaTap[] = [];
  for (let dx = 0; dx < dsize; dx++) {
    const fsx1 = dx * scale;
    const fsx2 = fsx1 + scale;
    const cellWidth = Math.min(scale, ssize - fsx1);
    let sx1 = Math.ceil(fsx1);
    let sx2 = Math.floor(fsx2);
    sx2 = Math.min(sx2, ssize - 1);
    sx1 = Math.min(sx1, sx2);
    if (sx1 - fsx1 > 1e-3) tab.push({ dst: dx, src: sx1 - 1, alpha: f((sx1 - fsx1) / cellWidth) });
    for (let sx = sx1; sx < sx2; sx++) tab.push({ dst: dx, src: sx, alpha: f(1 / cellWidth) });
    if (fsx2 - sx2 > 1e-3) {
      tab.push({ dst: dx, src: sx2, alpha: f(Math.min(Math.min(fsx2 - sx2, 1), cellWidth) / cellWidth) });
    }
  }
  return tab;
}

/** `|scale - round(scale)| < DBL_EPSILON`, as `cv::resize` tests it. */
export function integerScale(ssize: number, dsize: number): number | undefined {
  const scale = 1 / (dsize / ssize);
  const k = Math.round(scale);
  return Math.abs(scale - k) < Number.EPSILON ? k : undefined;
}

/** `cv::resize(src, (ow, oh), INTER_AREA)` of one channel (`plane[y * w + x]`, integers 0..255). */
export function resizeArea(
  plane: ArrayLike<number>,
  h: number,
  w: number,
  oh: number,
  ow: number,
): Uint8Array {
  const out = new Uint8Array(oh * ow);
  const kx = integerScale(w, ow);
  const ky = integerScale(h, oh);
  if (kx !== undefined && ky !== undefined) {
    const scale = f(1 / f(kx * ky));
    for (let dy = 0; dy < oh; dy++) {
      for (let dx = 0; dx < ow; dx++) {
        let sum = 0;
        for (let y = dy * ky; y < dy * ky + ky; y++) {
          for (let x = dx * kx; x < dx * kx + kx; x++) sum += plane[y * w + x]!;
        }
        out[dy * ow + dx] = kx === 2 && ky === 2 ? (sum + 2) >> 2 : cvRoundU8(f(sum * scale));
      }
    }
    return out;
  }
  // ResizeArea_Invoker: rows in ytab order; per source row, buf[dx] accumulates that row's taps in
  // xtab order; per output row, sum = beta * buf for its first source row, then sum += beta * buf.
  const xtab = areaTable(w, ow);
  const ytab = areaTable(h, oh);
  const buf = new Float64Array(ow);
  const sum = new Float64Array(ow);
  let prevDy = ytab[0]!.dst;
  for (let j = 0; j < ytab.length; j++) {
    const { dst: dy, src: sy, alpha: beta } = ytab[j]!;
    buf.fill(0);
    for (const { dst: dx, src: sx, alpha } of xtab) buf[dx] = f(buf[dx]! + f(plane[sy * w + sx]! * alpha));
    if (dy !== prevDy) {
      for (let dx = 0; dx < ow; dx++) {
        out[prevDy * ow + dx] = cvRoundU8(sum[dx]!);
        sum[dx] = f(beta * buf[dx]!);
      }
      prevDy = dy;
    } else {
      for (let dx = 0; dx < ow; dx++) sum[dx] = f(sum[dx]! + f(beta * buf[dx]!));
    }
  }
  for (let dx = 0; dx < ow; dx++) out[prevDy * ow + dx] = cvRoundU8(sum[dx]!);
  return out;
}

/**
 * An independent check on the oracle: the exact area mean (real arithmetic over the true
 * footprint of each output pixel), rounded half up. OpenCV's float32 result is within one level.
 */
export function exactAreaMean(
  plane: ArrayLike<number>,
  h: number,
  w: number,
  oh: number,
  ow: number,
): Uint8Array {
  const out = new Uint8Array(oh * ow);
  // Overlap of source cell [i, i + 1) with the footprint [lo, hi).
  const overlap = (i: number, lo: number, hi: number) => Math.max(0, Math.min(i + 1, hi) - Math.max(i, lo));
  for (let dy = 0; dy < oh; dy++) {
    const [y0, y1] = [(dy * h) / oh, ((dy + 1) * h) / oh];
    for (let dx = 0; dx < ow; dx++) {
      const [x0, x1] = [(dx * w) / ow, ((dx + 1) * w) / ow];
      let total = 0;
      for (let y = Math.floor(y0); y < Math.min(h, Math.ceil(y1)); y++) {
        for (let x = Math.floor(x0); x < Math.min(w, Math.ceil(x1)); x++) {
          total += overlap(y, y0, y1) * overlap(x, x0, x1) * plane[y * w + x]!;
        }
      }
      out[dy * ow + dx] = Math.round(total / ((x1 - x0) * (y1 - y0)));
    }
  }
  return out;
}

export interface ReferenceOptions {
  height: number;
  width: number;
  scaleDims: readonly [number, number];
  grayscaling: boolean;
}

/** One frame through the pipeline: max-pool (when `previous` is given), gray, resize; HWC out. */
export function preprocessFrame(
  o: ReferenceOptions,
  previous: Uint8Array | null,
  latest: Uint8Array,
): Uint8Array {
  const { height: h, width: w } = o;
  const [oh, ow] = o.scaleDims;
  const channels = o.grayscaling ? 1 : 3;
  const planes: number[][] = Array.from({ length: channels }, () => new Array<number>(h * w));
  for (let p = 0; p < h * w; p++) {
    let r = latest[3 * p]!;
    let g = latest[3 * p + 1]!;
    let b = latest[3 * p + 2]!;
    if (previous) {
      r = Math.max(r, previous[3 * p]!);
      g = Math.max(g, previous[3 * p + 1]!);
      b = Math.max(b, previous[3 * p + 2]!);
    }
    if (channels === 1) planes[0]![p] = rgbToGray(r, g, b);
    else [planes[0]![p], planes[1]![p], planes[2]![p]] = [r, g, b];
  }
  const out = new Uint8Array(oh * ow * channels);
  planes.forEach((plane, c) => {
    const resized = resizeArea(plane, h, w, oh, ow);
    for (let i = 0; i < oh * ow; i++) out[i * channels + c] = resized[i]!;
  });
  return out;
}

/** The last k processed frames, read out interleaved on a new last axis, oldest first. */
export class FrameStackReference {
  private frames: Uint8Array[];

  constructor(
    readonly depth: number,
    readonly frameLength: number,
    readonly resetFill: 'zeros' | 'first',
  ) {
    this.frames = Array.from({ length: depth }, () => new Uint8Array(frameLength));
  }

  reset(frame: Uint8Array): void {
    const pad = this.resetFill === 'zeros' ? new Uint8Array(this.frameLength) : frame;
    this.frames = [...Array.from({ length: this.depth - 1 }, () => pad.slice()), frame.slice()];
  }

  push(frame: Uint8Array): void {
    this.frames = [...this.frames.slice(1), frame.slice()];
  }

  read(out: Uint8Array | Float32Array): void {
    const k = this.depth;
    for (let i = 0; i < k; i++) {
      const frame = this.frames[i]!;
      for (let e = 0; e < this.frameLength; e++) {
        out[e * k + i] = out instanceof Float32Array ? f(frame[e]! / 255) : frame[e]!;
      }
    }
  }
}

/** The whole `FramePreprocessor` in plain TypeScript (also the benchmark's baseline). */
export class FramePreprocessorReference {
  readonly stack: FrameStackReference;

  constructor(
    readonly options: ReferenceOptions & { numStackedFrames: number; resetFill: 'zeros' | 'first' },
  ) {
    const [oh, ow] = options.scaleDims;
    const channels = options.grayscaling ? 1 : 3;
    this.stack = new FrameStackReference(options.numStackedFrames, oh * ow * channels, options.resetFill);
  }

  reset(frame: Uint8Array): void {
    this.stack.reset(preprocessFrame(this.options, null, frame));
  }

  step(previous: Uint8Array | null, latest: Uint8Array): void {
    this.stack.push(preprocessFrame(this.options, previous, latest));
  }

  read(out: Uint8Array | Float32Array): void {
    this.stack.read(out);
  }
}
