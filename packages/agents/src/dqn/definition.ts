/**
 * DQN as the registry knows it: presets, the config schema, and the pieces `runExperiment` and
 * the high-level API need (builder, networks, saving the Q-network, a greedy actor from it).
 */
import type { EnvironmentSpec } from '@acme-ts/core';
import { loadModel, saveModel, setVariables } from '@acme-ts/tf';
import type { AgentDefinition } from '../registry.js';
import { greedyActor } from './actor.js';
import { DQNBuilder, dqnNetworkFactory } from './builder.js';
import {
  DEFAULT_CONFIG,
  type DQNConfig,
  isPresetName,
  makeConfig,
  PRESETS,
  type PresetName,
} from './config.js';
import { parseDQNConfig, parseDQNOverrides } from './config_schema.js';
import { makeQNetwork, numActionsOf, observationShapeOf } from './networks.js';
import { NativeMlpPolicy, TfPolicy } from './policy.js';

export const dqnDefinition: AgentDefinition<DQNConfig> = {
  name: 'dqn',
  description: 'DQN (double Q, n-step, prioritized replay, dueling optional)',
  presets: Object.keys(PRESETS),
  defaultPreset: (spec: EnvironmentSpec) => (observationShapeOf(spec).image ? 'atari' : 'cartpole'),
  configKeys: Object.keys(DEFAULT_CONFIG),
  makeConfig(preset, overrides, source) {
    if (!isPresetName(preset)) {
      throw new RangeError(`unknown preset "${preset}"; choose one of: ${Object.keys(PRESETS).join(', ')}`);
    }
    return makeConfig(preset as PresetName, overrides as Partial<DQNConfig>, source);
  },
  parseConfig: parseDQNConfig,
  parseOverrides: (raw, source) => parseDQNOverrides(raw, source),
  evaluation: (config) => ({ every: config.evalEvery, episodes: config.evalEpisodes }),
  builder: (config) => new DQNBuilder(config),
  networkFactory: dqnNetworkFactory,
  async saveModel(config, spec, weights, dir) {
    const model = makeQNetwork(spec, config, 0, 'q_network');
    setVariables(model, weights);
    await saveModel(model, dir);
    model.dispose();
  },
  async loadActor(_config, spec, dir) {
    const model = await loadModel(dir);
    const { shape, image } = observationShapeOf(spec);
    const policy = image ? new TfPolicy(model, shape) : new NativeMlpPolicy(model);
    return { actor: greedyActor(policy, numActionsOf(spec)), dispose: () => policy.dispose() };
  },
};
