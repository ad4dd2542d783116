/**
 * Float32 training kernels in Rust (crates/kernels): NHWC 2-D convolution with a fused bias and
 * ReLU, its filter and input gradients, batched matrix products, unsorted segment sum and a fused
 * Adam step. `@acme-ts/tf` registers them as TensorFlow.js wasm-backend kernels; they work on any
 * Float32Array.
 *
 * Through the N-API addon the arrays are read and written in place (views of another
 * WebAssembly memory included) and large products use `kernelThreads()` threads; the wasm binary
 * copies inputs in and outputs out and runs on one thread. Outputs must not overlap inputs. Every
 * argument is checked; a failed call writes nothing.
 */
import { describe, expectBinding, expectTypedArray } from './args.js';
import type { Binding } from './binding.js';
import { native } from './loader.js';

/**
 * The shape of one NHWC convolution, as TensorFlow.js's `backend_util.computeConv2DInfo` reports
 * it: `x [batch, inHeight, inWidth, inChannels]`, `filter [filterHeight, filterWidth, inChannels,
 * outChannels]`, `y [batch, outHeight, outWidth, outChannels]`. Output pixel `(oy, ox)` reads input
 * row `oy * strideHeight + ky * dilationHeight - padTop` (columns alike); positions outside the
 * input read as zero, which covers bottom and right padding.
 */
export interface Conv2dGeometry {
  batch: number;
  inHeight: number;
  inWidth: number;
  inChannels: number;
  outHeight: number;
  outWidth: number;
  outChannels: number;
  filterHeight: number;
  filterWidth: number;
  strideHeight: number;
  strideWidth: number;
  /** Default 1. */
  dilationHeight?: number;
  /** Default 1. */
  dilationWidth?: number;
  padTop: number;
  padLeft: number;
}

/** The activation a fused kernel applies after the bias. */
export type FusedActivation = 'linear' | 'relu';

export interface KernelOptions {
  /** Threads for this call (N-API only); default `kernelThreads()`. */
  threads?: number;
  /** The binary to run on; default the one `native()` selected. */
  binding?: Binding;
}

export interface FusedOptions extends KernelOptions {
  /** One value per output channel (column); default none. */
  bias?: Float32Array;
  /** Default 'linear'. */
  activation?: FusedActivation;
}

/** The shape of `out[i] = op(a[i]) · op(b[i])`: `op(a)` is `m x k`, `op(b)` is `k x n`. */
export interface MatMulShape {
  m: number;
  k: number;
  n: number;
  /** Matrices in `a` (default 1; a batch of 1 is broadcast). */
  batchA?: number;
  /** Matrices in `b` (default 1; a batch of 1 is broadcast). */
  batchB?: number;
  /** `a` holds `k x m` matrices. */
  transposeA?: boolean;
  /** `b` holds `n x k` matrices. */
  transposeB?: boolean;
}

/**
 * One Adam step's scalars. `accBeta1`/`accBeta2` are `beta^t` for step `t` (so `beta` itself on
 * the first step), as TensorFlow.js's `AdamOptimizer` keeps them in float32 variables.
 */
export interface AdamStep {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  accBeta1: number;
  accBeta2: number;
}

const MAX_INT32 = 2147483647;
const GEOMETRY_FIELDS = [
  'batch',
  'inHeight',
  'inWidth',
  'inChannels',
  'outHeight',
  'outWidth',
  'outChannels',
  'filterHeight',
  'filterWidth',
  'strideHeight',
  'strideWidth',
  'dilationHeight',
  'dilationWidth',
  'padTop',
  'padLeft',
] as const;
const ACTIVATIONS: Record<FusedActivation, number> = { linear: 0, relu: 1 };
const NO_BIAS = new Float32Array(0);

// Reused encodings: a kernel call allocates nothing.
const geometryBuffer = new Int32Array(GEOMETRY_FIELDS.length);
const shapeBuffer = new Int32Array(8);
const hyperBuffer = new Float64Array(6);

/** A field that becomes an Int32Array entry: an integer in [0, 2^31 - 1] (the Rust side checks the rest). */
function intField(value: unknown, name: string): number {
  if (typeof value !== 'number') throw new TypeError(`${name} must be a number`);
  if (!(Number.isInteger(value) && value >= 0 && value <= MAX_INT32)) {
    throw new RangeError(`${name} must be an integer in [0, ${MAX_INT32}], got ${describe(value)}`);
  }
  return value;
}

