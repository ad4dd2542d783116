/**
 * `acme train dqn --env NAME`: trains DQN with a progress bar, CSV + JSONL episode logs, periodic
 * atomic checkpoints (`--resume` continues a killed run from the last one), a learning curve SVG,
 * the trained model in TensorFlow.js format and a final greedy evaluation, written to
 * `summary.json`. Everything lands in the run folder.
 *
 * When the preset evaluates periodically (`evalEvery`), the weights with the best evaluation so
 * far are the ones saved and finally evaluated, as Stable-Baselines3's EvalCallback keeps
 * `best_model`: DQN's greedy policy can get worse late in training, and the point of a run is the
 * policy it delivers.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  Checkpointer,
  type DQNCheckpoint,
  type DQNConfig,
  type DQNParts,
  evaluate,
  isPresetName,
  makeConfig,
  makeDQN,
  makeQNetwork,
  type PresetName,
  parseDQNConfig,
  readDQNCheckpoint,
  writeDQNCheckpoint,
} from '@acme-ts/agents';
import {
  Counter,
  CSVLogger,
  Dispatcher,
  EnvironmentLoop,
  JSONLLogger,
  jsonDecode,
  jsonEncode,
  type Logger,
  makeEnvironmentSpec,
  Random,
} from '@acme-ts/core';
import { backendInfo } from '@acme-ts/native';
import { currentBackend, saveModel, selectBackend, setVariables } from '@acme-ts/tf';
import { z } from 'zod';
import { environmentEntry, evaluationOptions } from '../environments.js';
import { writeTextAtomic } from '../files.js';
import { learningCurveSvg } from '../plot.js';
import { ProgressBar } from '../progress.js';

export interface TrainOptions {
  agent: 'dqn';
  env: string;
  steps?: number;
  seed: number;
  preset?: string;
  out?: string;
  /**
   * Continue the run in `out` from its newest usable checkpoint. `true` (`--resume`) fails when
   * there is none; `'or-start'` (`--resume-or-start`) starts the run from step 0 instead (a new run
   * when `out` holds none yet). A damaged checkpoint is never a reason to start from zero.
   */
  resume: boolean | 'or-start';
  evalEpisodes?: number;
  checkpointEvery?: number;
  /** Overrides of the preset's config (tests use small budgets). */
  config?: Partial<DQNConfig>;
  log: (line: string) => void;
  /** Progress bar stream (stderr by default); null for none. */
  progress?: { write(s: string): unknown; isTTY?: boolean; columns?: number } | null;
}

/** What `run.json` keeps so that `--resume`, `evaluate` and `play` rebuild the same run. */
export interface RunRecord {
  agent: 'dqn';
  env: string;
  seed: number;
  preset: PresetName;
  steps: number;
  evalEpisodes: number;
  checkpointEvery: number;
  config: DQNConfig;
}

export interface TrainSummary {
  env: string;
  agent: 'dqn';
  seed: number;
  preset: string;
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
  runDir: string;
}

const STATE_FILES = { run: 'run.json', episodes: 'episodes.jsonl', csv: 'episodes.csv' };

/** Keeps the first `count` records of the episode logs (those a checkpoint knows about). */
async function truncateLogs(runDir: string, count: number): Promise<void> {
  const jsonl = join(runDir, STATE_FILES.episodes);
  if (existsSync(jsonl)) {
    const lines = readFileSync(jsonl, 'utf8').split('\n').filter(Boolean).slice(0, count);
    await writeTextAtomic(jsonl, lines.map((l) => `${l}\n`).join(''));
  }
  const csv = join(runDir, STATE_FILES.csv);
  if (existsSync(csv)) {
    const lines = readFileSync(csv, 'utf8')
      .split('\n')
      .filter(Boolean)
      .slice(0, count + 1);
    await writeTextAtomic(csv, lines.map((l) => `${l}\n`).join(''));
  }
}

function readEpisodes(runDir: string): { steps: number; value: number }[] {
  const file = join(runDir, STATE_FILES.episodes);
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, number>)
    .map((r) => ({ steps: r.steps ?? 0, value: r.episode_return ?? 0 }));
}

