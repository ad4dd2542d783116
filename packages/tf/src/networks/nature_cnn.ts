/**
 * The Nature DQN torso (Mnih et al. 2015): 32 8x8 filters stride 4, 64 4x4 stride 2, 64 3x3
 * stride 1, each ReLU, then a 512-unit ReLU layer. 'valid' padding, channels last (84x84x4 frames
 * give 20x20, 9x9, 7x7 feature maps and 3136 features).
 */
import { input, type LayersModel, layers, model, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import { denseLayer } from './dense_layer.js';
import { positiveInt, Seeds, shapeOf } from './seeds.js';

export interface NatureCnnOptions {
  /** [height, width, channels] of the observation, e.g. [84, 84, 4]. */
  inputShape: readonly number[];
  /** Width of the dense layer after the convolutions; default 512. */
  hiddenSize?: number;
  /** Width of a final linear layer (e.g. the number of actions); none when absent. */
  outputSize?: number;
  /** Multiplies the input first, e.g. 1/255 for uint8 frames; default 1 (no layer). */
  inputScale?: number;
  /** Default 0. */
  seed?: number;
  name?: string;
}

/** The convolutions and the dense layer on `x` ([batch, h, w, c]). */
export function natureCnnLayers(
  x: SymbolicTensor,
  seeds: Seeds,
  options: { hiddenSize?: number; inputScale?: number } = {},
): SymbolicTensor {
  let h = x;
  const scale = options.inputScale ?? 1;
  if (typeof scale !== 'number' || !Number.isFinite(scale))
    throw new RangeError(`inputScale must be finite, got ${scale}`);
  if (scale !== 1) h = layers.rescaling({ scale, name: 'scale' }).apply(h) as SymbolicTensor;
  const convs: [number, number, number][] = [
    [32, 8, 4],
    [64, 4, 2],
    [64, 3, 1],
  ];
  convs.forEach(([filters, kernelSize, strides], i) => {
    h = layers
      .conv2d({
        filters,
        kernelSize,
        strides,
        padding: 'valid',
        activation: 'relu',
        kernelInitializer: seeds.kernel(),
        name: `conv${i + 1}`,
      })
      .apply(h) as SymbolicTensor;
  });
  h = layers.flatten({ name: 'flatten' }).apply(h) as SymbolicTensor;
  const units = positiveInt(options.hiddenSize ?? 512, 'hiddenSize');
  return denseLayer(h, units, 'relu', seeds, 'hidden');
}

export function natureCnn(options: NatureCnnOptions): LayersModel {
  const shape = shapeOf(options.inputShape, 'inputShape');
  if (shape.length !== 3)
    throw new RangeError(`inputShape must be [height, width, channels], got [${shape}]`);
  const seeds = new Seeds(options.seed);
  const x = input({ shape, name: 'observation' });
  let h = natureCnnLayers(x, seeds, options);
  if (options.outputSize !== undefined) {
    const units = positiveInt(options.outputSize, 'outputSize');
    h = denseLayer(h, units, 'linear', seeds, 'output');
  }
  return model({ inputs: x, outputs: h, name: options.name ?? 'nature_cnn' });
}
