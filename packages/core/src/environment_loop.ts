/**
 * Acme's EnvironmentLoop: runs an actor in an environment, one episode at a time, and logs one
 * record per episode.
 *
 * ```ts
 * const loop = new EnvironmentLoop(environment, actor);
 * loop.run({ episodes: 100 }); // or { steps: 10_000 }: the last episode always finishes
 * ```
 *
 * Per step: selectAction(observation), step(action), observe(action, timestep), the observers,
 * then `update()` when `shouldUpdate`. Per episode it logs episode_length, episode_return,
 * steps_per_second, env_reset_duration_sec, select_action_duration_sec, env_step_duration_sec,
 * the counter's counts and each observer's metrics (and `run()` adds episode_duration).
 *
 * The two per-step durations are means over every TIMING_STRIDE-th step (steps 1, 1 + stride,
 * ...): reading the clock costs about 70 ns in Node, as much as a whole CartPole step, so timing
 * every step would triple the loop's overhead. A sampled mean estimates the same quantity.
 */
import type { Actor } from './actor.js';
import { Counter } from './counter.js';
import type { Environment } from './environment.js';
import { makeDefaultLogger } from './loggers/default.js';
import type { Logger, LoggingData } from './loggers/logger.js';
import type { EnvLoopObserver } from './observer.js';
import { ArraySpec } from './specs/array.js';
import type { TypedArray } from './specs/dtype.js';
import { type Nested, type NestedSpec, zerosLike } from './specs/nested.js';
import { StepType, type TimeStep } from './time_step.js';
import type { Worker } from './worker.js';

/** One step in this many has its selectAction and env.step durations measured. */
export const TIMING_STRIDE = 8;

export interface EnvironmentLoopOptions<O, A, R, D> {
  /** Counts episodes and steps (default: a fresh Counter). */
  counter?: Counter;
  /** Receives one record per episode (default: makeDefaultLogger(label)). */
  logger?: Logger;
  /** Call `actor.update()` after every step (default true). */
  shouldUpdate?: boolean;
  /** Label of the default logger (default 'environment_loop'); unused when a logger is given. */
  label?: string;
  /**
   * Cuts an episode after this many steps (default: never), as evaluation protocols do (the DQN
   * papers play at most 5 minutes of Atari): the actor sees no LAST step for a cut episode.
   */
  maxEpisodeSteps?: number;
  observers?: readonly EnvLoopObserver<O, A, R, D>[];
}

export type RunLimit = { episodes?: number; steps?: number };

export class EnvironmentLoop<O = unknown, A = unknown, R = number, D = number> implements Worker {
  readonly environment: Environment<O, A, R, D>;
  readonly actor: Actor<O, A, R, D>;
  readonly counter: Counter;
  readonly logger: Logger;
  readonly #shouldUpdate: boolean;
  readonly #observers: readonly EnvLoopObserver<O, A, R, D>[];
  readonly #rewardSpec: NestedSpec;
  readonly #maxEpisodeSteps: number;

  constructor(
    environment: Environment<O, A, R, D>,
    actor: Actor<O, A, R, D>,
    options: EnvironmentLoopOptions<O, A, R, D> = {},
  ) {
    const {
      counter,
      logger,
      shouldUpdate = true,
      label = 'environment_loop',
      observers = [],
      maxEpisodeSteps = Number.POSITIVE_INFINITY,
    } = options;
    if (
      !(
        maxEpisodeSteps >= 1 &&
        (Number.isInteger(maxEpisodeSteps) || maxEpisodeSteps === Number.POSITIVE_INFINITY)
      )
    ) {
      throw new RangeError(`maxEpisodeSteps must be an integer >= 1, got ${maxEpisodeSteps}`);
    }
    this.#maxEpisodeSteps = maxEpisodeSteps;
    this.environment = environment;
    this.actor = actor;
    this.counter = counter ?? new Counter();
    this.logger = logger ?? makeDefaultLogger(label, { stepsKey: this.counter.getStepsKey() });
    this.#shouldUpdate = shouldUpdate;
    this.#observers = [...observers];
    this.#rewardSpec = environment.rewardSpec();
  }

