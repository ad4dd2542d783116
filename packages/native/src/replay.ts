/** Prioritized replay (crates/replay): one file per concept, exported together. */
export { ReplayEngine, type ReplayEngineOptions, type ReplaySample } from './replay-engine.js';
export { RateLimiter, type RateLimiterSpec, RateLimiters } from './replay-rate-limiter.js';
export { type SelectorSpec, Selectors } from './replay-selectors.js';
export {
  type ColumnArray,
  type ColumnDtype,
  type ColumnLayout,
  type ColumnSpec,
  type DataColumnSpec,
  type FrameStackColumnSpec,
  type FramesOptions,
  ReplayBatch,
  ReplayLayout,
} from './replay-storage.js';
export { importanceWeights } from './replay-weights.js';
