/**
 * DQN's networks from the environment spec: an MLP torso for vector observations, the Nature CNN
 * for [height, width, channels] images (uint8 frames scaled by 1/255 inside the network), and a
 * linear or dueling head over the discrete actions.
 */
import type { ArraySpec, DiscreteArray, EnvironmentSpec } from '@acme-ts/core';
import { qNetwork, type tfl } from '@acme-ts/tf';
import type { DQNConfig } from './config.js';

export interface DQNNetworks {
  online: tfl.LayersModel;
  target: tfl.LayersModel;
  observationShape: number[];
  numActions: number;
  /** True for image observations (Nature CNN). */
  image: boolean;
}

export function observationShapeOf(spec: EnvironmentSpec): { shape: number[]; image: boolean } {
  const obs = spec.observations as ArraySpec;
  if (!obs || !Array.isArray(obs.shape)) {
    throw new TypeError('DQN needs a single array observation spec (not a nested one)');
  }
  const shape = [...obs.shape];
  return { shape, image: shape.length === 3 };
}

export function numActionsOf(spec: EnvironmentSpec): number {
  const actions = spec.actions as DiscreteArray;
  if (!actions || typeof actions.numValues !== 'number') {
    throw new TypeError('DQN needs a DiscreteArray action spec');
  }
  return actions.numValues;
}

/** A Q-network as DQN builds it; `seed` fixes its initial weights. */
export function makeQNetwork(
  spec: EnvironmentSpec,
  config: DQNConfig,
  seed: number,
  name: string,
): tfl.LayersModel {
  const { shape, image } = observationShapeOf(spec);
  const uint8 = (spec.observations as ArraySpec).dtype === 'uint8';
  return qNetwork({
    observationShape: shape,
    numActions: numActionsOf(spec),
    torso: image
      ? { kind: 'natureCnn', inputScale: uint8 ? 1 / 255 : 1 }
      : { kind: 'mlp', hiddenSizes: config.hiddenSizes },
    head: config.dueling ? { kind: 'dueling' } : { kind: 'linear' },
    seed,
    name,
  });
}

export function makeNetworks(spec: EnvironmentSpec, config: DQNConfig, seed: number): DQNNetworks {
  const online = makeQNetwork(spec, config, seed, 'online');
  // The target starts as an exact copy of the online network (the learner syncs it at step 0).
  const target = makeQNetwork(spec, config, seed, 'target');
  const { shape, image } = observationShapeOf(spec);
  return { online, target, observationShape: shape, numActions: numActionsOf(spec), image };
}
