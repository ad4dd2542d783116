/**
 * Acme's run_experiment for one process, for any agent a builder describes: assembles the agent in
 * Acme's order, trains it for `maxNumActorSteps`, evaluates it periodically to keep the best weights
 * (as Stable-Baselines3's EvalCallback keeps best_model: DQN's greedy policy can get worse late in
 * training, and the point of a run is the policy it delivers), checkpoints it, and leaves a run
 * folder:
 *
 * ```text
 * summary.json           what was trained, for how long, and the final evaluation
 * episodes.csv / .jsonl  one record per training episode
 * learning_curve.svg     returns against steps
 * model/                 the delivered policy's network (when the config says how to save it)
 * checkpoint/            generations the run resumes from (see Checkpointer)
 * ```
 *
 * A resumed run ends exactly where the same run left alone ends: the learner, the replay tables,
 * the counters, the actor's and the environments' generators are all in each checkpoint, and
 * checkpoints are taken between episodes.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type Actor,
  Agent,
  Counter,
  type CounterState,
  CSVLogger,
  Dispatcher,
  type Environment,
  EnvironmentLoop,
  JSONLLogger,
  jsonEncode,
  type Logger,
  makeEnvironmentSpec,
  Random,
  type Saveable,
  writeTextAtomic,
} from '@acme-ts/core';
import { backendInfo } from '@acme-ts/native';
import type { Table } from '@acme-ts/replay';
import { currentBackend } from '@acme-ts/tf';
import type { RunnableLearner } from '../builders.js';
import { Checkpointer } from '../checkpointing/checkpointer.js';
import type { ExperimentConfig } from './config.js';
import { type EvaluationResult, evaluateActor } from './evaluation.js';
import { learningCurveSvg } from './learning_curve.js';
import { seedsFrom } from './seeds.js';
import { readStateFiles, writeStateFiles } from './state_files.js';

export interface ExperimentSummary {
  seed: number;
  backend: string;
  nativeBackend: string;
  envSteps: number;
  episodes: number;
  learnerSteps: number;
  wallSeconds: number;
  evalEpisodes: number;
  evalReturnMean: number;
  evalReturnStd: number;
  /** Which weights were evaluated: the last ones, or the best by periodic evaluation (and when). */
  evaluatedWeights: { kind: 'final' | 'best'; envSteps: number; periodicEvalMean?: number };
  resumedFrom?: number;
  /** The run was stopped before its budget (its checkpoint continues it). */
  interrupted?: true;
  /** What a person should know about the run (too little learning to mean anything, ...). */
  warnings?: string[];
  runDir: string;
}

/** Fewer learner steps than this at the end of a run earn a warning. */
const MIN_LEARNER_STEPS = 100;

const FILES = { episodes: 'episodes.jsonl', csv: 'episodes.csv', summary: 'summary.json' };

/**
 * Whether a part can be checkpointed (Acme's Saveable): actors keep their steps and generator,
 * environments (classic control, Catch) their generators, taken between episodes.
 */
function isSaveable(x: object): x is Saveable {
  const s = x as Partial<Saveable>;
  return typeof s.save === 'function' && typeof s.restore === 'function';
}

interface Assembled {
  tables: Table[];
  learner: RunnableLearner;
  actor: Actor<ArrayLike<number>, number>;
  agent: Agent<ArrayLike<number>, number>;
  /** An evaluation actor holding `weights` (the learner's current ones by default). */
  evaluationActor(weights?: Float32Array): Actor<ArrayLike<number>, number>;
}

interface RunState {
  learner: unknown;
  actor?: unknown;
  observations: number;
  counter: CounterState;
  environments: Record<string, unknown>;
  best?: { mean: number; steps: number; weights: Float32Array };
  episodes: number;
}

