/**
 * Acme's ExperimentConfig: everything `runExperiment` needs to train any agent on any environment,
 * in one process, and to leave a run folder behind.
 */
import type { Environment, EnvironmentSpec, Logger } from '@acme-ts/core';
import type { ActorLearnerBuilder, NetworkFactory } from '../builders.js';

export interface EvaluationConfig {
  /** Evaluate every this many actor steps and keep the best weights (0 or absent: never). */
  every?: number;
  /** Episodes of each periodic evaluation. */
  episodes?: number;
  /** Episodes of the final evaluation of the delivered weights. */
  finalEpisodes: number;
  /** The protocol's probability of a uniformly random action (Atari: 0.05). */
  epsilon?: number;
  /** The protocol's cap on steps per episode (Atari: 4,500, five minutes of play). */
  maxEpisodeSteps?: number;
}

export interface ExperimentConfig<Networks = unknown, Policy = unknown, Sample = unknown> {
  builder: ActorLearnerBuilder<Networks, Policy, Sample>;
  /** A new environment seeded with `seed` (training uses `seed`, evaluation its own). */
  environmentFactory: (seed: number) => Environment<ArrayLike<number>, number>;
  networkFactory: NetworkFactory<Networks>;
  seed: number;
  maxNumActorSteps: number;
  evaluation: EvaluationConfig;
  /** Checkpoint every this many actor steps and at the end (absent: never). */
  checkpointing?: { every: number; keep?: number };
  /** The run folder: logs, curve, model, checkpoints and summary.json go here. */
  directory: string;
  /**
   * Continue from the newest usable checkpoint in `directory`: `true` fails when there is none,
   * `'or-start'` starts from step 0 then. A damaged checkpoint is never a reason to start over.
   */
  resume?: boolean | 'or-start';
  /** Writes the delivered policy's network (flat `weights`) into folder `dir` (the run's model). */
  saveModel?: (spec: EnvironmentSpec, weights: Float32Array, dir: string) => Promise<void>;
  /** More loggers of each training episode, beside the run folder's CSV and JSONL (a progress bar). */
  loggers?: Logger[];
  /** Lines for people (what was resumed, what was skipped, the result). */
  log?: (line: string) => void;
  /** The learning curve's title. */
  title?: string;
  /**
   * Stops the run early (Ctrl-C): after the episode under way it writes a checkpoint, the model,
   * the curve and a summary marked `interrupted`, skipping the final evaluation.
   */
  signal?: AbortSignal;
}
