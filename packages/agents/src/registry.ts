/**
 * The agent registry that the CLI and the high-level API read: an agent is known by name, with its
 * presets, its config schema, and what `runExperiment` needs to train it. DQN registers itself;
 * a new agent is one folder plus one `registerAgent` call.
 */
import type { Actor, EnvironmentSpec } from '@acme-ts/core';
import type { ActorLearnerBuilder, NetworkFactory } from './builders.js';

/** A greedy actor over a saved model, and how to free it. */
export interface LoadedActor {
  actor: Actor<ArrayLike<number>, number>;
  dispose(): void;
}

// biome-ignore lint/suspicious/noExplicitAny: a registry holds agents of every config type
export interface AgentDefinition<Config = any> {
  readonly name: string;
  /** One line for `acme help`. */
  readonly description: string;
  readonly presets: readonly string[];
  /** The preset for an environment when none is named. */
  defaultPreset(spec: EnvironmentSpec): string;
  /** Every key of the config (for `--set` messages). */
  readonly configKeys: readonly string[];
  /** A complete config from a preset and overrides, checked by the agent's schema; `source` names them. */
  makeConfig(preset: string, overrides: Record<string, unknown>, source?: string): Config;
  /** A complete config from untrusted input (a run.json), checked; errors start with `source`. */
  parseConfig(raw: unknown, source: string): Config;
  /** Some fields, each checked alone (`--set key=value`). */
  parseOverrides(raw: Record<string, unknown>, source: string): Record<string, unknown>;
  /** The periodic evaluation the config asks for (every 0: never). */
  evaluation(config: Config): { every: number; episodes: number };
  // biome-ignore lint/suspicious/noExplicitAny: the builder's networks, policy and batch types are the agent's own
  builder(config: Config): ActorLearnerBuilder<any, any, any>;
  // biome-ignore lint/suspicious/noExplicitAny: as above
  networkFactory(config: Config): NetworkFactory<any>;
  /** Writes the delivered policy (flat weights) as a model folder; absent: the run keeps no model. */
  saveModel?(config: Config, spec: EnvironmentSpec, weights: Float32Array, dir: string): Promise<void>;
  /** A greedy actor from a model folder written by `saveModel`. */
  loadActor?(config: Config, spec: EnvironmentSpec, dir: string): Promise<LoadedActor>;
}

const agents = new Map<string, AgentDefinition>();

/** Registers an agent under its name; a name is taken once unless `replace` is set. */
export function registerAgent(definition: AgentDefinition, options: { replace?: boolean } = {}): void {
  if (typeof definition?.name !== 'string' || !/^[a-z][a-z0-9_-]*$/.test(definition.name)) {
    throw new TypeError(
      `definition.name must be lower-case letters, digits, - or _, got ${JSON.stringify(definition?.name)}`,
    );
  }
  if (agents.has(definition.name) && !options.replace) {
    throw new Error(
      `agent ${definition.name} is already registered; pass { replace: true } to register it again`,
    );
  }
  agents.set(definition.name, definition);
}

/** The registered agent called `name`; an unknown name is an error listing the known ones. */
export function agentDefinition(name: string): AgentDefinition {
  const definition = agents.get(name);
  if (!definition) throw new RangeError(`unknown agent "${name}"; choose one of: ${agentNames().join(', ')}`);
  return definition;
}

export function agentNames(): string[] {
  return [...agents.keys()];
}
