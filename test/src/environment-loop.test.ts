// The built @acme-ts/core and @acme-ts/envs together, as a training script uses them: an actor's
// EnvironmentLoop over a wrapper stack, with a prefixed counter and the terminal logger.
import {
  type Actor,
  Counter,
  EnvironmentLoop,
  type EnvLoopObserver,
  InMemoryLogger,
  RandomActor,
  TerminalLogger,
} from '@acme-ts/core';
import {
  AtariWrapper,
  Breakout,
  CartPole,
  NoopStarts,
  ObservationActionReward,
  StepLimit,
} from '@acme-ts/envs';
import { describe, expect, it } from 'vitest';

/** Sums rewards and counts steps on its own, to cross-check the loop's record. */
class Tally implements EnvLoopObserver<unknown, number> {
  reward = 0;
  steps = 0;
  lifeLosses = 0;
  observeFirst(): void {
    this.reward = 0;
    this.steps = 0;
    this.lifeLosses = 0;
  }
  observe(_env: unknown, ts: { reward: number | null; discount: number | null; last(): boolean }): void {
    this.reward += ts.reward ?? 0;
    this.steps += 1;
    if (ts.discount === 0 && !ts.last()) this.lifeLosses += 1;
  }
  getMetrics(): Record<string, number> {
    return { tally_return: this.reward, tally_steps: this.steps, life_losses: this.lifeLosses };
  }
}

describe('EnvironmentLoop over built environments', () => {
  it('logs Acme-formatted lines with counts shared through a parent counter', () => {
    const lines: string[] = [];
    const parent = new Counter();
    const env = new StepLimit(new CartPole({ seed: 3 }), 50);
    const loop = new EnvironmentLoop(env, new RandomActor(env.actionSpec(), 3), {
      counter: new Counter({ parent, prefix: 'actor', timeDelta: 0 }),
      logger: new TerminalLogger({ label: 'actor', printFn: (line) => lines.push(line), timeDelta: 0 }),
    });
    const steps = loop.run({ episodes: 3 });
    expect(lines).toHaveLength(3);
    expect(lines[2]).toMatch(
      /^\[Actor\] Actor Episodes = 3 \| Actor Steps = \d+ \| Env Reset Duration Sec = \d+\.\d{3} \| Env Step Duration Sec = 0\.000 \| Episode Duration = \d+\.\d{3} \| Episode Length = \d+ \| Episode Return = \d+ \| Select Action Duration Sec = 0\.000 \| Steps Per Second = \d+\.\d{3}$/,
    );
    expect(parent.getCounts()).toEqual({ actor_episodes: 3, actor_steps: steps });
  });

  it('runs Breakout through AtariWrapper and NoopStarts; the record agrees with an observer', () => {
    const env = new NoopStarts(
      new AtariWrapper(new Breakout({ seed: 9 }), { zeroDiscountOnLifeLoss: true }),
      {
        seed: 9,
      },
    );
    const tally = new Tally();
    const logger = new InMemoryLogger();
    const loop = new EnvironmentLoop(env, new RandomActor(env.actionSpec(), 9), {
      logger,
      observers: [tally],
    });
    loop.run({ episodes: 2 });
    for (const record of logger.data) {
      expect(record.episode_return).toBe(record.tally_return);
      expect(record.episode_length).toBe(record.tally_steps);
      // Five lives: four losses go on with discount 0, the fifth ends the game.
      expect(record.life_losses).toBe(4);
    }
    expect(logger.data[1]).toMatchObject({ episodes: 2 });
  });

  it('feeds recurrent-style observations through ObservationActionReward', () => {
    const seen: unknown[] = [];
    const base = new RandomActor<unknown, number>(new CartPole().actionSpec(), 1);
    const actor: Actor<unknown, number> = {
      selectAction: (obs) => {
        seen.push(obs);
        return base.selectAction(obs);
      },
      observeFirst: () => {},
      observe: () => {},
      update: () => {},
    };
    const env = new ObservationActionReward(new CartPole({ seed: 1 }));
    new EnvironmentLoop(env, actor, { logger: new InMemoryLogger() }).runEpisode();
    expect(seen[0]).toMatchObject({ action: 0, reward: 0 });
    expect(seen[1]).toMatchObject({ reward: 1 });
  });
});
