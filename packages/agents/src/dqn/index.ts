export { DQNActor, type DQNActorOptions, greedyActor } from './actor.js';
export {
  DQNBuilder,
  type DQNParts,
  dqnNetworkFactory,
  makeDQN,
  makeReplayTable,
} from './builder.js';
export {
  DEFAULT_CONFIG,
  type DQNConfig,
  epsilonAt,
  isPresetName,
  type LinearSchedule,
  makeConfig,
  PRESETS,
  type PresetName,
  validateConfig,
} from './config.js';
export { DQNConfigSchema, DQNOverridesSchema, parseDQNConfig, parseDQNOverrides } from './config_schema.js';
export { dqnDefinition } from './definition.js';
export { DQNLearner, type DQNLearnerMetrics, type DQNLearnerState } from './learning.js';
export {
  type DQNNetworks,
  makeNetworks,
  makeQNetwork,
  numActionsOf,
  observationShapeOf,
} from './networks.js';
export { type GreedyPolicy, NativeMlpPolicy, TfPolicy } from './policy.js';
