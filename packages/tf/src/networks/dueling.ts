/**
 * The dueling head (Wang et al. 2016): separate value and advantage streams combined as
 * `Q(s, a) = V(s) + A(s, a) - mean over a' of A(s, a')`, as Acme's `DuelingMLP` does.
 */
import { add, mean, serialization, sub, type Tensor, tidy } from '@tensorflow/tfjs-core';
import { layers, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import { denseLayer } from './dense_layer.js';
import { positiveInt, type Seeds } from './seeds.js';

/** Combines `[value (batch x 1), advantages (batch x actions)]` into Q-values. */
export class DuelingCombine extends layers.Layer {
  static readonly className = 'AcmeDuelingCombine';

  override computeOutputShape(inputShape: (number | null)[][]): (number | null)[] {
    return inputShape[1]!;
  }

  override call(inputs: Tensor | Tensor[]): Tensor {
    return tidy(() => {
      const [value, advantages] = inputs as Tensor[];
      return sub(add(value!, advantages!), mean(advantages!, -1, true));
    });
  }
}
serialization.registerClass(DuelingCombine);

export interface DuelingOptions {
  /** Hidden widths of each stream before its linear output; default none (linear streams). */
  hiddenSizes?: readonly number[];
}

/** Q-values `[batch, numActions]` from torso features, through the two streams. */
export function duelingHead(
  features: SymbolicTensor,
  numActions: number,
  seeds: Seeds,
  options: DuelingOptions = {},
): SymbolicTensor {
  positiveInt(numActions, 'numActions');
  const stream = (name: string, units: number): SymbolicTensor => {
    let h = features;
    (options.hiddenSizes ?? []).forEach((width, i) => {
      positiveInt(width, `hiddenSizes[${i}]`);
      h = denseLayer(h, width, 'relu', seeds, `${name}_hidden${i}`);
    });
    return denseLayer(h, units, 'linear', seeds, name);
  };
  const value = stream('value', 1);
  const advantages = stream('advantages', numActions);
  return new DuelingCombine({ name: 'dueling' }).apply([value, advantages]) as SymbolicTensor;
}
