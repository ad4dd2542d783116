/**
 * A dense layer computed by the `dense` op: the same weights (`kernel [inputs, units]`, `bias`),
 * values and gradients as tfjs-layers' `Dense`, in two kernels per training step instead of a
 * dozen on the wasm backend. Glorot-uniform kernel from `seed`, zero bias, ReLU or linear.
 * Serialised as `AcmeFusedDense` (importing @acme-ts/tf registers it for loading).
 */
import { serialization, type Tensor, type Tensor1D, type Tensor2D, tidy } from '@tensorflow/tfjs-core';
import { initializers, type LayerVariable, layers } from '@tensorflow/tfjs-layers';
import { type DenseActivation, dense } from '../ops/dense.js';

export interface FusedDenseArgs {
  units: number;
  activation?: DenseActivation;
  /** Seed of the Glorot-uniform kernel initialiser. */
  seed?: number | null;
  name?: string;
}

type Shape = (number | null)[];

export class FusedDense extends layers.Layer {
  static readonly className = 'AcmeFusedDense';
  readonly units: number;
  readonly activation: DenseActivation;
  readonly seed: number | null;
  private kernel: LayerVariable | undefined;
  private bias: LayerVariable | undefined;

  constructor(args: FusedDenseArgs) {
    super(args.name === undefined ? {} : { name: args.name });
    this.units = args.units;
    this.activation = args.activation ?? 'linear';
    if (this.activation !== 'linear' && this.activation !== 'relu') {
      throw new RangeError(`FusedDense activation must be 'linear' or 'relu', got ${this.activation}`);
    }
    this.seed = args.seed ?? null;
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    const inputs = shape[shape.length - 1]!;
    const kernelInit = initializers.glorotUniform(this.seed === null ? {} : { seed: this.seed });
    this.kernel = this.addWeight('kernel', [inputs, this.units], 'float32', kernelInit);
    this.bias = this.addWeight('bias', [this.units], 'float32', initializers.zeros());
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    return [...shape.slice(0, -1), this.units];
  }

  override call(inputs: Tensor | Tensor[]): Tensor {
    return tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as Tensor2D;
      return dense(x, this.kernel!.read() as Tensor2D, this.bias!.read() as Tensor1D, this.activation);
    });
  }

  override getConfig(): serialization.ConfigDict {
    return { ...super.getConfig(), units: this.units, activation: this.activation, seed: this.seed };
  }
}
serialization.registerClass(FusedDense);
