/** @acme-ts/agents: agents built the Acme way. */
export {
  type EnvironmentSource,
  type LearnOptions,
  loadAgent,
  type MakeAgentOptions,
  makeAgent,
  TrainedAgent,
} from './api.js';
export * from './builders.js';
export * from './checkpointing/checkpointer.js';
export { schemaProblem } from './config_parsing.js';
export * from './dqn/index.js';
export type { EvaluationConfig, ExperimentConfig } from './experiments/config.js';
export { type EvaluationProtocol, type EvaluationResult, evaluateActor } from './experiments/evaluation.js';
export {
  type CurveOptions,
  type CurvePoint,
  learningCurveSvg,
  movingAverage,
} from './experiments/learning_curve.js';
export { type ExperimentSummary, runExperiment, writeSummary } from './experiments/run_experiment.js';
export { seedsFrom } from './experiments/seeds.js';
export { readStateFiles, writeStateFiles } from './experiments/state_files.js';
export {
  type AgentDefinition,
  agentDefinition,
  agentNames,
  type LoadedActor,
  registerAgent,
} from './registry.js';

// The agents this package brings, known to the registry as soon as it loads.
import { dqnDefinition } from './dqn/definition.js';
import { registerAgent as register } from './registry.js';

register(dqnDefinition);