const count = (min: number) => z.number().int().min(min);
/** run.json's own fields; the config is checked by the agent's schema. */
const RunRecordSchema = z.object({
  agent: z.literal('dqn'),
  env: z.string().min(1),
  seed: count(0),
  preset: z.string(),
  steps: count(1),
  evalEpisodes: count(1),
  checkpointEvery: count(1),
  config: z.unknown(),
});

/** The run record of `runDir`, read with the one serializer (Infinity survives) and checked. */
export function runRecordOf(runDir: string): RunRecord {
  const file = join(runDir, STATE_FILES.run);
  if (!existsSync(file)) throw new Error(`${runDir} is not a run folder (no ${STATE_FILES.run})`);
  const raw = jsonDecode(readFileSync(file, 'utf8'), file);
  const parsed = RunRecordSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const got = issue.path.reduce<unknown>(
      (v, k) => (v as Record<PropertyKey, unknown>)?.[k as PropertyKey],
      raw,
    );
    throw new Error(
      `${file}: ${issue.path.join('.') || 'the record'} ${issue.message} (got ${JSON.stringify(got)})`,
    );
  }
  const record = parsed.data as RunRecord;
  record.config = parseDQNConfig(record.config, `${file} (config)`);
  environmentEntry(record.env);
  return record;
}

/** Saveable environments (classic control, Catch) give their generators' state between episodes. */
interface SaveableEnvironment {
  save(): unknown;
  restore(state: unknown): void;
}

function isSaveable(env: object): env is SaveableEnvironment {
  const e = env as Partial<SaveableEnvironment>;
  return typeof e.save === 'function' && typeof e.restore === 'function';
}

