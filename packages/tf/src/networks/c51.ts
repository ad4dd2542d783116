/**
 * The distributional head of C51 (Bellemare et al. 2017): for each action, logits over `numAtoms`
 * returns evenly spaced on [vMin, vMax]. The network outputs the logits `[batch, actions, atoms]`;
 * `c51QValues` turns them into expected returns, `c51Support` gives the atoms.
 */
import { linspace, mul, softmax, sum, type Tensor, type Tensor1D, tidy } from '@tensorflow/tfjs-core';
import { layers, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import { denseLayer } from './dense_layer.js';
import { positiveInt, type Seeds } from './seeds.js';

export interface C51Options {
  /** Atoms of the support; default 51. */
  numAtoms?: number;
}

/** Logits `[batch, numActions, numAtoms]` from torso features. */
export function c51Head(
  features: SymbolicTensor,
  numActions: number,
  seeds: Seeds,
  options: C51Options = {},
): SymbolicTensor {
  positiveInt(numActions, 'numActions');
  const atoms = positiveInt(options.numAtoms ?? 51, 'numAtoms');
  const flat = denseLayer(features, numActions * atoms, 'linear', seeds, 'logits_flat');
  return layers.reshape({ targetShape: [numActions, atoms], name: 'logits' }).apply(flat) as SymbolicTensor;
}

/** The atoms z_i = vMin + i (vMax - vMin) / (numAtoms - 1). */
export function c51Support(vMin: number, vMax: number, numAtoms = 51): Tensor1D {
  if (!(Number.isFinite(vMin) && Number.isFinite(vMax) && vMin < vMax)) {
    throw new RangeError(`need finite vMin < vMax, got ${vMin} and ${vMax}`);
  }
  positiveInt(numAtoms, 'numAtoms');
  if (numAtoms < 2) throw new RangeError(`numAtoms must be at least 2, got ${numAtoms}`);
  return linspace(vMin, vMax, numAtoms);
}

/** Q(s, a) = sum over i of softmax(logits)[a, i] * z_i: `[batch, actions]`. */
export function c51QValues(logits: Tensor, support: Tensor1D): Tensor {
  return tidy(() => sum(mul(softmax(logits), support), -1));
}
