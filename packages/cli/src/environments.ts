/**
 * The environments the `acme` command knows by name, each with the DQN preset and the training
 * budget that suit it. Atari-style games go through the AtariWrapper (frame skip 4, max-pool,
 * 84x84 gray, stack 4); a lost life ends the bootstrapping (discount 0) as DQN papers train.
 */

import type { EvaluationProtocol } from '@acme-ts/agents';
import { DiscreteArray, type Environment, Random } from '@acme-ts/core';
import { AtariWrapper, type Breakout, type Catch, make, registeredIds } from '@acme-ts/envs';

export interface EnvironmentEntry {
  /** The environment registry's id (`make(id)`). */
  id: string;
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

type DiscreteEnvironment = Environment<ArrayLike<number>, number>;
const registered = (id: string) => (seed: number) => make(id, { seed }) as DiscreteEnvironment;

/** The short names the CLI has always taken, each with a registry id and DQN's settings for it. */
export const ENVIRONMENTS: Record<string, EnvironmentEntry> = {
  cartpole: {
    id: 'CartPole-v1',
    make: registered('CartPole-v1'),
    preset: 'cartpole',
    steps: 50_000,
    evalEpisodes: 100,
  },
  catch: {
    id: 'Catch',
    make: registered('Catch'),
    preset: 'catch',
    steps: 27_000,
    evalEpisodes: 100,
    render: (env) => ({ text: (env as unknown as Catch).renderText() }),
  },
  acrobot: {
    id: 'Acrobot-v1',
    make: registered('Acrobot-v1'),
    preset: 'cartpole',
    steps: 50_000,
    evalEpisodes: 20,
  },
  mountaincar: {
    id: 'MountainCar-v0',
    make: registered('MountainCar-v0'),
    preset: 'cartpole',
    steps: 100_000,
    evalEpisodes: 20,
  },
  breakout: {
    id: 'Breakout',
    make: (seed) =>
      new AtariWrapper(make('Breakout', { seed }) as Breakout, { zeroDiscountOnLifeLoss: true }),
    preset: 'atari',
    steps: 20_000,
    evalEpisodes: 10,
    evaluation: { epsilon: 0.05, maxSteps: 4500 },
    render: breakoutRender,
  },
};

/** The entry's evaluation protocol for `evaluateActor`, with its own seeded generator. */
export function evaluationProtocol(entry: EnvironmentEntry, seed: number): EvaluationProtocol {
  if (!entry.evaluation) return {};
  return {
    epsilon: entry.evaluation.epsilon,
    random: new Random(seed),
    maxEpisodeSteps: entry.evaluation.maxSteps,
  };
}

/** Every name `--env` takes: the short names, then the registry's ids. */
export function environmentChoices(): string[] {
  return [...Object.keys(ENVIRONMENTS), ...registeredIds()];
}

/**
 * The entry for a short name (`cartpole`) or a registry id (`CartPole-v1`, or one a user
 * registered). An id without settings of its own trains with the `cartpole` preset's, provided its
 * actions are discrete (DQN's).
 */
export function environmentEntry(name: string): EnvironmentEntry {
  const known = ENVIRONMENTS[name] ?? Object.values(ENVIRONMENTS).find((e) => e.id === name);
  if (known) return known;
  if (!registeredIds().includes(name)) {
    throw new RangeError(`unknown environment "${name}"; choose one of: ${environmentChoices().join(', ')}`);
  }
  const actions = make(name).actionSpec();
  if (!(actions instanceof DiscreteArray)) {
    throw new RangeError(
      `DQN needs discrete actions; ${name} has ${actions.constructor.name} actions ${actions.toString()}`,
    );
  }
  return { id: name, make: registered(name), preset: 'cartpole', steps: 50_000, evalEpisodes: 20 };
}
