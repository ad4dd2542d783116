/**
 * The forward pass of a small dense network in Rust, without TensorFlow.js: for acting one
 * observation at a time, where TensorFlow.js's fixed cost per operation (tensor creation, the
 * kernels, reading the result back) is several times the arithmetic. It runs the same Rust
 * product as the wasm backend's `_FusedMatMul`, so its Q-values are those of `model.predict` on
 * that backend. Copy the weights in with `sync()` whenever the model's weights change.
 *
 * ```ts
 * const policy = new NativeMlp(network); // dense (+ flatten) layers only
 * policy.sync();
 * const action = policy.greedyAction(observation);
 * ```
 */
import { type Binding, matMul } from '@acme-ts/native';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { getVariables } from './variables.js';

interface DenseLayer {
  inputs: number;
  units: number;
  relu: boolean;
  /** Offsets of the kernel and bias in the flat weights. */
  kernel: number;
  bias: number;
}

export class NativeMlp {
  readonly inputSize: number;
  readonly outputSize: number;
  private readonly layers: DenseLayer[];
  private readonly weights: Float32Array;
  private readonly kernels: Float32Array[];
  private readonly biases: Float32Array[];
  private hidden: Float32Array[] = [];
  private batch = 0;
  private readonly single: Float32Array;

  /** @param options.binding the `@acme-ts/native` binary to run on; default `native()`'s. */
  constructor(
    private readonly model: LayersModel,
    private readonly options: { binding?: Binding } = {},
  ) {
    const layers: DenseLayer[] = [];
    let offset = 0;
    for (const layer of model.layers) {
      const type = layer.getClassName();
      if (type === 'InputLayer' || type === 'Flatten') continue;
      const config = layer.getConfig();
      if (type !== 'Dense' && type !== 'AcmeFusedDense') {
        throw new TypeError(`NativeMlp runs Dense, FusedDense and Flatten layers only, got ${type}`);
      }
      const activation = config.activation;
      if (activation !== 'relu' && activation !== 'linear') {
        throw new TypeError(`NativeMlp supports relu and linear activations, got ${String(activation)}`);
      }
      if (config.useBias === false) throw new TypeError('NativeMlp needs dense layers with a bias');
      const [kernel, bias] = layer.weights;
      const [inputs, units] = kernel!.shape as [number, number];
      layers.push({
        inputs,
        units,
        relu: activation === 'relu',
        kernel: offset,
        bias: offset + inputs * units,
      });
      offset += inputs * units + bias!.shape[0]!;
      const previous = layers[layers.length - 2];
      if (previous && previous.units !== inputs)
        throw new TypeError('NativeMlp needs a plain chain of dense layers');
    }
    if (layers.length === 0) throw new TypeError('NativeMlp needs at least one Dense layer');
    if (model.weights.length !== 2 * layers.length)
      throw new TypeError('NativeMlp needs a plain chain of dense layers');
    this.layers = layers;
    this.inputSize = layers[0]!.inputs;
    this.outputSize = layers[layers.length - 1]!.units;
    this.weights = new Float32Array(offset);
    this.kernels = layers.map((l) => this.weights.subarray(l.kernel, l.kernel + l.inputs * l.units));
    this.biases = layers.map((l) => this.weights.subarray(l.bias, l.bias + l.units));
    this.single = new Float32Array(this.outputSize);
  }

  /** Copies the model's current weights (after a training step or `setVariables`). */
  sync(): void {
    getVariables(this.model, this.weights);
  }

  /** Network outputs for `input.length / inputSize` observations, into `output`. */
  forward(input: Float32Array, output: Float32Array): void {
    if (!(input instanceof Float32Array)) throw new TypeError('input must be a Float32Array');
    if (!(output instanceof Float32Array)) throw new TypeError('output must be a Float32Array');
    const batch = input.length / this.inputSize;
    if (!Number.isInteger(batch)) {
      throw new RangeError(
        `input length (${input.length}) must be a multiple of inputSize (${this.inputSize})`,
      );
    }
    if (output.length !== batch * this.outputSize) {
      throw new RangeError(`output must have length ${batch * this.outputSize}, got ${output.length}`);
    }
    if (batch > this.batch) {
      // Grows only: acting with a fixed batch allocates once.
      this.hidden = this.layers.slice(0, -1).map((l) => new Float32Array(batch * l.units));
      this.batch = batch;
    }
    let x = input;
    this.layers.forEach((l, i) => {
      const last = i === this.layers.length - 1;
      const y = last ? output : this.hidden[i]!.subarray(0, batch * l.units);
      matMul(
        x,
        this.kernels[i]!,
        y,
        { m: batch, k: l.inputs, n: l.units },
        {
          bias: this.biases[i]!,
          activation: l.relu ? 'relu' : 'linear',
          threads: 1,
          ...this.options,
        },
      );
      x = y;
    });
  }

  /** argmax over the outputs for one observation (the first maximum on ties). */
  greedyAction(observation: Float32Array): number {
    this.forward(observation, this.single);
    let best = 0;
    for (let a = 1; a < this.outputSize; a++) if (this.single[a]! > this.single[best]!) best = a;
    return best;
  }
}
