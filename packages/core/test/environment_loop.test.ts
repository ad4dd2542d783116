import { describe, expect, it } from 'vitest';
import {
  type Actor,
  ArraySpec,
  BoundedArray,
  Counter,
  discreteEnvironment,
  EnvironmentLoop,
  type EnvLoopObserver,
  InMemoryLogger,
  type NestedSpec,
  StepType,
  type TimeStep,
} from '../src/index.js';

const EPISODE_LENGTH = 10;

// The specs of acme/environment_loop_test.py.
const F32_2_MIN_0_MAX_1 = new BoundedArray([2], 'float32', 0, 1);
const F32_2x1_MIN_0_MAX_1 = new BoundedArray([2, 1], 'float32', 0, 1);
const TREE_MIN_0_MAX_1 = { a: F32_2_MIN_0_MAX_1, b: F32_2x1_MIN_0_MAX_1 };
const F32 = new ArraySpec([], 'float32');
const F32_1x3 = new ArraySpec([1, 3], 'float32');
const TREE = { a: F32, b: F32_1x3 };

const CASES: [string, NestedSpec | undefined, NestedSpec | undefined][] = [
  ['scalar discount, scalar reward', undefined, undefined],
  ['vector discount, scalar reward', F32_2_MIN_0_MAX_1, F32],
  ['matrix discount, matrix reward', F32_2x1_MIN_0_MAX_1, F32_1x3],
  ['tree discount, tree reward', TREE_MIN_0_MAX_1, TREE],
];

/** Records the calls the loop makes, in order. */
class RecordingActor implements Actor<unknown, number, unknown, unknown> {
  calls: string[] = [];
  updates = 0;
  selectAction(): number {
    this.calls.push('select');
    return 0;
  }
  observeFirst(ts: TimeStep<unknown, unknown, unknown>): void {
    expect(ts.stepType).toBe(StepType.FIRST);
    this.calls.push('first');
  }
  observe(_a: number, ts: TimeStep<unknown, unknown, unknown>): void {
    expect(ts.stepType).not.toBe(StepType.FIRST);
    this.calls.push('observe');
  }
  update(): void {
    this.updates += 1;
    this.calls.push('update');
  }
}

function makeLoop(
  discountSpec?: NestedSpec,
  rewardSpec?: NestedSpec,
  options: { shouldUpdate?: boolean } = {},
) {
  const env = discreteEnvironment({
    episodeLength: EPISODE_LENGTH,
    ...(discountSpec ? { discountSpec } : {}),
    ...(rewardSpec ? { rewardSpec } : {}),
  });
  const actor = new RecordingActor();
  const logger = new InMemoryLogger();
  const loop = new EnvironmentLoop(env, actor, { logger, ...options });
  return { loop, actor, logger };
}