export async function runExperiment<N, P, S>(config: ExperimentConfig<N, P, S>): Promise<ExperimentSummary> {
  const start = performance.now();
  const { builder, directory: runDir, log = () => {} } = config;
  const every = config.evaluation.every ?? 0;
  if (!(Number.isInteger(config.maxNumActorSteps) && config.maxNumActorSteps >= 1)) {
    throw new RangeError(`maxNumActorSteps must be an integer >= 1, got ${config.maxNumActorSteps}`);
  }
  const env = config.environmentFactory(config.seed);
  const evalEnv = config.environmentFactory(config.seed + 1_000_003);
  const spec = makeEnvironmentSpec(env);
  const seeds = seedsFrom(config.seed);
  const networks = config.networkFactory(spec, seeds.network);

  /** Every part, in Acme's order; `tables` from a checkpoint, or new ones. */
  const assemble = (tables?: Table[], observations = 0): Assembled => {
    const policy = builder.makePolicy(networks, spec, false);
    const replay = tables ?? builder.makeReplayTables(spec, policy, seeds.table);
    const dataset = builder.makeDatasetIterator(replay);
    const learner = builder.makeLearner(seeds.actor, networks, dataset, dataset, spec);
    const adder = builder.makeAdder(replay, spec, policy);
    const actor = builder.makeActor(seeds.actor, policy, spec, learner, adder);
    const agent = new Agent(actor, learner, { ...builder.agentOptions(), observations });
    const evaluationActor = (weights?: Float32Array) => {
      const source = weights ? { getVariables: () => [weights] } : learner;
      return builder.makeActor(
        new Random(0),
        builder.makePolicy(networks, spec, true),
        spec,
        source,
        undefined,
      );
    };
    return { tables: replay, learner, actor, agent, evaluationActor };
  };

  const counter = new Counter();
  const checkpointer = config.checkpointing
    ? new Checkpointer(join(runDir, 'checkpoint'), { keep: config.checkpointing.keep ?? 2 })
    : undefined;
  let parts: Assembled;
  let best: RunState['best'];
  let resumedFrom: number | undefined;

  // Every part of a generation is read and put together before anything is used: a generation that
  // fails anywhere (a file, a table, a weight count) is skipped for the one before it.
  const restored =
    config.resume && checkpointer
      ? await checkpointer.restore(async (folder) => {
          const { state: raw, tables } = await readStateFiles(folder);
          let candidate: Assembled | undefined;
          try {
            const state = raw as RunState;
            if (!(Number.isInteger(state?.observations) && state.observations >= 0)) {
              throw new Error(
                `state.json: observations must be an integer >= 0, got ${String(state?.observations)}`,
              );
            }
            candidate = assemble(tables, state.observations);
            await candidate.learner.restoreSnapshot(state.learner);
            const actor = candidate.actor as Actor<ArrayLike<number>, number> & Partial<Saveable>;
            if (state.actor !== undefined && isSaveable(actor)) actor.restore(state.actor);
            new Counter().restore(state.counter);
            // The environments' states are tried on a spare environment: the real ones change only
            // once the whole generation is known to be good.
            const spare = config.environmentFactory(config.seed);
            for (const [name, saved] of Object.entries(state.environments ?? {})) {
              if (!isSaveable(spare)) break;
              try {
                spare.restore(saved);
              } catch (err) {
                throw new Error(`state.json: environments.${name}: ${(err as Error).message}`);
              }
            }
            return { parts: candidate, state };
          } catch (err) {
            candidate?.learner.dispose?.();
            for (const t of tables) t.close();
            throw err;
          }
        })
      : undefined;
  for (const warning of restored?.warnings ?? []) log(`warning: skipped a damaged checkpoint: ${warning}`);
  if (restored) {
    const { state } = restored.value;
    parts = restored.value.parts;
    parts.actor.update(true);
    counter.restore(state.counter);
    if (isSaveable(env) && state.environments.train !== undefined) env.restore(state.environments.train);
    if (isSaveable(evalEnv) && state.environments.eval !== undefined)
      evalEnv.restore(state.environments.eval);
    best = state.best;
    await truncateLogs(runDir, state.episodes);
    resumedFrom = counter.getCounts().steps ?? 0;
    log(
      `resumed ${runDir} at ${resumedFrom} steps (replay ${parts.tables.map((t) => t.size).join('+')} items, checkpoint generation ${restored.generation})`,
    );
  } else {
    if (config.resume === true) {
      throw new Error(
        `--resume: ${checkpointer?.directory ?? runDir} holds no checkpoint (the run stopped before its first one); ` +
          'pass --resume-or-start to start this run from step 0',
      );
    }
    if (config.resume) {
      log(`no checkpoint in ${runDir} yet: starting the run from step 0 (--resume-or-start)`);
      // Episode logs of an attempt that never checkpointed describe nothing that survives.
      await truncateLogs(runDir, 0);
    }
    parts = assemble();
  }

  const loggers: Logger[] = [
    new CSVLogger({ file: join(runDir, FILES.csv), flushEvery: 1 }),
    new JSONLLogger({ file: join(runDir, FILES.episodes), flushEvery: 1 }),
    ...(config.loggers ?? []),
  ];
  const logger = new Dispatcher(loggers);
  const loop = new EnvironmentLoop(env, parts.agent, { counter, logger });
  const stepsNow = () => counter.getCounts().steps ?? 0;
  const episodesNow = () => counter.getCounts().episodes ?? 0;
  const protocol = (seed: number) => ({
    ...(config.evaluation.epsilon ? { epsilon: config.evaluation.epsilon, random: new Random(seed) } : {}),
    ...(config.evaluation.maxEpisodeSteps ? { maxEpisodeSteps: config.evaluation.maxEpisodeSteps } : {}),
  });

  const checkpoint = async () => {
    if (!checkpointer) return;
    const environments: Record<string, unknown> = {};
    if (isSaveable(env)) environments.train = env.save();
    if (isSaveable(evalEnv)) environments.eval = evalEnv.save();
    const actor = parts.actor as Actor<ArrayLike<number>, number> & Partial<Saveable>;
    const state: RunState = {
      learner: await parts.learner.snapshot(),
      ...(isSaveable(actor) ? { actor: actor.save() } : {}),
      observations: parts.agent.observations,
      counter: counter.save(),
      environments,
      ...(best ? { best } : {}),
      episodes: episodesNow(),
    };
    await checkpointer.save((folder) => writeStateFiles(folder, state, parts.tables), counter.getCounts());
  };

  const total = config.maxNumActorSteps;
  let nextEval = every > 0 ? (Math.floor(stepsNow() / every) + 1) * every : Number.POSITIVE_INFINITY;
  const checkpointEvery = config.checkpointing?.every ?? Number.POSITIVE_INFINITY;
  let nextCheckpoint = (Math.floor(stepsNow() / checkpointEvery) + 1) * checkpointEvery;
  const { signal } = config;
  while (stepsNow() < total && !signal?.aborted) {
    const target = Math.min(total, nextEval, nextCheckpoint);
    await loop.runAsync({ steps: target - stepsNow() }, signal ? { signal } : {});
    if (signal?.aborted) break;
    if (stepsNow() >= nextEval) {
      const evaluator = parts.evaluationActor();
      const result = evaluateActor(evalEnv, evaluator, config.evaluation.episodes ?? 1, protocol(stepsNow()));
      // Each evaluation actor holds its own network copy: freed here, not by the garbage collector.
      (evaluator as { dispose?(): void }).dispose?.();
      if (!best || result.mean >= best.mean) {
        best = {
          mean: result.mean,
          steps: stepsNow(),
          weights: Float32Array.from(parts.learner.getVariables(['policy'])[0]!),
        };
      }
      nextEval = (Math.floor(stepsNow() / every) + 1) * every;
    }
    if (stepsNow() >= nextCheckpoint || stepsNow() >= total) {
      await checkpoint();
      nextCheckpoint = (Math.floor(stepsNow() / checkpointEvery) + 1) * checkpointEvery;
    }
  }
  const interrupted = signal?.aborted === true && stepsNow() < total;
  if (interrupted) {
    await checkpoint();
    log(`interrupted at ${stepsNow()} steps: checkpoint written; --resume continues the run`);
  }
  logger.close();

  // The delivered policy: the best periodically evaluated weights, else the last ones.
  const chosen = best ?? {
    mean: Number.NaN,
    steps: stepsNow(),
    weights: Float32Array.from(parts.learner.getVariables(['policy'])[0]!),
  };
  if (config.saveModel) await config.saveModel(spec, chosen.weights, join(runDir, 'model'));
  const finalEpisodes = interrupted ? 0 : config.evaluation.finalEpisodes;
  let result: EvaluationResult = { episodes: 0, returns: [], mean: Number.NaN, std: Number.NaN, steps: 0 };
  if (finalEpisodes > 0) {
    log(
      `evaluating the ${best ? `best weights (from step ${chosen.steps})` : 'final weights'} over ${finalEpisodes} episodes`,
    );
    const evaluator = parts.evaluationActor(chosen.weights);
    result = evaluateActor(evalEnv, evaluator, finalEpisodes, protocol(config.seed + 7));
    (evaluator as { dispose?(): void }).dispose?.();
  }
  await writeTextAtomic(
    join(runDir, 'learning_curve.svg'),
    learningCurveSvg(readEpisodes(runDir), { title: config.title ?? 'learning curve' }),
  );
  // A budget that ends about when learning starts yields an untrained policy that looks like a
  // result: say so loudly (the atari preset waits for 20,000 observations before its first update).
  const warnings: string[] = [];
  const { minObservations } = builder.agentOptions();
  if (!interrupted && parts.learner.steps < MIN_LEARNER_STEPS && minObservations > 0) {
    warnings.push(
      `only ${parts.learner.steps} learner steps in ${stepsNow()} actor steps (learning starts after ${minObservations} observations): ` +
        'the policy has barely trained; give the run more --steps or lower minReplaySize',
    );
  }
  for (const w of warnings) log(`warning: ${w}`);
  const summary: ExperimentSummary = {
    seed: config.seed,
    backend: currentBackend(),
    nativeBackend: backendInfo().kind,
    envSteps: stepsNow(),
    episodes: episodesNow(),
    learnerSteps: parts.learner.steps,
    wallSeconds: (performance.now() - start) / 1000,
    evalEpisodes: result.episodes,
    evalReturnMean: result.mean,
    evalReturnStd: result.std,
    evaluatedWeights: best
      ? { kind: 'best', envSteps: best.steps, periodicEvalMean: best.mean }
      : { kind: 'final', envSteps: stepsNow() },
    ...(resumedFrom !== undefined ? { resumedFrom } : {}),
    ...(interrupted ? { interrupted: true as const } : {}),
    ...(warnings.length > 0 ? { warnings } : {}),
    runDir,
  };
  parts.learner.dispose?.();
  (parts.actor as { dispose?(): void }).dispose?.();
  for (const t of parts.tables) t.close();
  closeEnvironment(env);
  closeEnvironment(evalEnv);
  log(
    `${interrupted ? 'stopped' : 'done'}: ${summary.envSteps} steps, ${summary.episodes} episodes in ${summary.wallSeconds.toFixed(1)} s` +
      (result.episodes > 0
        ? `; evaluation over ${result.episodes} episodes: ${result.mean.toFixed(1)} ± ${result.std.toFixed(1)}`
        : ''),
  );
  return summary;
}

