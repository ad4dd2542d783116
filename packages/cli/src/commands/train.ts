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
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  type DQNConfig,
  type DQNParts,
  evaluate,
  isPresetName,
  loadCheckpoint,
  makeConfig,
  makeDQN,
  makeQNetwork,
  type PresetName,
  saveCheckpoint,
} from '@acme-ts/agents';
import {
  Counter,
  type CounterState,
  CSVLogger,
  Dispatcher,
  EnvironmentLoop,
  JSONLLogger,
  type Logger,
  makeEnvironmentSpec,
  Random,
} from '@acme-ts/core';
import { backendInfo } from '@acme-ts/native';
import { currentBackend, saveModel, selectBackend, setVariables } from '@acme-ts/tf';
import { environmentEntry, evaluationOptions } from '../environments.js';
import { learningCurveSvg } from '../plot.js';
import { ProgressBar } from '../progress.js';

export interface TrainOptions {
  agent: 'dqn';
  env: string;
  steps?: number;
  seed: number;
  preset?: string;
  out?: string;
  resume: boolean;
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
function truncateLogs(runDir: string, count: number): void {
  const jsonl = join(runDir, STATE_FILES.episodes);
  if (existsSync(jsonl)) {
    const lines = readFileSync(jsonl, 'utf8').split('\n').filter(Boolean).slice(0, count);
    writeFileSync(jsonl, lines.map((l) => `${l}\n`).join(''));
  }
  const csv = join(runDir, STATE_FILES.csv);
  if (existsSync(csv)) {
    const lines = readFileSync(csv, 'utf8')
      .split('\n')
      .filter(Boolean)
      .slice(0, count + 1);
    writeFileSync(csv, lines.map((l) => `${l}\n`).join(''));
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

export function runRecordOf(runDir: string): RunRecord {
  const file = join(runDir, STATE_FILES.run);
  if (!existsSync(file)) throw new Error(`${runDir} is not a run folder (no ${STATE_FILES.run})`);
  return JSON.parse(readFileSync(file, 'utf8')) as RunRecord;
}

export async function train(options: TrainOptions): Promise<TrainSummary> {
  const start = performance.now();
  const { log } = options;
  const selection = await selectBackend({ log: false });
  log(`tfjs backend: ${selection.detail} (${selection.reason}); Rust cores: ${backendInfo().kind}`);

  let record: RunRecord;
  let runDir: string;
  if (options.resume) {
    if (!options.out) throw new Error('--resume needs --out RUN_DIR, the folder of the run to continue');
    runDir = resolve(options.out);
    record = runRecordOf(runDir);
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
    writeFileSync(join(runDir, STATE_FILES.run), `${JSON.stringify(record, null, 2)}\n`);
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
  const checkpointDir = join(runDir, 'checkpoint');

  const loaded = options.resume ? await loadCheckpoint(checkpointDir).catch(() => undefined) : undefined;
  if (loaded) {
    const c = loaded.checkpoint;
    parts = makeDQN(spec, config, record.seed, {
      table: loaded.table,
      actorSteps: c.actorSteps,
      observations: c.observations,
      actorRandom: Random.fromState(c.actorRandom),
    });
    await parts.learner.restoreSnapshot(c.learner);
    parts.actor.update(true);
    counter.restore(c.counter as CounterState);
    const extra = c.extra as { bestMean?: number; bestSteps?: number; episodes?: number };
    if (c.arrays.best && extra.bestMean !== undefined) {
      best = { mean: extra.bestMean, steps: extra.bestSteps ?? 0, weights: c.arrays.best };
    }
    truncateLogs(runDir, extra.episodes ?? 0);
    resumedFrom = counter.getCounts().steps ?? 0;
    log(`resumed ${runDir} at ${resumedFrom} steps (replay ${parts.table.size} items)`);
  } else {
    if (options.resume) log(`no checkpoint in ${runDir} yet: starting the run from scratch`);
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
    await saveCheckpoint(
      checkpointDir,
      {
        learner: await parts.learner.snapshot(),
        actorSteps: parts.actor.steps,
        observations: parts.agent.observations,
        actorRandom: Array.from(parts.actor.random.save()),
        counter: counter.save(),
        extra,
        arrays,
      },
      parts.table,
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

  writeFileSync(
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
  writeFileSync(join(runDir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  parts.learner.dispose();
  parts.table.close();
  log(
    `done: ${summary.envSteps} steps, ${summary.episodes} episodes in ${summary.wallSeconds.toFixed(1)} s; ` +
      `evaluation over ${result.episodes} episodes: ${result.mean.toFixed(1)} ± ${result.std.toFixed(1)}`,
  );
  log(`run folder: ${runDir} (summary.json, episodes.csv/.jsonl, learning_curve.svg, model/, checkpoint/)`);
  return summary;
}
