/**
 * @acme-ts/replay: Reverb-like replay for acme-ts. Tables (selectors, blocking rate limiters,
 * signatures, atomic checkpoints) over @acme-ts/native's Rust replay engine, Acme's adders, and
 * datasets of preallocated batches.
 */
export {
  type ColumnArray,
  importanceWeights,
  type RateLimiterSpec,
  RateLimiters,
  type SelectorSpec,
  Selectors,
} from '@acme-ts/native';
export type { Adder, AnyTimeStep } from './adders/adder.js';
export { EpisodeAdder, type EpisodeAdderOptions } from './adders/episode.js';
export {
  NStepTransitionAdder,
  type NStepTransitionAdderOptions,
  type Transition,
  type TransitionSpec,
} from './adders/n_step_transition.js';
export {
  type PriorityFn,
  type PriorityFns,
  ReverbAdder,
  type ReverbAdderOptions,
} from './adders/reverb_adder.js';
export { EndBehavior, SequenceAdder, type SequenceAdderOptions } from './adders/sequence.js';
export type { PaddingFn } from './adders/step_ring.js';
export { type Trajectory, type TrajectorySpec, trajectorySignature } from './adders/trajectory.js';
export { TrajectoryAdder, type TrajectoryAdderOptions } from './adders/trajectory_adder.js';
export { ReplayDataset, type ReplayDatasetOptions } from './dataset.js';
export { RateLimiterTimeoutError, TableCancelledError } from './errors.js';
export { ItemLayout, LENGTH_COLUMN, type LeafLayout } from './item_layout.js';
export type { BatchIterator, PriorityUpdater } from './learner_data.js';
export { specFromJson, specToJson } from './spec_json.js';
export {
  disableInsertBlocking,
  type RateLimiterInfo,
  type SampleOptions,
  Table,
  type TableFramesOptions,
  type TableInfo,
  type TableOptions,
  type WaitOptions,
} from './table.js';
export { TableSample } from './table_sample.js';
export { type TensorModule, type ToTensorsOptions, toTensors } from './tensors.js';