function encodeGeometry(g: Conv2dGeometry): Int32Array {
  if (typeof g !== 'object' || g === null) throw new TypeError('geometry must be an object');
  GEOMETRY_FIELDS.forEach((field, i) => {
    const value = g[field] ?? (field === 'dilationHeight' || field === 'dilationWidth' ? 1 : undefined);
    geometryBuffer[i] = intField(value, `geometry.${field}`);
  });
  return geometryBuffer;
}

function encodeShape(s: MatMulShape, activation: FusedActivation): Int32Array {
  if (typeof s !== 'object' || s === null) throw new TypeError('shape must be an object');
  shapeBuffer[0] = intField(s.batchA ?? 1, 'shape.batchA');
  shapeBuffer[1] = intField(s.batchB ?? 1, 'shape.batchB');
  shapeBuffer[2] = intField(s.m, 'shape.m');
  shapeBuffer[3] = intField(s.k, 'shape.k');
  shapeBuffer[4] = intField(s.n, 'shape.n');
  shapeBuffer[5] = s.transposeA ? 1 : 0;
  shapeBuffer[6] = s.transposeB ? 1 : 0;
  shapeBuffer[7] = activationCode(activation);
  return shapeBuffer;
}

function activationCode(activation: FusedActivation | undefined): number {
  // Only a string is looked up: any other key would be converted with String(), which throws for
  // a detached typed array.
  const name = activation ?? 'linear';
  const code = typeof name === 'string' && Object.hasOwn(ACTIVATIONS, name) ? ACTIVATIONS[name] : undefined;
  if (code === undefined)
    throw new RangeError(`activation must be 'linear' or 'relu', got ${describe(activation)}`);
  return code;
}

let threadsOverride: number | undefined;
/** ACME_KERNEL_THREADS, read once: `process.env` costs about a microsecond per read. */
let threadsFromEnv: number | null | undefined;
const coresOf = new WeakMap<Binding, number>();

/**
 * Threads a kernel call uses by default: `setKernelThreads(n)` if called, else the
 * `ACME_KERNEL_THREADS` environment variable (read at the first call), else every core granted to
 * this process.
 */
export function kernelThreads(binding: Binding = native()): number {
  expectBinding(binding, 'binding');
  if (threadsOverride !== undefined) return threadsOverride;
  if (threadsFromEnv === undefined) {
    const env = globalThis.process?.env?.ACME_KERNEL_THREADS;
    const n = Number(env);
    if (env !== undefined && env !== '' && !(Number.isInteger(n) && n >= 1 && n <= 1024)) {
      throw new RangeError(`ACME_KERNEL_THREADS must be an integer in [1, 1024], got "${env}"`);
    }
    threadsFromEnv = env === undefined || env === '' ? null : n;
  }
  if (threadsFromEnv !== null) return threadsFromEnv;
  let cores = coresOf.get(binding);
  if (cores === undefined) {
    cores = binding.kernelMaxThreads();
    coresOf.set(binding, cores);
  }
  return cores;
}

/** Sets the default thread count of kernel calls; `undefined` restores the default. */
export function setKernelThreads(threads: number | undefined): void {
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1 && threads <= 1024)) {
    throw new RangeError(`threads must be an integer in [1, 1024], got ${describe(threads)}`);
  }
  threadsOverride = threads;
}

/** `options.binding`, checked, or the binary in use. */
function bindingOf(options: { binding?: Binding } | undefined): Binding {
  const binding = options?.binding;
  if (binding === undefined) return native();
  expectBinding(binding, 'options.binding');
  return binding;
}

function resolve(options: KernelOptions | undefined): [Binding, number] {
  const binding = bindingOf(options);
  return [binding, options?.threads ?? kernelThreads(binding)];
}

/** `y = activation(conv2d(x, filter) + bias)`, NHWC, into the caller's `y`. */
export function conv2d(
  x: Float32Array,
  filter: Float32Array,
  y: Float32Array,
  geometry: Conv2dGeometry,
  options?: FusedOptions,
): void {
  const [binding, threads] = resolve(options);
  const activation = activationCode(options?.activation);
  binding.conv2d(x, filter, options?.bias ?? NO_BIAS, y, encodeGeometry(geometry), activation, threads);
}

