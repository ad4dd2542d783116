/** Acme's Worker: something that runs (an environment loop, a learner, a replay server). */
export interface Worker {
  run(): unknown;
}
