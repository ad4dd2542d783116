/**
 * The high-level API, for people who want one line per step (in the spirit of Stable-Baselines3,
 * typed): make an agent for an environment, learn, act, evaluate, save, load.
 *
 * ```ts
 * const agent = await makeAgent('dqn', env, { preset: 'cartpole' });
 * await agent.learn(20_000);
 * const action = agent.act(observation);
 * await agent.save('my-agent');
 * const again = await loadAgent('my-agent');
 * ```
 *
 * Underneath it is `runExperiment` on the agent's registered builder, in a working folder that
 * holds the run's checkpoints and model, so `learn` can be called again to continue where the last
 * call stopped (from its checkpoint, exactly), and `save` is a copy of that folder.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  type Environment,
  type EnvironmentSpec,
  jsonDecode,
  jsonEncode,
  type Logger,
  makeEnvironmentSpec,
  writeTextAtomic,
} from '@acme-ts/core';
import { specFromJson, specToJson } from '@acme-ts/replay';
import { selectBackend } from '@acme-ts/tf';
import { type EvaluationResult, evaluateActor } from './experiments/evaluation.js';
import { type ExperimentSummary, runExperiment } from './experiments/run_experiment.js';
import { type AgentDefinition, agentDefinition, type LoadedActor } from './registry.js';

type DiscreteEnvironment = Environment<ArrayLike<number>, number>;
/**
 * An environment, or a factory of seeded ones (then training and evaluation get their own). Any
 * observation and action types are taken here: the agent checks the specs when it is made.
 */
// biome-ignore lint/suspicious/noExplicitAny: environments of any declared type; their specs are what is checked
type AnyEnvironment = Environment<any, any>;
export type EnvironmentSource = AnyEnvironment | ((seed: number) => AnyEnvironment);

export interface MakeAgentOptions {
  /** One of the agent's presets (default: the agent's choice for this environment). */
  preset?: string;
  /** Overrides of the preset's config, checked by the agent's schema. */
  config?: Record<string, unknown>;
  seed?: number;
  /** The working folder (checkpoints, model); default: a new temporary folder. */
  directory?: string;
}

export interface LearnOptions {
  /** Called with each training episode's record (Acme loggers: a progress bar, a callback). */
  callbacks?: Logger[];
  /** Episodes of the evaluation after learning (default 10; 0: none). */
  evaluationEpisodes?: number;
  /** Lines for people (resumes, results). */
  log?: (line: string) => void;
}

const AGENT_FILE = 'agent.json';
let backend: Promise<unknown> | undefined;

/** Starts TensorFlow.js's backend once (the first agent made or loaded does it). */
function ensureBackend(): Promise<unknown> {
  backend ??= selectBackend({ log: false });
  return backend;
}

function factoryOf(source: EnvironmentSource): (seed: number) => DiscreteEnvironment {
  return (typeof source === 'function' ? source : () => source) as (seed: number) => DiscreteEnvironment;
}

export class TrainedAgent {
  readonly agent: AgentDefinition;
  readonly config: unknown;
  readonly preset: string;
  readonly seed: number;
  readonly spec: EnvironmentSpec;
  /** The working folder: checkpoints and the current model. */
  readonly directory: string;
  #environment: EnvironmentSource | undefined;
  #steps: number;
  #acting: LoadedActor | undefined;

  constructor(init: {
    agent: AgentDefinition;
    config: unknown;
    preset: string;
    seed: number;
    spec: EnvironmentSpec;
    directory: string;
    environment?: EnvironmentSource;
    steps?: number;
  }) {
    this.agent = init.agent;
    this.config = init.config;
    this.preset = init.preset;
    this.seed = init.seed;
    this.spec = init.spec;
    this.directory = init.directory;
    this.#environment = init.environment;
    this.#steps = init.steps ?? 0;
  }

  /** Environment steps learned so far. */
  get steps(): number {
    return this.#steps;
  }

