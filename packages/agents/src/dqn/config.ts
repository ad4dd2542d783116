/**
 * DQN's configuration: Acme's defaults (acme/agents/jax/dqn/config.py) and named presets known to
 * work here. Every field has the Acme name in TypeScript case. What each field allows is checked
 * by the schema beside this file (config_schema.ts).
 */
import { parseDQNConfig } from './config_schema.js';

/** A linear schedule from `start` to `end` over `decaySteps` actor steps, then constant. */
export interface LinearSchedule {
  start: number;
  end: number;
  decaySteps: number;
}

export interface DQNConfig {
  /** Adam learning rate. */
  learningRate: number;
  /** Adam epsilon (Acme: 1e-8... tfjs/Keras default 1e-7). */
  adamEpsilon: number;
  discount: number;
  /** n of the n-step returns written by the adder. */
  nStep: number;
  /** Learner steps between copies of the online network into the target network. */
  targetUpdatePeriod: number;
  batchSize: number;
  /** Transitions in replay before learning starts. */
  minReplaySize: number;
  maxReplaySize: number;
  /** Learner samples per inserted transition (sets how often the learner steps). */
  samplesPerInsert: number;
  /** Tolerance of the sample-to-insert rate limiter, in samples. */
  samplesPerInsertTolerance: number;
  /** Prioritized replay: a in p^a. 0 gives uniform replay. */
  priorityExponent: number;
  /** Importance sampling exponent (beta). */
  importanceSamplingExponent: number;
  /** Exploration: a constant epsilon, or a linear decay over actor steps. */
  epsilon: number | LinearSchedule;
  /** Huber loss threshold. */
  huberLossParameter: number;
  /** Rewards are clipped to [-maxAbsReward, maxAbsReward] by the learner (Infinity: no clipping). */
  maxAbsReward: number;
  /** Gradients are rescaled to this global norm (Infinity: no clipping). */
  maxGradientNorm: number;
  /** Actor steps between pulls of the learner's weights. */
  variableUpdatePeriod: number;
  /** Q-network torso: hidden layer sizes of an MLP (vector observations); images use the Nature CNN. */
  hiddenSizes: number[];
  /** Dueling head (Wang et al. 2016) instead of a linear one. */
  dueling: boolean;
  /** Store each Atari frame once in replay and rebuild stacks at sample time. */
  frameDedup: boolean;
  /** Greedy evaluation episodes run every `evalEvery` actor steps to keep the best weights (0: never). */
  evalEvery: number;
  evalEpisodes: number;
}

/** Acme's DQN defaults. */
export const DEFAULT_CONFIG: Readonly<DQNConfig> = Object.freeze({
  learningRate: 1e-3,
  adamEpsilon: 1e-8,
  discount: 0.99,
  nStep: 5,
  targetUpdatePeriod: 100,
  batchSize: 256,
  minReplaySize: 1000,
  maxReplaySize: 1_000_000,
  samplesPerInsert: 0.5,
  samplesPerInsertTolerance: 10,
  priorityExponent: 0.6,
  importanceSamplingExponent: 0.2,
  epsilon: 0.05,
  huberLossParameter: 1,
  maxAbsReward: Number.POSITIVE_INFINITY,
  maxGradientNorm: Number.POSITIVE_INFINITY,
  variableUpdatePeriod: 1,
  hiddenSizes: [512, 512],
  dueling: false,
  frameDedup: false,
  evalEvery: 0,
  evalEpisodes: 0,
});

/**
 * Presets. `cartpole` solves CartPole-v1 within 50,000 steps (see the DQN README for the runs
 * behind it); `atari` follows the Nature paper / CleanRL's Atari DQN; `catch` is small and fast.
 */
export const PRESETS = {
  cartpole: {
    learningRate: 1e-3,
    discount: 0.99,
    nStep: 3,
    targetUpdatePeriod: 250,
    batchSize: 64,
    minReplaySize: 1000,
    maxReplaySize: 50_000,
    samplesPerInsert: 32,
    priorityExponent: 0.6,
    importanceSamplingExponent: 0.4,
    epsilon: { start: 1, end: 0.02, decaySteps: 10_000 },
    hiddenSizes: [128, 128],
    variableUpdatePeriod: 1,
    evalEvery: 2500,
    evalEpisodes: 10,
  },
  catch: {
    learningRate: 1e-3,
    nStep: 1,
    targetUpdatePeriod: 100,
    batchSize: 32,
    minReplaySize: 500,
    maxReplaySize: 20_000,
    samplesPerInsert: 8,
    epsilon: { start: 1, end: 0.05, decaySteps: 5_000 },
    hiddenSizes: [64, 64],
    evalEvery: 0,
    evalEpisodes: 0,
  },
  atari: {
    learningRate: 1e-4,
    adamEpsilon: 1e-4,
    discount: 0.99,
    nStep: 1,
    targetUpdatePeriod: 1000,
    batchSize: 32,
    minReplaySize: 20_000,
    maxReplaySize: 1_000_000,
    // One learner step every 4 actor steps: 32 samples per 4 inserts.
    samplesPerInsert: 8,
    priorityExponent: 0,
    importanceSamplingExponent: 0,
    epsilon: { start: 1, end: 0.01, decaySteps: 250_000 },
    huberLossParameter: 1,
    maxAbsReward: 1,
    maxGradientNorm: 10,
    variableUpdatePeriod: 1,
    frameDedup: true,
  },
} satisfies Record<string, Partial<DQNConfig>>;

export type PresetName = keyof typeof PRESETS;

export function isPresetName(name: string): name is PresetName {
  return Object.hasOwn(PRESETS, name);
}

/**
 * Acme's defaults, then the preset, then explicit overrides, checked by the one schema
 * (config_schema.ts). `source` says where the overrides came from in errors (the CLI passes its
 * `--preset`/`--set` arguments); by default the preset and the overridden keys are named.
 */
export function makeConfig(
  preset?: PresetName,
  overrides: Partial<DQNConfig> = {},
  source = describeSource(preset, overrides),
): DQNConfig {
  if (preset !== undefined && !isPresetName(preset)) {
    throw new RangeError(`unknown preset "${preset}"; choose one of: ${Object.keys(PRESETS).join(', ')}`);
  }
  return parseDQNConfig({ ...DEFAULT_CONFIG, ...(preset ? PRESETS[preset] : {}), ...overrides }, source);
}

function describeSource(preset: string | undefined, overrides: object): string {
  const keys = Object.keys(overrides);
  const base = preset === undefined ? 'DQN config (defaults' : `DQN config (preset ${preset}`;
  return `${base}${keys.length > 0 ? `, overriding ${keys.join(', ')}` : ''})`;
}

/** Throws unless `config` is a complete, valid DQN config (see parseDQNConfig, which returns it). */
export function validateConfig(config: DQNConfig, source = 'DQN config'): void {
  parseDQNConfig(config, source);
}

/** The exploration rate after `steps` actor steps. */
export function epsilonAt(schedule: DQNConfig['epsilon'], steps: number): number {
  if (typeof schedule === 'number') return schedule;
  if (steps >= schedule.decaySteps) return schedule.end;
  return schedule.start + (schedule.end - schedule.start) * (steps / schedule.decaySteps);
}