  /** Runs one episode and returns its record (not logged: `run()` logs). */
  runEpisode(): LoggingData {
    const env = this.environment;
    const actor = this.actor;
    const observers = this.#observers;
    const shouldUpdate = this.#shouldUpdate;
    const episodeStart = performance.now();

    const scalarReturn = this.#rewardSpec instanceof ArraySpec && this.#rewardSpec.isScalar;
    let episodeReturn = 0;
    const nestedReturn = scalarReturn ? undefined : zerosLike(this.#rewardSpec);

    const resetStart = performance.now();
    let timestep: TimeStep<O, R, D> = env.reset();
    const envResetDuration = (performance.now() - resetStart) / 1000;
    actor.observeFirst(timestep);
    for (let i = 0; i < observers.length; i++) observers[i]!.observeFirst(env, timestep);

    let episodeSteps = 0;
    let timedSteps = 0;
    let selectActionTime = 0;
    let envStepTime = 0;
    const maxSteps = this.#maxEpisodeSteps;
    while (timestep.stepType !== StepType.LAST && episodeSteps < maxSteps) {
      episodeSteps += 1;
      let action: A;
      if (episodeSteps % TIMING_STRIDE === 1) {
        const t0 = performance.now();
        action = actor.selectAction(timestep.observation);
        const t1 = performance.now();
        timestep = env.step(action);
        const t2 = performance.now();
        selectActionTime += t1 - t0;
        envStepTime += t2 - t1;
        timedSteps += 1;
      } else {
        action = actor.selectAction(timestep.observation);
        timestep = env.step(action);
      }
      actor.observe(action, timestep);
      for (let i = 0; i < observers.length; i++) observers[i]!.observe(env, timestep, action);
      if (shouldUpdate) actor.update();
      if (scalarReturn) episodeReturn += timestep.reward as number;
      else addInto(nestedReturn!, timestep.reward as Nested<number | TypedArray>);
    }

    const counts = this.counter.increment({ episodes: 1, steps: episodeSteps });
    const elapsed = (performance.now() - episodeStart) / 1000;
    const result: LoggingData = {
      episode_length: episodeSteps,
      episode_return: scalarReturn ? episodeReturn : nestedReturn,
      steps_per_second: episodeSteps / elapsed,
      env_reset_duration_sec: envResetDuration,
      select_action_duration_sec: timedSteps > 0 ? selectActionTime / timedSteps / 1000 : Number.NaN,
      env_step_duration_sec: timedSteps > 0 ? envStepTime / timedSteps / 1000 : Number.NaN,
      ...counts,
    };
    for (const observer of observers) Object.assign(result, observer.getMetrics());
    return result;
  }

  /**
   * Runs whole episodes until `episodes` episodes or at least `steps` steps have run (the last
   * episode always finishes), or forever when neither is given; logs each episode and returns
   * the number of steps taken.
   */
  run(limit: RunLimit = {}): number {
    const episodes = this.#episodes(limit);
    let next = episodes.next();
    while (!next.done) next = episodes.next();
    return next.value;
  }

  /**
   * `run()` that gives the event loop a turn between episodes whenever `yieldEveryMs` have passed
   * since the last turn, so timers, I/O, signals and a test runner's messages are served while a
   * long run trains in the same thread. When `signal` is aborted it stops after the episode under
   * way and returns the steps taken so far.
   */
  async runAsync(
    limit: RunLimit = {},
    options: { yieldEveryMs?: number; signal?: AbortSignal } = {},
  ): Promise<number> {
    const { yieldEveryMs = 50, signal } = options;
    if (!(yieldEveryMs >= 0)) throw new RangeError(`yieldEveryMs must be a number >= 0, got ${yieldEveryMs}`);
    const episodes = this.#episodes(limit);
    if (signal?.aborted) return 0;
    let lastTurn = performance.now();
    let next = episodes.next();
    while (!next.done) {
      if (performance.now() - lastTurn >= yieldEveryMs) {
        await new Promise((resolve) => setTimeout(resolve, 0));
        lastTurn = performance.now();
      }
      // A stop asked for (Ctrl-C) takes effect between episodes: the run stays whole.
      if (signal?.aborted) return next.value;
      next = episodes.next();
    }
    return next.value;
  }

  /** Runs and logs one episode per `next()` within `limit`, yielding the steps so far; returns them. */
  *#episodes(limit: RunLimit): Generator<number, number, void> {
    const { episodes, steps } = limit;
    if (episodes !== undefined && steps !== undefined) {
      throw new TypeError('run() takes { episodes } or { steps }, not both');
    }
    for (const [name, value] of [
      ['episodes', episodes],
      ['steps', steps],
    ] as const) {
      if (value !== undefined && !(Number.isInteger(value) && value >= 0)) {
        throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
      }
    }
    let episodeCount = 0;
    let stepCount = 0;
    while (
      !((episodes !== undefined && episodeCount >= episodes) || (steps !== undefined && stepCount >= steps))
    ) {
      const episodeStart = performance.now();
      const result = this.runEpisode();
      result.episode_duration = (performance.now() - episodeStart) / 1000;
      episodeCount += 1;
      stepCount += result.episode_length as number;
      this.logger.write(result);
      yield stepCount;
    }
    return stepCount;
  }
}

/** `total += value` leaf by leaf (Acme's tree.map_structure(operator.iadd, ...)). */
function addInto(total: Nested<unknown>, value: Nested<unknown>): void {
  if (ArrayBuffer.isView(total)) {
    const t = total as TypedArray;
    const v = value as ArrayLike<number>;
    for (let i = 0; i < t.length; i++) t[i]! += v[i]!;
    return;
  }
  if (Array.isArray(total)) {
    const items = total as unknown[];
    for (let i = 0; i < items.length; i++) {
      if (typeof items[i] === 'number') items[i] = (items[i] as number) + (value as number[])[i]!;
      else addInto(items[i] as Nested<unknown>, (value as unknown[])[i] as Nested<unknown>);
    }
    return;
  }
  const obj = total as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    const v = (value as Record<string, unknown>)[key];
    if (typeof obj[key] === 'number') obj[key] = (obj[key] as number) + (v as number);
    else addInto(obj[key] as Nested<unknown>, v as Nested<unknown>);
  }
}
