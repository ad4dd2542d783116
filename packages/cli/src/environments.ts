/**
 * The environments the `acme` command knows by name, each with the DQN preset and the training
 * budget that suit it. Atari-style games go through the AtariWrapper (frame skip 4, max-pool,
 * 84x84 gray, stack 4); a lost life ends the bootstrapping (discount 0) as DQN papers train.
 */

import type { EvaluationOptions } from '@acme-ts/agents';
import { type Environment, type EnvironmentSpec, Random } from '@acme-ts/core';
import { Acrobot, AtariWrapper, Breakout, CartPole, Catch, MountainCar } from '@acme-ts/envs';

export interface EnvironmentEntry {
  make(seed: number): Environment<ArrayLike<number>, number>;
  preset: 'cartpole' | 'catch' | 'atari';
  /** Default training budget in environment (agent) steps. */
  steps: number;
  evalEpisodes: number;
  /** How evaluation plays (Atari: epsilon 0.05 and 5 minutes of play per episode, as the DQN papers). */
  evaluation?: { epsilon: number; maxSteps: number };
  /** A picture of the current state, when the environment can draw itself. */
  render?: (env: Environment<ArrayLike<number>, number>) => { png?: Uint8Array; text?: string };
}

function breakoutRender(env: Environment<ArrayLike<number>, number>) {
  const game = (env as AtariWrapper).game as Breakout;
  return { png: game.renderPng(2), text: game.renderText() };
}

export const ENVIRONMENTS: Record<string, EnvironmentEntry> = {
  cartpole: { make: (seed) => new CartPole({ seed }), preset: 'cartpole', steps: 50_000, evalEpisodes: 100 },
  catch: {
    make: (seed) => new Catch({ seed }),
    preset: 'catch',
    steps: 27_000,
    evalEpisodes: 100,
    render: (env) => ({ text: (env as Catch).renderText() }),
  },
  acrobot: { make: (seed) => new Acrobot({ seed }), preset: 'cartpole', steps: 50_000, evalEpisodes: 20 },
  mountaincar: {
    make: (seed) => new MountainCar({ seed }),
    preset: 'cartpole',
    steps: 100_000,
    evalEpisodes: 20,
  },
  breakout: {
    make: (seed) => new AtariWrapper(new Breakout({ seed }), { zeroDiscountOnLifeLoss: true }),
    preset: 'atari',
    steps: 20_000,
    evalEpisodes: 10,
    evaluation: { epsilon: 0.05, maxSteps: 4500 },
    render: breakoutRender,
  },
};

/** Evaluation options for `evaluate()`: the entry's rule, with its own seeded generator. */
export function evaluationOptions(
  entry: EnvironmentEntry,
  spec: EnvironmentSpec,
  seed: number,
): EvaluationOptions {
  if (!entry.evaluation) return {};
  const actions = spec.actions as { numValues?: number };
  return { ...entry.evaluation, random: new Random(seed), numActions: actions.numValues ?? 1 };
}

export function environmentEntry(name: string): EnvironmentEntry {
  const entry = ENVIRONMENTS[name];
  if (!entry) {
    throw new RangeError(
      `unknown environment "${name}"; choose one of: ${Object.keys(ENVIRONMENTS).join(', ')}`,
    );
  }
  return entry;
}