  /** Learns for `steps` more environment steps (the last episode finishes). */
  async learn(steps: number, options: LearnOptions = {}): Promise<ExperimentSummary> {
    if (!(Number.isInteger(steps) && steps >= 1))
      throw new RangeError(`steps must be an integer >= 1, got ${steps}`);
    if (!this.#environment) {
      throw new Error(
        'learn needs an environment: pass one to loadAgent(dir, environment) to continue learning',
      );
    }
    await ensureBackend();
    const evaluation = this.agent.evaluation(this.config);
    const summary = await runExperiment({
      builder: this.agent.builder(this.config),
      environmentFactory: factoryOf(this.#environment),
      networkFactory: this.agent.networkFactory(this.config),
      seed: this.seed,
      maxNumActorSteps: this.#steps + steps,
      evaluation: { ...evaluation, finalEpisodes: options.evaluationEpisodes ?? 10 },
      checkpointing: { every: Math.max(1000, Math.ceil(steps / 10)) },
      directory: this.directory,
      ...(this.#steps > 0 ? { resume: true } : {}),
      ...(this.agent.saveModel
        ? { saveModel: (spec, weights, dir) => this.agent.saveModel!(this.config, spec, weights, dir) }
        : {}),
      ...(options.callbacks ? { loggers: options.callbacks } : {}),
      ...(options.log ? { log: options.log } : {}),
    });
    this.#steps = summary.envSteps;
    this.#acting?.dispose();
    this.#acting = undefined;
    await this.#writeRecord();
    return summary;
  }

  /** The greedy action for `observation` (no exploration). */
  act(observation: ArrayLike<number>): number {
    if (!this.#acting) throw new Error('act: the agent has no model yet; call learn() first');
    return this.#acting.actor.selectAction(observation);
  }

  /** Greedy return over `episodes` episodes of `environment` (nothing learns). */
  evaluate(environment: AnyEnvironment, episodes = 10): EvaluationResult {
    if (!this.#acting) throw new Error('evaluate: the agent has no model yet; call learn() first');
    return evaluateActor(environment as DiscreteEnvironment, this.#acting.actor, episodes);
  }

  /** Copies the agent (record, model and checkpoints) into folder `dir`. */
  async save(dir: string): Promise<void> {
    const target = resolve(dir);
    if (target !== resolve(this.directory)) {
      mkdirSync(target, { recursive: true });
      cpSync(this.directory, target, { recursive: true });
    }
  }

  /** Loads the saved model for acting (after learn, or when loaded). */
  async prepareActing(): Promise<void> {
    if (this.#acting || !this.agent.loadActor || !existsSync(join(this.directory, 'model'))) return;
    await ensureBackend();
    this.#acting = await this.agent.loadActor(this.config, this.spec, join(this.directory, 'model'));
  }

  dispose(): void {
    this.#acting?.dispose();
    this.#acting = undefined;
  }

  async #writeRecord(): Promise<void> {
    const record = {
      agent: this.agent.name,
      preset: this.preset,
      seed: this.seed,
      steps: this.#steps,
      config: this.config,
      spec: specToJson(this.spec as never),
    };
    await writeTextAtomic(join(this.directory, AGENT_FILE), `${jsonEncode(record, { indent: 2 })}\n`);
    await this.prepareActing();
  }
}

/** A new agent of the registered kind `name` for `environment`. */
export async function makeAgent(
  name: string,
  environment: EnvironmentSource,
  options: MakeAgentOptions = {},
): Promise<TrainedAgent> {
  const agent = agentDefinition(name);
  await ensureBackend();
  const spec = makeEnvironmentSpec(factoryOf(environment)(options.seed ?? 0));
  const preset = options.preset ?? agent.defaultPreset(spec);
  const config = agent.makeConfig(preset, options.config ?? {}, `makeAgent('${name}') (preset ${preset})`);
  const directory = resolve(options.directory ?? mkdtempSync(join(tmpdir(), `acme-${name}-`)));
  mkdirSync(directory, { recursive: true });
  return new TrainedAgent({ agent, config, preset, seed: options.seed ?? 0, spec, directory, environment });
}

/**
 * The agent saved in `dir`. With `environment` it can learn on; without, it acts and evaluates.
 * The record and its config are checked as they are read.
 */
export async function loadAgent(dir: string, environment?: EnvironmentSource): Promise<TrainedAgent> {
  const file = join(resolve(dir), AGENT_FILE);
  if (!existsSync(file)) throw new Error(`${dir} holds no saved agent (no ${AGENT_FILE})`);
  const record = jsonDecode(readFileSync(file, 'utf8'), file) as Record<string, unknown>;
  if (typeof record?.agent !== 'string') throw new Error(`${file}: agent must be a registered agent's name`);
  const agent = agentDefinition(record.agent);
  const config = agent.parseConfig(record.config, `${file} (config)`);
  if (!(Number.isInteger(record.seed) && (record.seed as number) >= 0))
    throw new Error(`${file}: seed must be an integer >= 0`);
  if (!(Number.isInteger(record.steps) && (record.steps as number) >= 0))
    throw new Error(`${file}: steps must be an integer >= 0`);
  const loaded = new TrainedAgent({
    agent,
    config,
    preset: String(record.preset),
    seed: record.seed as number,
    spec: specFromJson(record.spec) as unknown as EnvironmentSpec,
    directory: resolve(dir),
    ...(environment ? { environment } : {}),
    steps: record.steps as number,
  });
  await loaded.prepareActing();
  return loaded;
}
