export { type CheckOptions, type CheckSummary, runCheck } from './commands/check.js';
export { evaluateRun } from './commands/evaluate.js';
export { play } from './commands/play.js';
export {
  type RunRecord,
  runRecordOf,
  type TrainOptions,
  type TrainSummary,
  train,
} from './commands/train.js';
export { ENVIRONMENTS, environmentEntry } from './environments.js';
export { main, UsageError } from './main.js';
export { ProgressBar } from './progress.js';
