/**
 * DQN end to end (issue 7): environment steps per second of the whole single-process training
 * loop (acting, adding, learning) for CartPole and Breakout, and the wall-clock time the default
 * CartPole configuration takes to solve the task (greedy return >= 475 over 10 evaluation
 * episodes, checked every 2,500 steps). Only the default binaries run here (N-API cores, tfjs
 * wasm backend with the Rust kernels): a whole training run per variant would take minutes.
 */
import { evaluateActor, makeConfig, makeDQN } from '@acme-ts/agents';
import { Counter, EnvironmentLoop, makeEnvironmentSpec, NoOpLogger, Random } from '@acme-ts/core';
import { AtariWrapper, Breakout, CartPole } from '@acme-ts/envs';
import { backendInfo } from '@acme-ts/native';
import { selectBackend } from '@acme-ts/tf';
import type { Row, Suite } from '../harness.js';

const SUITE = 'dqn';

function stepsPerSecond(loop: EnvironmentLoop<ArrayLike<number>, number>, counter: Counter, steps: number) {
  const before = counter.getCounts().steps ?? 0;
  const t0 = performance.now();
  loop.run({ steps });
  const done = (counter.getCounts().steps ?? 0) - before;
  return done / ((performance.now() - t0) / 1000);
}

export const dqnSuite: Suite = {
  name: SUITE,
  description: 'DQN training loop throughput and time to solve CartPole',
  async run() {
    await selectBackend({ log: false });
    const variant = backendInfo().kind;
    const rows: Row[] = [];

    // CartPole, default preset: time to solve, then the loop's rate once learning runs.
    const env = new CartPole({ seed: 0 });
    const evalEnv = new CartPole({ seed: 1000 });
    const config = makeConfig('cartpole');
    const parts = makeDQN(makeEnvironmentSpec(env), config, 0);
    const counter = new Counter();
    const loop = new EnvironmentLoop(env, parts.agent, { counter, logger: new NoOpLogger() });
    const t0 = performance.now();
    let solvedAt: number | undefined;
    while (solvedAt === undefined && (counter.getCounts().steps ?? 0) < 50_000) {
      loop.run({ steps: 2500 });
      const result = evaluateActor(evalEnv, parts.makeEvaluationActor(), 10);
      if (result.mean >= 475) solvedAt = counter.getCounts().steps ?? 0;
    }
    const solveSeconds = (performance.now() - t0) / 1000;
    rows.push(
      {
        suite: SUITE,
        case: 'CartPole: wall-clock to solve (eval >= 475)',
        variant,
        value: solvedAt === undefined ? Number.NaN : solveSeconds,
        unit: 's',
      },
      {
        suite: SUITE,
        case: 'CartPole: env steps to solve',
        variant,
        value: solvedAt ?? Number.NaN,
        unit: 'steps',
      },
      {
        suite: SUITE,
        case: 'CartPole: training loop (act + learn)',
        variant,
        value: stepsPerSecond(loop, counter, 5000),
        unit: 'steps/s',
      },
    );

    // Breakout through the AtariWrapper and the Nature CNN, learning every 4 agent steps.
    const atari = new AtariWrapper(new Breakout({ seed: 0 }), { zeroDiscountOnLifeLoss: true });
    const atariConfig = makeConfig('atari', { minReplaySize: 1000, maxReplaySize: 20_000 });
    const atariParts = makeDQN(makeEnvironmentSpec(atari), atariConfig, 0);
    const atariCounter = new Counter();
    const atariLoop = new EnvironmentLoop(atari, atariParts.agent, {
      counter: atariCounter,
      logger: new NoOpLogger(),
    });
    rows.push({
      suite: SUITE,
      case: 'Breakout: acting only (replay filling)',
      variant,
      value: stepsPerSecond(atariLoop, atariCounter, 1000),
      unit: 'steps/s',
    });
    rows.push({
      suite: SUITE,
      case: 'Breakout: training loop (act + learn every 4 steps)',
      variant,
      value: stepsPerSecond(atariLoop, atariCounter, 400),
      unit: 'steps/s',
    });
    // The baseline a trained Breakout agent is compared with: a uniformly random policy under the
    // evaluation protocol of `acme evaluate` (epsilon-greedy with epsilon 1, 4,500 steps at most).
    const randomPlay = evaluateActor(
      new AtariWrapper(new Breakout({ seed: 1_000_003 }), { zeroDiscountOnLifeLoss: true }),
      { selectAction: () => 0, observeFirst: () => {}, observe: () => {}, update: () => {} },
      30,
      { epsilon: 1, random: new Random(7), maxEpisodeSteps: 4500 },
    );
    rows.push({
      suite: SUITE,
      case: 'Breakout: random policy return (30 games)',
      variant: 'random',
      value: randomPlay.mean,
      unit: 'return',
    });
    atariParts.table.close();
    parts.table.close();
    return rows;
  },
};