/** Writes `summary` (plus what the caller adds) as the run folder's summary.json. */
export async function writeSummary(runDir: string, summary: object): Promise<void> {
  await writeTextAtomic(join(runDir, FILES.summary), `${jsonEncode(summary, { indent: 2 })}\n`);
}

function closeEnvironment(env: Environment<ArrayLike<number>, number>): void {
  env.close?.();
}

/** Keeps the first `count` records of the episode logs (those a checkpoint knows about). */
async function truncateLogs(runDir: string, count: number): Promise<void> {
  const jsonl = join(runDir, FILES.episodes);
  if (existsSync(jsonl)) {
    const lines = readFileSync(jsonl, 'utf8').split('\n').filter(Boolean).slice(0, count);
    await writeTextAtomic(jsonl, lines.map((l) => `${l}\n`).join(''));
  }
  const csv = join(runDir, FILES.csv);
  if (existsSync(csv)) {
    const lines = readFileSync(csv, 'utf8')
      .split('\n')
      .filter(Boolean)
      .slice(0, count + 1);
    await writeTextAtomic(csv, lines.map((l) => `${l}\n`).join(''));
  }
}

function readEpisodes(runDir: string): { steps: number; value: number }[] {
  const file = join(runDir, FILES.episodes);
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, number>)
    .map((r) => ({ steps: r.steps ?? 0, value: r.episode_return ?? 0 }));
}
