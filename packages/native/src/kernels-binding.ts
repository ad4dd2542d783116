/**
 * The low-level kernel functions both binaries expose (crates/node/src/kernels.rs and
 * crates/wasm/src/kernels.rs over crates/kernels). Use the checked wrappers in kernels.ts.
 */
export interface KernelsBinding {
  /** Threads a kernel may use here: the cores granted to this process (1 for wasm). */
  kernelMaxThreads(): number;
  conv2d(
    x: Float32Array,
    filter: Float32Array,
    bias: Float32Array,
    y: Float32Array,
    geometry: Int32Array,
    activation: number,
    threads: number,
  ): void;
  conv2dBackpropFilter(
    x: Float32Array,
    dy: Float32Array,
    dfilter: Float32Array,
    geometry: Int32Array,
    threads: number,
  ): void;
  conv2dBackpropInput(
    dy: Float32Array,
    filter: Float32Array,
    dx: Float32Array,
    geometry: Int32Array,
    threads: number,
  ): void;
  matMul(
    a: Float32Array,
    b: Float32Array,
    bias: Float32Array,
    out: Float32Array,
    shape: Int32Array,
    threads: number,
  ): void;
  denseBackward(
    x: Float32Array,
    w: Float32Array,
    y: Float32Array,
    dy: Float32Array,
    dx: Float32Array,
    dw: Float32Array,
    db: Float32Array,
    shape: Int32Array,
  ): void;
  unsortedSegmentSum(
    data: Float32Array,
    segmentIds: Int32Array,
    numSegments: number,
    out: Float32Array,
  ): void;
  adamUpdate(
    param: Float32Array,
    grad: Float32Array,
    m: Float32Array,
    v: Float32Array,
    paramOut: Float32Array,
    mOut: Float32Array,
    vOut: Float32Array,
    hyper: Float64Array,
  ): void;
}