export async function train(options: TrainOptions): Promise<TrainSummary> {
  const start = performance.now();
  const { log } = options;
  const selection = await selectBackend({ log: false });
  log(`tfjs backend: ${selection.detail} (${selection.reason}); Rust cores: ${backendInfo().kind}`);

  let record: RunRecord;
  let runDir: string;
  let continuing = false;
  if (options.resume) {
    if (!options.out) throw new Error('--resume needs --out RUN_DIR, the folder of the run to continue');
    runDir = resolve(options.out);
    continuing = options.resume === true || existsSync(join(runDir, STATE_FILES.run));
  }
  if (continuing) {
    runDir = resolve(options.out!);
    record = runRecordOf(runDir);
    // A run continues with the config it was started with: changing it halfway would make the
    // resumed run differ from the run it continues, with nothing in the run folder saying so.
    if (options.config && Object.keys(options.config).length > 0) {
      throw new Error(
        `--set ${Object.keys(options.config).join(', ')}: a resumed run keeps the config in ${join(runDir, STATE_FILES.run)}; start a new run to change it`,
      );
    }
    if (options.steps !== undefined) record.steps = options.steps;
  } else {
    const entry = environmentEntry(options.env);
    const presetName = options.preset ?? entry.preset;
    if (!isPresetName(presetName)) makeConfig(presetName as PresetName); // throws, naming the choices
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    runDir = resolve(options.out ?? join('runs', `dqn-${options.env}-s${options.seed}-${stamp}`));
    if (existsSync(join(runDir, STATE_FILES.run))) {
      throw new Error(`${runDir} already holds a run; pass --resume to continue it or choose another --out`);
    }
    const config = makeConfig(presetName as PresetName, options.config ?? {});
    record = {
      agent: 'dqn',
      env: options.env,
      seed: options.seed,
      preset: presetName as PresetName,
      steps: options.steps ?? entry.steps,
      evalEpisodes: options.evalEpisodes ?? entry.evalEpisodes,
      checkpointEvery:
        options.checkpointEvery ?? Math.max(1000, Math.ceil((options.steps ?? entry.steps) / 10)),
      config,
    };
    mkdirSync(runDir, { recursive: true });
    await writeTextAtomic(join(runDir, STATE_FILES.run), `${jsonEncode(record, { indent: 2 })}\n`);
  }
  const config = record.config;
  const entry = environmentEntry(record.env);
  const env = entry.make(record.seed);
  const evalEnv = entry.make(record.seed + 1_000_003);
  const spec = makeEnvironmentSpec(env);
  const counter = new Counter();
  let parts: DQNParts;
  let best: { mean: number; steps: number; weights: Float32Array } | undefined;
  let resumedFrom: number | undefined;
  const checkpointer = new Checkpointer(join(runDir, 'checkpoint'));

  // Every part of a generation is read and put together before anything is used: a generation that
  // fails anywhere (a file, the table, a weight count) is skipped for the one before it.
  const restored = continuing
    ? await checkpointer.restore(async (folder) => {
        const { checkpoint: c, table } = await readDQNCheckpoint(folder);
        let candidate: DQNParts | undefined;
        try {
          candidate = makeDQN(spec, config, record.seed, {
            table,
            actorSteps: c.actorSteps,
            observations: c.observations,
            actorRandom: Random.fromState(c.actorRandom),
          });
          await candidate.learner.restoreSnapshot(c.learner);
          new Counter().restore(c.counter);
          // The environments' states are tried on a spare environment: the real ones change only
          // once the whole generation is known to be good.
          const spare = entry.make(record.seed);
          for (const name of ['train', 'eval']) {
            const saved = c.environments?.[name];
            if (saved === undefined || !isSaveable(spare)) continue;
            try {
              spare.restore(saved);
            } catch (err) {
              throw new Error(`state.json: environments.${name}: ${(err as Error).message}`);
            }
          }
          return { parts: candidate, checkpoint: c };
        } catch (err) {
          candidate?.learner.dispose();
          table.close();
          throw err;
        }
      })
    : undefined;
  for (const warning of restored?.warnings ?? []) log(`warning: skipped a damaged checkpoint: ${warning}`);
  if (restored) {
    const c = restored.value.checkpoint;
    parts = restored.value.parts;
    parts.actor.update(true);
    counter.restore(c.counter);
    if (isSaveable(env) && c.environments?.train !== undefined) env.restore(c.environments.train);
    if (isSaveable(evalEnv) && c.environments?.eval !== undefined) evalEnv.restore(c.environments.eval);
    const extra = c.extra as { bestMean?: number; bestSteps?: number; episodes?: number };
    if (c.arrays.best && extra.bestMean !== undefined) {
      best = { mean: extra.bestMean, steps: extra.bestSteps ?? 0, weights: c.arrays.best };
    }
    await truncateLogs(runDir, extra.episodes ?? 0);
    resumedFrom = counter.getCounts().steps ?? 0;
    log(
      `resumed ${runDir} at ${resumedFrom} steps (replay ${parts.table.size} items, checkpoint generation ${restored.generation})`,
    );
  } else {
    if (continuing && options.resume === true) {
      throw new Error(
        `--resume: ${checkpointer.directory} holds no checkpoint (the run stopped before its first one); ` +
          'pass --resume-or-start to start this run from step 0',
      );
    }
    if (continuing) log(`no checkpoint in ${runDir} yet: starting the run from step 0 (--resume-or-start)`);
    // Episode logs of an attempt that never checkpointed describe nothing that survives.
    if (continuing) await truncateLogs(runDir, 0);
    parts = makeDQN(spec, config, record.seed);
  }

  const progress = new ProgressBar({
    totalSteps: record.steps,
    ...(options.progress ? { stream: options.progress } : {}),
  });
  const loggers: Logger[] = [
    new CSVLogger({ file: join(runDir, STATE_FILES.csv), flushEvery: 1 }),
    new JSONLLogger({ file: join(runDir, STATE_FILES.episodes), flushEvery: 1 }),
  ];
  if (options.progress !== null) loggers.push(progress);
  const logger = new Dispatcher(loggers);
  const loop = new EnvironmentLoop(env, parts.agent, { counter, logger });
  const stepsNow = () => counter.getCounts().steps ?? 0;
  const episodesNow = () => counter.getCounts().episodes ?? 0;

  const checkpoint = async () => {
    const extra: Record<string, unknown> = { episodes: episodesNow() };
    const arrays: Record<string, Float32Array> = {};
    if (best) {
      extra.bestMean = best.mean;
      extra.bestSteps = best.steps;
      arrays.best = best.weights;
    }
    const environments: Record<string, unknown> = {};
    if (isSaveable(env)) environments.train = env.save();
    if (isSaveable(evalEnv)) environments.eval = evalEnv.save();
    const checkpoint: DQNCheckpoint = {
      learner: await parts.learner.snapshot(),
      actorSteps: parts.actor.steps,
      observations: parts.agent.observations,
      actorRandom: parts.actor.random.save(),
      counter: counter.save(),
      environments,
      extra,
      arrays,
    };
    await checkpointer.save(
      (folder) => writeDQNCheckpoint(folder, checkpoint, parts.table),
      counter.getCounts(),
    );
  };

  let nextEval =
    config.evalEvery > 0 ? (Math.floor(stepsNow() / config.evalEvery) + 1) * config.evalEvery : Infinity;
  let nextCheckpoint = (Math.floor(stepsNow() / record.checkpointEvery) + 1) * record.checkpointEvery;
  while (stepsNow() < record.steps) {
    const target = Math.min(record.steps, nextEval, nextCheckpoint);
    await loop.runAsync({ steps: target - stepsNow() });
    if (stepsNow() >= nextEval) {
      const policy = parts.makeEvalPolicy();
      const result = evaluate(
        evalEnv,
        policy,
        config.evalEpisodes,
        evaluationOptions(entry, spec, stepsNow()),
      );
      policy.dispose();
      if (!best || result.mean >= best.mean) {
        best = {
          mean: result.mean,
          steps: stepsNow(),
          weights: Float32Array.from(parts.learner.getVariables()[0]!),
        };
      }
      nextEval = (Math.floor(stepsNow() / config.evalEvery) + 1) * config.evalEvery;
    }
    if (stepsNow() >= nextCheckpoint || stepsNow() >= record.steps) {
      await checkpoint();
      nextCheckpoint = (Math.floor(stepsNow() / record.checkpointEvery) + 1) * record.checkpointEvery;
    }
  }
  logger.close();

  // The delivered policy: the best periodically evaluated weights, else the last ones.
  const finalWeights = Float32Array.from(parts.learner.getVariables()[0]!);
  const chosen = best ?? { mean: Number.NaN, steps: stepsNow(), weights: finalWeights };
  const model = makeQNetwork(spec, config, 0, 'q_network');
  setVariables(model, chosen.weights);
  await saveModel(model, join(runDir, 'model'));
  model.dispose();
  const policy = parts.makeEvalPolicy();
  policy.setWeights(chosen.weights);
  log(
    `evaluating the ${best ? `best weights (from step ${chosen.steps})` : 'final weights'} over ${record.evalEpisodes} episodes`,
  );
  const result = evaluate(
    evalEnv,
    policy,
    record.evalEpisodes,
    evaluationOptions(entry, spec, record.seed + 7),
  );
  policy.dispose();

  await writeTextAtomic(
    join(runDir, 'learning_curve.svg'),
    learningCurveSvg(readEpisodes(runDir), { title: `DQN on ${record.env} (seed ${record.seed})` }),
  );
  const summary: TrainSummary = {
    env: record.env,
    agent: 'dqn',
    seed: record.seed,
    preset: record.preset,
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
    runDir,
  };
  await writeTextAtomic(join(runDir, 'summary.json'), `${jsonEncode(summary, { indent: 2 })}\n`);
  parts.learner.dispose();
  parts.table.close();
  log(
    `done: ${summary.envSteps} steps, ${summary.episodes} episodes in ${summary.wallSeconds.toFixed(1)} s; ` +
      `evaluation over ${result.episodes} episodes: ${result.mean.toFixed(1)} ± ${result.std.toFixed(1)}`,
  );
  log(`run folder: ${runDir} (summary.json, episodes.csv/.jsonl, learning_curve.svg, model/, checkpoint/)`);
  return summary;
}