/** The filter gradient of `conv2d`: `dfilter = sum over output pixels of patch(x) ⊗ dy`. */
export function conv2dBackpropFilter(
  x: Float32Array,
  dy: Float32Array,
  dfilter: Float32Array,
  geometry: Conv2dGeometry,
  options?: KernelOptions,
): void {
  const [binding, threads] = resolve(options);
  binding.conv2dBackpropFilter(x, dy, dfilter, encodeGeometry(geometry), threads);
}

/** The input gradient of `conv2d`: each `dy` pixel times the filter, added back into its window. */
export function conv2dBackpropInput(
  dy: Float32Array,
  filter: Float32Array,
  dx: Float32Array,
  geometry: Conv2dGeometry,
  options?: KernelOptions,
): void {
  const [binding, threads] = resolve(options);
  binding.conv2dBackpropInput(dy, filter, dx, encodeGeometry(geometry), threads);
}

/** `out[i] = activation(op(a[i]) · op(b[i]) + bias)`, row-major, into the caller's `out`. */
export function matMul(
  a: Float32Array,
  b: Float32Array,
  out: Float32Array,
  shape: MatMulShape,
  options?: FusedOptions,
): void {
  const [binding, threads] = resolve(options);
  binding.matMul(
    a,
    b,
    options?.bias ?? NO_BIAS,
    out,
    encodeShape(shape, options?.activation ?? 'linear'),
    threads,
  );
}

const denseBuffer = new Int32Array(5);

/**
 * The three gradients of a dense layer `y = activation(x · w + b)` (`x` is `m x k`, `w` is
 * `k x n`) from its output `y` and incoming gradient `dy`, in one call: with `dz = dy` masked by
 * `y > 0` for ReLU, `dx = dz · wᵀ`, `dw = xᵀ · dz`, `db` = column sums of `dz`.
 */
export function denseBackward(
  x: Float32Array,
  w: Float32Array,
  y: Float32Array,
  dy: Float32Array,
  out: { dx: Float32Array; dw: Float32Array; db: Float32Array },
  shape: { m: number; k: number; n: number },
  options?: Omit<FusedOptions, 'bias'>,
): void {
  const [binding, threads] = resolve(options);
  if (typeof shape !== 'object' || shape === null) throw new TypeError('shape must be an object');
  if (typeof out !== 'object' || out === null) throw new TypeError('out must be an object');
  denseBuffer[0] = intField(shape.m, 'shape.m');
  denseBuffer[1] = intField(shape.k, 'shape.k');
  denseBuffer[2] = intField(shape.n, 'shape.n');
  denseBuffer[3] = activationCode(options?.activation);
  denseBuffer[4] = threads;
  binding.denseBackward(x, w, y, dy, out.dx, out.dw, out.db, denseBuffer);
}

/**
 * `out[s] = sum of the rows r of data with segmentIds[r] == s` (the gradient of `gather`). Rows
 * with a negative id are dropped; an id of `numSegments` or more is a RangeError.
 */
export function unsortedSegmentSum(
  data: Float32Array,
  segmentIds: Int32Array,
  numSegments: number,
  out: Float32Array,
  options?: Pick<KernelOptions, 'binding'>,
): void {
  bindingOf(options).unsortedSegmentSum(data, segmentIds, numSegments, out);
}

/**
 * One Adam step, out of place, rounded operation by operation exactly as `tf.train.adam` does:
 * `m' = m·β1 + g·(1-β1)`, `v' = v·β2 + g²·(1-β2)`,
 * `param' = (m'/(1-β1^t)) / (sqrt(v'/(1-β2^t)) + ε) · (-lr) + param`.
 */
export function adamUpdate(
  param: Float32Array,
  grad: Float32Array,
  m: Float32Array,
  v: Float32Array,
  out: { param: Float32Array; m: Float32Array; v: Float32Array },
  step: AdamStep,
  options?: Pick<KernelOptions, 'binding'>,
): void {
  if (typeof step !== 'object' || step === null) throw new TypeError('step must be an object');
  const fields = ['learningRate', 'beta1', 'beta2', 'epsilon', 'accBeta1', 'accBeta2'] as const;
  fields.forEach((f, i) => {
    const value = step[f];
    if (typeof value !== 'number') throw new TypeError(`step.${f} must be a number`);
    hyperBuffer[i] = value;
  });
  if (typeof out !== 'object' || out === null) throw new TypeError('out must be an object');
  expectTypedArray(out.param, 'paramOut', 'Float32Array');
  bindingOf(options).adamUpdate(param, grad, m, v, out.param, out.m, out.v, hyperBuffer);
}
