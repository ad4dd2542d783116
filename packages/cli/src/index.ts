export { type CheckOptions, type CheckSummary, runCheck } from './commands/check.js';
export { main, UsageError } from './main.js';
