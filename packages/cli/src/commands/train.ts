/**
 * `acme train AGENT --env NAME`: the run record (`run.json`: agent, environment, seed, preset, budget
 * and config, enough to rebuild the run for `--resume`, `evaluate` and `play`), then one call of
 * the generic runner (`runExperiment`), which trains with a progress bar and leaves the run folder:
 * logs, curve, model, checkpoints and summary.json.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  type AgentDefinition,
  agentDefinition,
  type ExperimentSummary,
  runExperiment,
  schemaProblem,
  writeSummary,
} from '@acme-ts/agents';
import { jsonDecode, jsonEncode, makeEnvironmentSpec, writeTextAtomic } from '@acme-ts/core';
import { selectBackend } from '@acme-ts/tf';
import { z } from 'zod';
import { type EnvironmentEntry, environmentEntry } from '../environments.js';
import { ProgressBar } from '../progress.js';

export interface TrainOptions {
  /** A registered agent's name (`dqn`, or one a program registered). */
  agent: string;
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
  config?: Record<string, unknown>;
  log: (line: string) => void;
  /** Progress bar stream (stderr by default); null for none. */
  progress?: { write(s: string): unknown; isTTY?: boolean; columns?: number } | null;
}

/** What `run.json` keeps so that `--resume`, `evaluate` and `play` rebuild the same run. */
export interface RunRecord {
  agent: string;
  env: string;
  seed: number;
  preset: string;
  steps: number;
  evalEpisodes: number;
  checkpointEvery: number;
  /** The agent's complete config (checked by its schema when read). */
  config: unknown;
}

export interface TrainSummary extends ExperimentSummary {
  env: string;
  agent: string;
  preset: string;
}

const RUN_FILE = 'run.json';

const count = (min: number) => z.number().int().min(min);
/** run.json's own fields; the config is checked by the agent's schema. */
const RunRecordSchema = z.object({
  agent: z.string().min(1),
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
  const file = join(runDir, RUN_FILE);
  if (!existsSync(file)) throw new Error(`${runDir} is not a run folder (no ${RUN_FILE})`);
  const raw = jsonDecode(readFileSync(file, 'utf8'), file);
  const parsed = RunRecordSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`${file}: ${schemaProblem(parsed.error, raw)}`);
  const record = parsed.data as RunRecord;
  record.config = agentDefinition(record.agent).parseConfig(record.config, `${file} (config)`);
  environmentEntry(record.env);
  return record;
}

/** The preset for an environment: the one its entry names when the agent has it, else the agent's default. */
export function presetFor(definition: AgentDefinition, entry: EnvironmentEntry): string {
  if (definition.presets.includes(entry.preset)) return entry.preset;
  return definition.defaultPreset(makeEnvironmentSpec(entry.make(0)));
}

export async function train(options: TrainOptions): Promise<TrainSummary> {
  const { log } = options;
  const definition = agentDefinition(options.agent);
  const selection = await selectBackend({ log: false });
  log(`tfjs backend: ${selection.detail} (${selection.reason})`);

  let record: RunRecord;
  let runDir: string;
  let continuing = false;
  if (options.resume) {
    if (!options.out) throw new Error('--resume needs --out RUN_DIR, the folder of the run to continue');
    runDir = resolve(options.out);
    continuing = options.resume === true || existsSync(join(runDir, RUN_FILE));
  }
  if (continuing) {
    runDir = resolve(options.out!);
    record = runRecordOf(runDir);
    // A run continues with the config it was started with: changing it halfway would make the
    // resumed run differ from the run it continues, with nothing in the run folder saying so.
    if (options.config && Object.keys(options.config).length > 0) {
      throw new Error(
        `--set ${Object.keys(options.config).join(', ')}: a resumed run keeps the config in ${join(runDir, RUN_FILE)}; start a new run to change it`,
      );
    }
    if (options.steps !== undefined) record.steps = options.steps;
  } else {
    const entry = environmentEntry(options.env);
    const presetName = options.preset ?? presetFor(definition, entry);
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    runDir = resolve(
      options.out ?? join('runs', `${options.agent}-${options.env}-s${options.seed}-${stamp}`),
    );
    if (existsSync(join(runDir, RUN_FILE))) {
      throw new Error(`${runDir} already holds a run; pass --resume to continue it or choose another --out`);
    }
    const steps = options.steps ?? entry.steps;
    record = {
      agent: options.agent,
      env: options.env,
      seed: options.seed,
      preset: presetName,
      steps,
      evalEpisodes: options.evalEpisodes ?? entry.evalEpisodes,
      checkpointEvery: options.checkpointEvery ?? Math.max(1000, Math.ceil(steps / 10)),
      config: definition.makeConfig(presetName, options.config ?? {}),
    };
    mkdirSync(runDir, { recursive: true });
    await writeTextAtomic(join(runDir, RUN_FILE), `${jsonEncode(record, { indent: 2 })}\n`);
  }
  const { config } = record;
  const agent = agentDefinition(record.agent);
  const entry = environmentEntry(record.env);
  const progress = new ProgressBar({
    totalSteps: record.steps,
    ...(options.progress ? { stream: options.progress } : {}),
  });
  const evaluation = agent.evaluation(config);
  // Ctrl-C (or SIGTERM) finishes the episode under way and leaves a resumable, evaluable run, as
  // Acme's checkpointing runner saves on SIGTERM; a second one quits at once.
  const stop = new AbortController();
  const onSignal = (name: NodeJS.Signals) => {
    if (stop.signal.aborted) process.exit(130);
    log(`\n${name}: stopping after this episode to save the run (again to quit at once)`);
    stop.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const summary = await runExperiment({
    builder: agent.builder(config),
    environmentFactory: (seed) => entry.make(seed),
    networkFactory: agent.networkFactory(config),
    seed: record.seed,
    maxNumActorSteps: record.steps,
    evaluation: {
      every: evaluation.every,
      episodes: evaluation.episodes,
      finalEpisodes: record.evalEpisodes,
      ...(entry.evaluation
        ? { epsilon: entry.evaluation.epsilon, maxEpisodeSteps: entry.evaluation.maxSteps }
        : {}),
    },
    checkpointing: { every: record.checkpointEvery },
    directory: runDir,
    ...(options.resume ? { resume: options.resume } : {}),
    ...(agent.saveModel
      ? { saveModel: (spec, weights, dir) => agent.saveModel!(config, spec, weights, dir) }
      : {}),
    ...(options.progress !== null ? { loggers: [progress] } : {}),
    log,
    title: `${record.agent.toUpperCase()} on ${record.env} (seed ${record.seed})`,
    signal: stop.signal,
  }).finally(() => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  });
  const result: TrainSummary = { env: record.env, agent: record.agent, preset: record.preset, ...summary };
  await writeSummary(runDir, result);
  log(`run folder: ${runDir} (summary.json, episodes.csv/.jsonl, learning_curve.svg, model/, checkpoint/)`);
  return result;
}
