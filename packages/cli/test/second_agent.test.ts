// The proof that the next agent is one folder: a uniformly random agent written here, on the
// builder interfaces alone, trains through runExperiment and through `acme train`, checkpoints and
// resumes, without a line of DQN.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type ActorLearnerBuilder,
  type AgentDefinition,
  type RunnableLearner,
  registerAgent,
  runExperiment,
} from '@acme-ts/agents';
import { type Actor, type DiscreteArray, type EnvironmentSpec, Learner, type Random } from '@acme-ts/core';
import { Catch } from '@acme-ts/envs';
import { describe, expect, it } from 'vitest';
import { main } from '../src/main.js';

class RandomActor implements Actor<ArrayLike<number>, number> {
  constructor(
    readonly random: Random,
    readonly numActions: number,
  ) {}
  selectAction(): number {
    return this.random.int(this.numActions);
  }
  observeFirst(): void {}
  observe(): void {}
  update(): void {}
  save(): Uint32Array {
    return this.random.save();
  }
  restore(state: ArrayLike<number>): void {
    this.random.restore(state);
  }
}

/** Learns nothing: never has a batch, and its whole state is empty. */
class NoLearner extends Learner<Float32Array> implements RunnableLearner {
  readonly steps = 0;
  step(): void {
    throw new Error('a random agent does not learn');
  }
  tryStep(): boolean {
    return false;
  }
  getVariables(): Float32Array[] {
    return [new Float32Array(0)];
  }
  async snapshot(): Promise<unknown> {
    return {};
  }
  async restoreSnapshot(): Promise<void> {}
}

const randomBuilder: ActorLearnerBuilder<null, null, never> = {
  makeReplayTables: () => [],
  makeDatasetIterator: () => ({
    ready: () => false,
    tryNext: () => undefined,
    next: async () => ({ done: true, value: undefined }),
    updatePriorities: () => {},
  }),
  makeAdder: () => undefined,
  makeActor: (random: Random, _policy: null, spec: EnvironmentSpec) =>
    new RandomActor(random, (spec.actions as DiscreteArray).numValues),
  makeLearner: () => new NoLearner(),
  makePolicy: () => null,
  agentOptions: () => ({ minObservations: 0, observationsPerStep: 1 }),
};

const randomAgent: AgentDefinition<Record<string, never>> = {
  name: 'uniform-random',
  description: 'uniformly random actions (a baseline)',
  presets: ['default'],
  defaultPreset: () => 'default',
  configKeys: [],
  makeConfig: () => ({}),
  parseConfig: (raw, source) => {
    if (raw === null || typeof raw !== 'object' || Object.keys(raw).length > 0) {
      throw new TypeError(`${source}: the random agent's config is {}`);
    }
    return {};
  },
  parseOverrides: () => ({}),
  evaluation: () => ({ every: 0, episodes: 0 }),
  builder: () => randomBuilder,
  networkFactory: () => () => null,
};

describe('a second agent on the builder interfaces', () => {
  it('runs through runExperiment', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'random-agent-'));
    const summary = await runExperiment({
      builder: randomBuilder,
      environmentFactory: (seed) => new Catch({ seed }),
      networkFactory: () => null,
      seed: 3,
      maxNumActorSteps: 450,
      evaluation: { finalEpisodes: 50 },
      checkpointing: { every: 200 },
      directory: dir,
    });
    expect(summary.envSteps).toBeGreaterThanOrEqual(450);
    expect(summary.learnerSteps).toBe(0);
    // A random catcher catches about one ball in five: mean return near -0.6, far below 1.
    expect(summary.evalReturnMean).toBeGreaterThan(-1);
    expect(summary.evalReturnMean).toBeLessThan(0);
    expect(readFileSync(join(dir, 'episodes.csv'), 'utf8').split('\n').length).toBeGreaterThan(50);
  });

  it('trains, checkpoints and resumes through acme train once registered', async () => {
    registerAgent(randomAgent);
    const out = join(mkdtempSync(join(tmpdir(), 'random-cli-')), 'run');
    const lines: string[] = [];
    const args = [
      '--env',
      'catch',
      '--checkpoint-every',
      '100',
      '--eval-episodes',
      '20',
      '--no-progress',
      '--out',
      out,
    ];
    expect(await main(['train', 'uniform-random', '--steps', '300', ...args], (l) => lines.push(l))).toBe(0);
    const first = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(first).toMatchObject({ agent: 'uniform-random', preset: 'default', learnerSteps: 0 });
    expect(
      await main(
        ['train', 'uniform-random', '--resume', '--steps', '600', '--out', out, '--no-progress'],
        (l) => lines.push(l),
      ),
    ).toBe(0);
    const second = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(second.resumedFrom).toBe(first.envSteps);
    expect(second.envSteps).toBeGreaterThanOrEqual(600);
    await expect(main(['train', 'no-such-agent', '--env', 'catch'])).rejects.toThrow(
      /unknown agent "no-such-agent"; choose one of: dqn, uniform-random/,
    );
  });
});
