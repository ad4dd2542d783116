/**
 * Q-networks from a spec: an MLP or Nature-CNN torso and a linear, dueling or C51 head, for
 * `numActions` discrete actions (a `DiscreteArray` spec's `numValues`).
 */
import { input, type LayersModel, model, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import { type C51Options, c51Head } from './c51.js';
import { denseLayer } from './dense_layer.js';
import { type DuelingOptions, duelingHead } from './dueling.js';
import { type HiddenActivation, mlpLayers } from './mlp.js';
import { natureCnnLayers } from './nature_cnn.js';
import { positiveInt, Seeds, shapeOf } from './seeds.js';

export type Torso =
  | { kind: 'mlp'; hiddenSizes: readonly number[]; activation?: HiddenActivation }
  | { kind: 'natureCnn'; hiddenSize?: number; inputScale?: number };

export type Head =
  | { kind: 'linear' }
  | ({ kind: 'dueling' } & DuelingOptions)
  | ({ kind: 'c51' } & C51Options);

export interface QNetworkOptions {
  /** The observation spec's shape. */
  observationShape: readonly number[] | number;
  /** Discrete actions: the action spec's `numValues`. */
  numActions: number;
  torso: Torso;
  /** Default linear. */
  head?: Head;
  /** Default 0. */
  seed?: number;
  name?: string;
}

/** Outputs Q-values `[batch, numActions]`, or for a C51 head logits `[batch, numActions, atoms]`. */
export function qNetwork(options: QNetworkOptions): LayersModel {
  const shape = shapeOf(options.observationShape, 'observationShape');
  const numActions = positiveInt(options.numActions, 'numActions');
  const seeds = new Seeds(options.seed);
  const x = input({ shape, name: 'observation' });
  const torso = options.torso;
  let features: SymbolicTensor;
  if (torso.kind === 'mlp') {
    features = mlpLayers(x, torso.hiddenSizes, seeds, torso.activation);
  } else if (torso.kind === 'natureCnn') {
    if (shape.length !== 3)
      throw new RangeError(`a natureCnn torso needs [height, width, channels], got [${shape}]`);
    features = natureCnnLayers(x, seeds, torso);
  } else {
    throw new RangeError(`torso.kind must be 'mlp' or 'natureCnn', got ${(torso as { kind: unknown }).kind}`);
  }
  const head = options.head ?? { kind: 'linear' };
  let out: SymbolicTensor;
  if (head.kind === 'linear') {
    out = denseLayer(features, numActions, 'linear', seeds, 'q_values');
  } else if (head.kind === 'dueling') {
    out = duelingHead(features, numActions, seeds, head);
  } else if (head.kind === 'c51') {
    out = c51Head(features, numActions, seeds, head);
  } else {
    throw new RangeError(
      `head.kind must be 'linear', 'dueling' or 'c51', got ${(head as { kind: unknown }).kind}`,
    );
  }
  return model({ inputs: x, outputs: out, name: options.name ?? 'q_network' });
}