describe('EnvironmentLoop (acme/environment_loop_test.py)', () => {
  for (const [name, discountSpec, rewardSpec] of CASES) {
    describe(name, () => {
      it('runEpisode returns the episode record', () => {
        const { loop } = makeLoop(discountSpec, rewardSpec);
        const result = loop.runEpisode();
        expect(result.episode_length).toBe(EPISODE_LENGTH);
        expect(result).toHaveProperty('episode_return');
        expect(result).toHaveProperty('steps_per_second');
      });

      it('run({ episodes: 10 }) updates the actor 100 times', () => {
        const { loop, actor } = makeLoop(discountSpec, rewardSpec);
        expect(loop.run({ episodes: 10 })).toBe(100);
        expect(actor.updates).toBe(100);
      });

      it('run({ steps: 15 }) finishes the second episode: 20 updates', () => {
        const { loop, actor, logger } = makeLoop(discountSpec, rewardSpec);
        expect(loop.run({ steps: 15 })).toBe(20);
        expect(actor.updates).toBe(20);
        expect(logger.data).toHaveLength(2);
      });
    });
  }

  it('calls the actor in Acme order and logs every Acme key', () => {
    const { loop, actor, logger } = makeLoop();
    loop.run({ episodes: 1 });
    expect(actor.calls.slice(0, 5)).toEqual(['first', 'select', 'observe', 'update', 'select']);
    expect(actor.calls.filter((c) => c === 'select')).toHaveLength(EPISODE_LENGTH);
    const record = logger.data[0]!;
    expect(Object.keys(record).sort()).toEqual(
      [
        'env_reset_duration_sec',
        'env_step_duration_sec',
        'episode_duration',
        'episode_length',
        'episode_return',
        'episodes',
        'select_action_duration_sec',
        'steps',
        'steps_per_second',
      ].sort(),
    );
    expect(record.episodes).toBe(1);
    expect(record.steps).toBe(EPISODE_LENGTH);
    for (const key of ['env_step_duration_sec', 'select_action_duration_sec', 'episode_duration']) {
      expect(record[key]).toBeGreaterThanOrEqual(0);
    }
  });

  it('sums rewards leaf by leaf into the episode return', () => {
    const rewardSpec = {
      a: new BoundedArray([], 'float64', 1, 1),
      b: new BoundedArray([2], 'float32', 0.5, 0.5),
    };
    const { loop } = makeLoop(undefined, rewardSpec);
    const result = loop.runEpisode();
    expect(result.episode_return).toEqual({ a: 10, b: Float32Array.of(5, 5) });
    const scalar = makeLoop(undefined, new BoundedArray([], 'float32', 2, 2)).loop.runEpisode();
    expect(scalar.episode_return).toBe(20);
  });

  it('shouldUpdate false never calls update', () => {
    const { loop, actor } = makeLoop(undefined, undefined, { shouldUpdate: false });
    loop.run({ episodes: 2 });
    expect(actor.updates).toBe(0);
  });

  it('counts through a prefixed child counter', () => {
    const parent = new Counter();
    const env = discreteEnvironment({ episodeLength: 3 });
    const logger = new InMemoryLogger();
    const counter = new Counter({ parent, prefix: 'actor', timeDelta: 0 });
    const loop = new EnvironmentLoop(env, new RecordingActor(), { counter, logger });
    loop.run({ episodes: 2 });
    expect(logger.data[1]).toMatchObject({ actor_episodes: 2, actor_steps: 6 });
    expect(parent.getCounts()).toEqual({ actor_episodes: 2, actor_steps: 6 });
  });

  it('merges observer metrics and shows them every step', () => {
    const seen: StepType[] = [];
    const observer: EnvLoopObserver<unknown, number, unknown, unknown> = {
      observeFirst: (_env, ts) => seen.push(ts.stepType),
      observe: (_env, ts) => seen.push(ts.stepType),
      getMetrics: () => ({ seen: seen.length }),
    };
    const env = discreteEnvironment({ episodeLength: 3 });
    const loop = new EnvironmentLoop(env, new RecordingActor(), {
      logger: new InMemoryLogger(),
      observers: [observer],
    });
    expect(loop.runEpisode().seen).toBe(4);
    expect(seen).toEqual([StepType.FIRST, StepType.MID, StepType.MID, StepType.LAST]);
  });

  it('rejects episodes and steps together, and bad counts', () => {
    const { loop } = makeLoop();
    expect(() => loop.run({ episodes: 1, steps: 1 })).toThrow(/not both/);
    expect(() => loop.run({ episodes: -1 })).toThrow(RangeError);
    expect(loop.run({ steps: 0 })).toBe(0);
  });

  it('runAsync runs what run() runs and serves timers between episodes', async () => {
    const sync = makeLoop();
    const stepsSync = sync.loop.run({ steps: 95 });
    const { loop, actor, logger } = makeLoop();
    // Each episode takes about 2 ms here, so a 1 ms budget gives the event loop a turn after most.
    const select = actor.selectAction.bind(actor);
    actor.selectAction = () => {
      const until = performance.now() + 0.2;
      while (performance.now() < until) {}
      return select();
    };
    let ticks = 0;
    const timer = setInterval(() => {
      ticks += 1;
    }, 0);
    const steps = await loop.runAsync({ steps: 95 }, { yieldEveryMs: 1 });
    clearInterval(timer);
    expect(steps).toBe(stepsSync);
    expect(actor.calls).toEqual(sync.actor.calls);
    expect(logger.data).toHaveLength(10);
    expect(ticks).toBeGreaterThanOrEqual(3);
    await expect(loop.runAsync({ episodes: 1, steps: 1 })).rejects.toThrow(/not both/);
    await expect(loop.runAsync({}, { yieldEveryMs: Number.NaN })).rejects.toThrow(/yieldEveryMs/);
  });
});

describe('EnvironmentLoop maxEpisodeSteps', () => {
  it('cuts each episode after that many steps', () => {
    const env = discreteEnvironment({ episodeLength: 10 });
    const logger = new InMemoryLogger();
    const loop = new EnvironmentLoop(env, new RecordingActor(), { logger, maxEpisodeSteps: 4 });
    expect(loop.run({ episodes: 3 })).toBe(12);
    expect(logger.data.map((d) => d.episode_length)).toEqual([4, 4, 4]);
    expect(() => new EnvironmentLoop(env, new RecordingActor(), { maxEpisodeSteps: 0 })).toThrow(
      'maxEpisodeSteps must be an integer >= 1, got 0',
    );
  });
});

describe('EnvironmentLoop.runAsync signal', () => {
  it('stops after the episode under way when the signal is aborted', async () => {
    const env = discreteEnvironment({ episodeLength: 10 });
    const controller = new AbortController();
    const logger = new InMemoryLogger();
    const actor = new RecordingActor();
    // Asks for the stop in the middle of the third episode.
    const originalUpdate = actor.update.bind(actor);
    actor.update = () => {
      originalUpdate();
      if (actor.updates === 25) controller.abort();
    };
    const loop = new EnvironmentLoop(env, actor, { logger });
    expect(await loop.runAsync({ episodes: 10 }, { signal: controller.signal, yieldEveryMs: 0 })).toBe(30);
    expect(logger.data).toHaveLength(3);
    expect(await loop.runAsync({ episodes: 10 }, { signal: controller.signal })).toBe(0);
  });
});
