/**
 * Environments: raw steps per second of each one (random actions, resets included), the
 * EnvironmentLoop's overhead per step over a bare `selectAction`/`step` loop with the same random
 * actor, and Breakout behind AtariWrapper in agent steps per second on one core.
 *
 * Throughput is timed over batches of steps; each figure is the best of several batches (the
 * machine is shared: the fastest batch is the one least disturbed), the loop and its bare
 * baseline interleaved so that both see the same machine state.
 */
import {
  type Actor,
  Counter,
  type Environment,
  EnvironmentLoop,
  NoOpLogger,
  RandomActor,
  StepType,
} from '@acme-ts/core';
import * as envs from '@acme-ts/envs';
import { loadBinding } from '@acme-ts/native';
import type { Row, Suite } from '../harness.js';

type AnyEnv = Environment<unknown, unknown, unknown, unknown>;

function best(values: number[]): number {
  return Math.min(...values);
}

type BareLoop = (env: AnyEnv, actor: Actor<unknown, unknown, unknown, unknown>, steps: number) => number;

/**
 * The bare loop: what EnvironmentLoop does, minus everything but acting and stepping. Compiled
 * afresh for each case, so that its call sites see one environment class (as in an application),
 * not every class of the suite: a shared function would turn megamorphic and flatter the loop.
 */
function makeBareLoop(): BareLoop {
  return new Function(
    'LAST',
    `return function bareLoop(env, actor, steps) {
      let ts = env.reset();
      for (let i = 0; i < steps; i++) {
        ts = ts.stepType === LAST ? env.reset() : env.step(actor.selectAction(ts.observation));
      }
      return steps;
    };`,
  )(StepType.LAST) as BareLoop;
}

/** µs per step of `run(steps)`, best of `repeats` timed batches after one warm-up batch. */
function timePerStep(run: () => number, repeats: number): number {
  run();
  const samples: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const start = performance.now();
    const steps = run();
    samples.push(((performance.now() - start) * 1000) / steps);
  }
  return best(samples);
}

interface EnvCase {
  name: string;
  make: () => AnyEnv;
  /** Steps per timed batch (big enough for ~50 ms). */
  steps: number;
}

const CASES: EnvCase[] = [
  { name: 'CartPole-v1', make: () => new envs.CartPole({ seed: 1 }), steps: 400_000 },
  { name: 'MountainCar-v0', make: () => new envs.MountainCar({ seed: 1 }), steps: 400_000 },
  {
    name: 'MountainCarContinuous-v0',
    make: () => new envs.MountainCarContinuous({ seed: 1 }),
    steps: 200_000,
  },
  { name: 'Acrobot-v1', make: () => new envs.Acrobot({ seed: 1 }), steps: 100_000 },
  { name: 'Pendulum-v1', make: () => new envs.Pendulum({ seed: 1 }), steps: 200_000 },
  { name: 'Catch', make: () => new envs.Catch({ seed: 1 }), steps: 400_000 },
  { name: 'Breakout (1 frame/step)', make: () => new envs.Breakout({ seed: 1 }), steps: 10_000 },
];

export const envsSuite: Suite = {
  name: 'envs',
  description:
    'environment steps/s with random actions; EnvironmentLoop overhead per step over a bare loop (floor <= 0.3 µs, CartPole); Breakout+AtariWrapper agent steps/s (floor >= 5,000 per core)',
  async run() {
    const rows: Row[] = [];
    const repeats = 7;

    // EnvironmentLoop overhead: loop vs bare loop over the same CartPole and random actor,
    // interleaved batch by batch.
    {
      const steps = 400_000;
      const env = new envs.CartPole({ seed: 3 });
      const actor = new RandomActor(env.actionSpec(), 4);
      const loop = new EnvironmentLoop(env, actor, { logger: new NoOpLogger(), counter: new Counter() });
      const bareLoop = makeBareLoop();
      bareLoop(env, actor, steps);
      loop.run({ steps });
      const bare: number[] = [];
      const looped: number[] = [];
      for (let r = 0; r < repeats; r++) {
        bare.push(timePerStep(() => bareLoop(env, actor, steps), 1));
        looped.push(timePerStep(() => loop.run({ steps }), 1));
      }
      const bareUs = best(bare);
      const loopUs = best(looped);
      rows.push(
        { suite: 'envs', case: 'CartPole bare loop', variant: 'ts', value: bareUs, unit: 'µs/step' },
        { suite: 'envs', case: 'CartPole EnvironmentLoop', variant: 'ts', value: loopUs, unit: 'µs/step' },
        {
          suite: 'envs',
          case: 'EnvironmentLoop overhead (floor 0.3)',
          variant: 'ts',
          value: loopUs - bareUs,
          unit: 'µs/step',
        },
      );
    }

    for (const c of CASES) {
      const env = c.make();
      const actor = new RandomActor(env.actionSpec(), 2);
      const bareLoop = makeBareLoop();
      const us = timePerStep(() => bareLoop(env, actor, c.steps), repeats);
      rows.push({ suite: 'envs', case: `${c.name} raw`, variant: 'ts', value: 1e6 / us, unit: 'steps/s' });
    }

    // Breakout behind AtariWrapper: agent steps (4 frames each) per second on this one thread,
    // with each native binary doing the frame preprocessing.
    for (const kind of ['napi', 'wasm'] as const) {
      const env = new envs.AtariWrapper(new envs.Breakout({ seed: 5 }), {
        binding: loadBinding(kind),
      }) as AnyEnv;
      const actor = new RandomActor(env.actionSpec(), 6);
      const bareLoop = makeBareLoop();
      const us = timePerStep(() => bareLoop(env, actor, 5_000), repeats);
      rows.push({
        suite: 'envs',
        case: 'Breakout+AtariWrapper (floor 5000)',
        variant: kind,
        value: 1e6 / us,
        unit: 'agent steps/s',
      });
      const loop = new EnvironmentLoop(env, actor, { logger: new NoOpLogger() });
      const loopUs = timePerStep(() => loop.run({ steps: 5_000 }), repeats);
      rows.push({
        suite: 'envs',
        case: 'Breakout+AtariWrapper in EnvironmentLoop',
        variant: kind,
        value: 1e6 / loopUs,
        unit: 'agent steps/s',
      });
    }
    return rows;
  },
};
