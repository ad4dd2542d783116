import type { ArraySpec } from '@acme-ts/core';
import { Catch, register } from '@acme-ts/envs';
import { describe, expect, it } from 'vitest';
import { ENVIRONMENTS, environmentEntry } from '../src/environments.js';

describe('--env names', () => {
  it('takes the short names and the registry ids alike', () => {
    expect(environmentEntry('CartPole-v1')).toBe(ENVIRONMENTS.cartpole);
    expect(environmentEntry('cartpole').id).toBe('CartPole-v1');
    expect(environmentEntry('Breakout')).toBe(ENVIRONMENTS.breakout);
  });

  it("trains a user's registered discrete environment with default settings", () => {
    register('cli-test/TallCatch-v0', (o) => new Catch({ ...(o as { seed?: number }), rows: 12 }));
    const entry = environmentEntry('cli-test/TallCatch-v0');
    expect(entry).toMatchObject({ id: 'cli-test/TallCatch-v0', preset: 'cartpole' });
    const env = entry.make(3);
    expect((env.observationSpec() as ArraySpec).shape).toEqual([12, 5]);
  });
});
