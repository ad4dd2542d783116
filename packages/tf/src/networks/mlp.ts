/** A multi-layer perceptron: the torso of Acme's control-suite agents (and CleanRL's 120-84 DQN). */
import { input, type LayersModel, layers, model, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import { denseLayer } from './dense_layer.js';
import { positiveInt, Seeds, shapeOf } from './seeds.js';

export type HiddenActivation = 'relu' | 'tanh' | 'elu';

export interface MlpOptions {
  /** The observation shape (a spec's `shape`); inputs of rank > 1 are flattened. */
  inputShape: readonly number[] | number;
  /** Widths of the hidden layers, e.g. [120, 84]. */
  hiddenSizes: readonly number[];
  /** Width of a final linear layer (e.g. the number of actions); none when absent. */
  outputSize?: number;
  /** Default 'relu'. */
  activation?: HiddenActivation;
  /** Default 0. */
  seed?: number;
  name?: string;
}

/** Dense hidden layers on `x`, seeded from `seeds`. */
export function mlpLayers(
  x: SymbolicTensor,
  hiddenSizes: readonly number[],
  seeds: Seeds,
  activation: HiddenActivation = 'relu',
  prefix = 'mlp',
): SymbolicTensor {
  let h = x;
  if (h.shape.length > 2) h = layers.flatten({ name: `${prefix}_flatten` }).apply(h) as SymbolicTensor;
  hiddenSizes.forEach((units, i) => {
    positiveInt(units, `hiddenSizes[${i}]`);
    h = denseLayer(h, units, activation, seeds, `${prefix}_dense${i}`);
  });
  return h;
}

export function mlp(options: MlpOptions): LayersModel {
  const seeds = new Seeds(options.seed);
  const x = input({ shape: shapeOf(options.inputShape, 'inputShape'), name: 'observation' });
  let h = mlpLayers(x, options.hiddenSizes, seeds, options.activation);
  if (options.outputSize !== undefined) {
    const units = positiveInt(options.outputSize, 'outputSize');
    h = denseLayer(h, units, 'linear', seeds, 'output');
  }
  return model({ inputs: x, outputs: h, name: options.name ?? 'mlp' });
}
