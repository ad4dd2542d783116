/**
 * The one schema of DQN's config. Presets, `--set` overrides and a run's `run.json` all pass
 * through it, so a value that one of them accepts the others accept too, and every rejection
 * names the source, the key, the value and what the key allows.
 */
import { z } from 'zod';
import { type ConfigField, fields, objectSchema, parseConfig, partialSchema } from '../config_parsing.js';
import type { DQNConfig } from './config.js';

const schedule = z.strictObject({
  start: z.number().min(0).max(1),
  end: z.number().min(0).max(1),
  decaySteps: z.number().int().min(0),
});

/** Each field of DQNConfig: its schema and what it allows, in words. */
export const DQN_CONFIG_FIELDS: Readonly<Record<keyof DQNConfig, ConfigField>> = Object.freeze({
  learningRate: fields.positive(),
  adamEpsilon: fields.positive(),
  discount: fields.unit(),
  nStep: fields.integer(1),
  targetUpdatePeriod: fields.integer(1),
  batchSize: fields.integer(1),
  minReplaySize: fields.integer(1),
  maxReplaySize: fields.integer(1),
  samplesPerInsert: fields.positive(),
  samplesPerInsertTolerance: fields.nonNegative(),
  priorityExponent: fields.nonNegative(),
  // Beta anneals towards 1 (full correction) in the prioritized-replay paper; beyond it overcorrects.
  importanceSamplingExponent: fields.unit(),
  epsilon: {
    schema: z.union([z.number().min(0).max(1), schedule]),
    allowed:
      'a number in [0, 1] or a schedule {"start": in [0, 1], "end": in [0, 1], "decaySteps": an integer >= 0}',
  },
  huberLossParameter: fields.positive(),
  // Clipping to [-0, 0] or to a zero norm would erase every reward or gradient: 0 is not "off".
  maxAbsReward: fields.positiveOrInfinity('no clipping'),
  maxGradientNorm: fields.positiveOrInfinity('no clipping'),
  variableUpdatePeriod: fields.integer(1),
  hiddenSizes: {
    schema: z.array(z.number().int().min(1)).min(1),
    allowed: 'a non-empty array of integers >= 1',
  },
  dueling: fields.boolean(),
  frameDedup: fields.boolean(),
  evalEvery: fields.integer(0),
  evalEpisodes: fields.integer(0),
});

/** A complete DQN config: every field, nothing else, and the fields consistent with each other. */
export const DQNConfigSchema: z.ZodType<DQNConfig> = (
  objectSchema(DQN_CONFIG_FIELDS) as z.ZodType<DQNConfig>
).superRefine((config, ctx) => {
  if (config.minReplaySize > config.maxReplaySize) {
    ctx.addIssue({
      code: 'custom',
      message: `minReplaySize (${config.minReplaySize}) must not exceed maxReplaySize (${config.maxReplaySize})`,
    });
  }
  if (config.evalEvery > 0 && config.evalEpisodes < 1) {
    ctx.addIssue({
      code: 'custom',
      message: `evalEpisodes must be an integer >= 1 when evalEvery > 0 (evalEvery is ${config.evalEvery}), got ${config.evalEpisodes}`,
    });
  }
});

/** Some fields of a DQN config, each checked alone (the whole config is checked once merged). */
export const DQNOverridesSchema = partialSchema(DQN_CONFIG_FIELDS) as z.ZodType<Partial<DQNConfig>>;

/**
 * A complete DQN config from untrusted input (a preset merged with overrides, or the `config` of a
 * `run.json`). Returns a fresh object; throws a TypeError/RangeError starting with `source`
 * (e.g. `runs/x/run.json`) that names each bad key, its value and what it allows.
 */
export function parseDQNConfig(raw: unknown, source: string): DQNConfig {
  return parseConfig(DQNConfigSchema, DQN_CONFIG_FIELDS, raw, source, 'a DQN config');
}

/**
 * Overrides of some fields (`--set key=value`), each checked against the same field schemas as
 * parseDQNConfig; `source` names them, e.g. `--set evalEvery=-5`.
 */
export function parseDQNOverrides(raw: unknown, source: string): Partial<DQNConfig> {
  return parseConfig(DQNOverridesSchema, DQN_CONFIG_FIELDS, raw, source, 'DQN config overrides');
}
