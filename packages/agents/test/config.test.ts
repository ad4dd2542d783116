import { learnerStepsFor } from '@acme-ts/core';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_CONFIG,
  type DQNConfig,
  epsilonAt,
  makeConfig,
  PRESETS,
  type PresetName,
  parseDQNConfig,
  parseDQNOverrides,
} from '../src/index.js';

describe('DQN config', () => {
  it("keeps Acme's DQN defaults", () => {
    expect(DEFAULT_CONFIG).toMatchObject({
      learningRate: 1e-3,
      discount: 0.99,
      nStep: 5,
      targetUpdatePeriod: 100,
      batchSize: 256,
      minReplaySize: 1000,
      maxReplaySize: 1_000_000,
      samplesPerInsert: 0.5,
      priorityExponent: 0.6,
      importanceSamplingExponent: 0.2,
      epsilon: 0.05,
      huberLossParameter: 1,
    });
  });

  it('layers a preset and overrides over the defaults', () => {
    const config = makeConfig('atari', { batchSize: 16 });
    expect(config.learningRate).toBe(1e-4);
    expect(config.targetUpdatePeriod).toBe(1000);
    expect(config.batchSize).toBe(16);
    expect(config.frameDedup).toBe(true);
    expect(Object.keys(PRESETS)).toEqual(['cartpole', 'catch', 'atari']);
  });

  it('rejects bad values naming the field and unknown presets naming the choices', () => {
    expect(() => makeConfig(undefined, { nStep: 0 })).toThrow('nStep must be an integer >= 1, got 0');
    expect(() => makeConfig(undefined, { discount: 1.5 })).toThrow(
      'discount must be a number in [0, 1], got 1.5',
    );
    expect(() => makeConfig(undefined, { minReplaySize: 10, maxReplaySize: 5 })).toThrow(
      'minReplaySize (10) must not exceed maxReplaySize (5)',
    );
    expect(() => makeConfig(undefined, { epsilon: { start: 1, end: 2, decaySteps: 10 } })).toThrow(/epsilon/);
    expect(() => makeConfig('pong' as 'atari')).toThrow(
      'unknown preset "pong"; choose one of: cartpole, catch, atari',
    );
  });

  it('passes every preset and the defaults through the one schema, Infinity meaning no clipping', () => {
    for (const name of Object.keys(PRESETS) as PresetName[]) {
      expect(parseDQNConfig(makeConfig(name), `preset ${name}`)).toEqual(makeConfig(name));
    }
    expect(makeConfig('cartpole').maxAbsReward).toBe(Number.POSITIVE_INFINITY);
    expect(parseDQNConfig({ ...DEFAULT_CONFIG }, 'defaults').maxGradientNorm).toBe(Number.POSITIVE_INFINITY);
  });

  it('returns a fresh config that shares no arrays with the input', () => {
    const raw = { ...DEFAULT_CONFIG, hiddenSizes: [8] };
    const config = parseDQNConfig(raw, 'x');
    config.hiddenSizes.push(9);
    expect(raw.hiddenSizes).toEqual([8]);
  });

  const full = (overrides: Record<string, unknown>) => ({ ...DEFAULT_CONFIG, ...overrides });

  it('names the source, the key, the value and what is allowed', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ evalEvery: -5 }, 'evalEvery must be an integer >= 0, got -5'],
      [{ importanceSamplingExponent: 'x' }, 'importanceSamplingExponent must be a number in [0, 1], got "x"'],
      [{ maxGradientNorm: 0 }, 'maxGradientNorm must be a number > 0, or Infinity (no clipping), got 0'],
      [{ maxAbsReward: Number.NaN }, 'maxAbsReward must be a number > 0, or Infinity (no clipping), got NaN'],
      [{ epsilon: null }, 'epsilon must be a number in [0, 1] or a schedule'],
      [{ epsilon: { start: 1, end: 0.1 } }, 'epsilon must be a number in [0, 1] or a schedule'],
      [{ dueling: 'maybe' }, 'dueling must be true or false, got "maybe"'],
      [{ learningRate: Number.POSITIVE_INFINITY }, 'learningRate must be a finite number > 0, got Infinity'],
      [{ batchSize: 2.5 }, 'batchSize must be an integer >= 1, got 2.5'],
      [{ hiddenSizes: [] }, 'hiddenSizes must be a non-empty array of integers >= 1, got []'],
      [{ hiddenSizes: [64, 0] }, 'hiddenSizes must be a non-empty array of integers >= 1, got [64,0]'],
      [{ evalEvery: 100, evalEpisodes: 0 }, 'evalEpisodes must be an integer >= 1 when evalEvery > 0'],
    ];
    for (const [overrides, message] of cases) {
      expect(() => parseDQNConfig(full(overrides), 'runs/x/run.json')).toThrow(`runs/x/run.json: ${message}`);
    }
  });

  it('rejects wrong types with a TypeError and bad ranges with a RangeError', () => {
    expect(() => parseDQNConfig(full({ dueling: 'maybe' }), 's')).toThrow(TypeError);
    expect(() => parseDQNConfig(full({ evalEvery: -5 }), 's')).toThrow(RangeError);
    expect(() => parseDQNConfig(null, 'runs/x/run.json')).toThrow(
      /^runs\/x\/run.json: a DQN config must be an object of learningRate, /,
    );
  });

  it('reports every bad key at once, missing keys and unknown keys', () => {
    const { nStep: _, ...missing } = DEFAULT_CONFIG;
    expect(() => parseDQNConfig(missing, 'f')).toThrow('f: nStep is missing; it must be an integer >= 1');
    expect(() => parseDQNConfig(full({ nStepp: 3 }), 'f')).toThrow(
      'f: unknown key "nStepp"; keys: learningRate,',
    );
    expect(() => parseDQNConfig(full({ nStep: 0, discount: -1 }), 'f')).toThrow(
      'f: discount must be a number in [0, 1], got -1; nStep must be an integer >= 1, got 0',
    );
  });

  it('checks overrides one key at a time with the same words', () => {
    expect(parseDQNOverrides({ evalEvery: 0, maxAbsReward: Number.POSITIVE_INFINITY }, 'x')).toEqual({
      evalEvery: 0,
      maxAbsReward: Number.POSITIVE_INFINITY,
    });
    expect(() => parseDQNOverrides({ evalEvery: -5 }, '--set evalEvery=-5')).toThrow(
      '--set evalEvery=-5: evalEvery must be an integer >= 0, got -5',
    );
    expect(() => parseDQNOverrides({ toString: 1 }, '--set toString=1')).toThrow('unknown key "toString"');
  });

  it('names the preset and the overridden keys when makeConfig is given no source', () => {
    expect(() => makeConfig('cartpole', { minReplaySize: 60_000 } as Partial<DQNConfig>)).toThrow(
      'DQN config (preset cartpole, overriding minReplaySize): minReplaySize (60000) must not exceed maxReplaySize (50000)',
    );
  });

  it('decays epsilon linearly, then holds it', () => {
    const schedule = { start: 1, end: 0.1, decaySteps: 100 };
    expect(epsilonAt(schedule, 0)).toBe(1);
    expect(epsilonAt(schedule, 50)).toBeCloseTo(0.55, 12);
    expect(epsilonAt(schedule, 100)).toBe(0.1);
    expect(epsilonAt(schedule, 10_000)).toBe(0.1);
    expect(epsilonAt(0.05, 123)).toBe(0.05);
  });
});

describe('single-process learner schedule (acme/agents/agent.py)', () => {
  it('runs nothing before minObservations, then keeps samples per insert', () => {
    // observationsPerStep 4: one learner step every 4th observation after the minimum.
    const steps = Array.from({ length: 12 }, (_, i) => learnerStepsFor(i, 3, 4));
    expect(steps).toEqual([0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1]);
    // observationsPerStep 0.25: four learner steps per observation.
    expect(learnerStepsFor(10, 3, 0.25)).toBe(4);
    expect(learnerStepsFor(2, 3, 0.25)).toBe(0);
  });
});
