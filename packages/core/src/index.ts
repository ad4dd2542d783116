/**
 * @acme-ts/core: the interfaces every acme-ts component shares (dm_env specs and TimeStep,
 * Environment, Actor, Learner, VariableSource, Saveable, Worker), the EnvironmentLoop, counters,
 * loggers, and a seeded PRNG.
 */
export type { Actor } from './actor.js';
export { Agent, type AgentOptions, learnerStepsFor, type SteppableLearner } from './agent.js';
export { type AtomicFs, type WritableHandle, writeFileAtomic, writeTextAtomic } from './atomic_write.js';
export { AutoResetEnvironment } from './auto_reset_environment.js';
export { Counter, type CounterOptions, type CounterState, type Counts } from './counter.js';
export { defaultDiscountSpec, defaultRewardSpec, type Environment } from './environment.js';
export {
  EnvironmentLoop,
  type EnvironmentLoopOptions,
  type RunLimit,
  TIMING_STRIDE,
} from './environment_loop.js';
export { Learner } from './learner.js';
export * from './loggers/index.js';
export type { EnvLoopObserver } from './observer.js';
export { Random } from './random.js';
export type { Saveable } from './saveable.js';
export { type JsonEncodeOptions, jsonDecode, jsonEncode } from './serialization.js';
export * as specs from './specs/index.js';
export {
  ArraySpec,
  type ArraySpecChanges,
  type ArrayValue,
  type Bound,
  BoundedArray,
  type BoundedArrayChanges,
  castScalar,
  DiscreteArray,
  type DiscreteArrayChanges,
  type DType,
  describeValue,
  dtypeOf,
  type EnvironmentSpec,
  flattenSpec,
  generateNestedValue,
  integerRange,
  isDType,
  isFloatDType,
  makeEnvironmentSpec,
  mapSpec,
  type Nested,
  type NestedSpec,
  nestedSpecsEqual,
  TYPED_ARRAY,
  type TypedArray,
  type TypedArrayConstructor,
  validateNested,
  zerosLike,
} from './specs/index.js';
export {
  checkEnvironment,
  deepEqual,
  type EnvironmentCheckOptions,
  type EnvironmentCheckReport,
} from './testing/check_environment.js';
export {
  type ContinuousEnvironmentOptions,
  continuousEnvironment,
  type DiscreteEnvironmentOptions,
  discreteEnvironment,
  FakeEnvironment,
} from './testing/fakes.js';
export { makeActionSampler, RandomActor } from './testing/random_actor.js';
export { restart, StepType, TimeStep, termination, transition, truncation } from './time_step.js';
export { VariableClient } from './variable_client.js';
export type { VariableSource } from './variable_source.js';
export type { Worker } from './worker.js';
