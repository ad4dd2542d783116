// The built @acme-ts/replay with @acme-ts/envs as the DQN agent will use them on Atari: Breakout
// through the AtariWrapper, an EnvironmentLoop whose actor feeds an NStepTransitionAdder, and a
// prioritized table that stores each 84x84 frame once. Every transition gathered back must hold
// exactly the stacks the environment produced.
import {
  type Actor,
  EnvironmentLoop,
  makeEnvironmentSpec,
  NoOpLogger,
  RandomActor,
  type TimeStep,
} from '@acme-ts/core';
import { AtariWrapper, Breakout } from '@acme-ts/envs';
import { NStepTransitionAdder, RateLimiters, Selectors, Table } from '@acme-ts/replay';
import { describe, expect, it } from 'vitest';

const N = 3;

/** A random actor that hands its experience to the adder and remembers each episode's observations. */
class RecordingActor implements Actor<Uint8Array, number> {
  readonly episodes: Uint8Array[][] = [];
  readonly #policy: RandomActor;
  constructor(
    readonly env: AtariWrapper,
    readonly adder: NStepTransitionAdder,
  ) {
    this.#policy = new RandomActor(env.actionSpec(), 5);
  }
  selectAction(observation: Uint8Array): number {
    return this.#policy.selectAction(observation) as number;
  }
  observeFirst(timestep: TimeStep<Uint8Array, number>): void {
    this.episodes.push([timestep.observation]);
    this.adder.addFirst(timestep);
  }
  observe(action: number, next: TimeStep<Uint8Array, number>): void {
    this.episodes[this.episodes.length - 1]!.push(next.observation);
    this.adder.add(action, next);
  }
  update(): void {}
}

describe('replay on Atari frames', () => {
  it('gathers n-step transitions whose stacks equal the observed ones, storing one frame per step', async () => {
    const env = new AtariWrapper(new Breakout({ seed: 3 }), { maxEpisodeLen: 240 });
    const spec = makeEnvironmentSpec(env);
    const table = new Table({
      name: 'priority_table',
      sampler: Selectors.fifo(),
      remover: Selectors.fifo(),
      maxSize: 10_000,
      maxTimesSampled: 1,
      rateLimiter: RateLimiters.minSize(1),
      signature: NStepTransitionAdder.signature(spec),
      frames: { shape: [84, 84], stack: 4, fields: ['observation', 'nextObservation'] },
    });
    const actor = new RecordingActor(env, new NStepTransitionAdder(table, N, 0.99));
    new EnvironmentLoop(env, actor, { logger: new NoOpLogger() }).run({ episodes: 2 });

    const expected: [Uint8Array, Uint8Array][] = [];
    let steps = 0;
    for (const obs of actor.episodes) {
      const T = obs.length - 1;
      steps += obs.length;
      for (let t = 1; t <= T; t++) expected.push([obs[Math.max(0, t - N)]!, obs[t]!]);
      for (let first = Math.max(0, T - N) + 1; first < T; first++) expected.push([obs[first]!, obs[T]!]);
    }
    expect(table.size).toBe(expected.length);
    expect(table.info().nextFrameId).toBe(steps);
    const sample = table.createSample(1);
    for (const [observation, next] of expected) {
      table.trySample(sample);
      expect(Buffer.from(sample.column('observation')).equals(Buffer.from(observation))).toBe(true);
      expect(Buffer.from(sample.column('nextObservation')).equals(Buffer.from(next))).toBe(true);
    }
    env.close();
  });
});
