import { learnerStepsFor } from '@acme-ts/core';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, epsilonAt, makeConfig, PRESETS } from '../src/index.js';

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
    expect(() => makeConfig(undefined, { discount: 1.5 })).toThrow('discount must be in [0, 1], got 1.5');
    expect(() => makeConfig(undefined, { minReplaySize: 10, maxReplaySize: 5 })).toThrow(
      'minReplaySize (10) must not exceed maxReplaySize (5)',
    );
    expect(() => makeConfig(undefined, { epsilon: { start: 1, end: 2, decaySteps: 10 } })).toThrow(/epsilon/);
    expect(() => makeConfig('pong' as 'atari')).toThrow(
      'unknown preset "pong"; choose one of: cartpole, catch, atari',
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
