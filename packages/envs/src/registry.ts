/**
 * The environment registry, with Gymnasium's ids and semantics: `make('CartPole-v1')` builds a
 * registered environment with its registered defaults (the time limit above all) overridden by the
 * options given; `register(id, factory, defaults)` adds a user's own.
 *
 * ```ts
 * const env = make('CartPole-v1', { seed: 0 });
 * register('MyGrid-v0', (options) => new MyGrid(options), { size: 5 });
 * ```
 *
 * Ids are `[namespace/]Name[-vN]`, as Gymnasium's. Built in: CartPole-v1 (500 steps), Acrobot-v1
 * (500), MountainCar-v0 (200), MountainCarContinuous-v0 (999), Pendulum-v1 (200), and this
 * project's Catch (bsuite's, 10x5) and Breakout (RGB frames; wrap it in AtariWrapper for DQN).
 */
import type { Environment } from '@acme-ts/core';
import { Breakout } from './breakout/breakout.js';
import { Catch } from './bsuite/catch.js';
import { Acrobot } from './classic_control/acrobot.js';
import { CartPole } from './classic_control/cart_pole.js';
import { MountainCar } from './classic_control/mountain_car.js';
import { MountainCarContinuous } from './classic_control/mountain_car_continuous.js';
import { Pendulum } from './classic_control/pendulum.js';

// biome-ignore lint/suspicious/noExplicitAny: a registry holds environments of every observation and action type
export type AnyEnvironment = Environment<any, any>;

/** Builds an environment from its options (registered defaults merged with the caller's). */
export type EnvironmentFactory = (options: Record<string, unknown>) => AnyEnvironment;

export interface EnvironmentRegistration {
  readonly id: string;
  readonly factory: EnvironmentFactory;
  /** Options every `make` starts from (Gymnasium's max_episode_steps and kwargs). */
  readonly defaults: Readonly<Record<string, unknown>>;
}

const ID = /^(?:[A-Za-z0-9_.-]+\/)?[A-Za-z0-9_.]+(?:-[A-Za-z0-9_.]+)*(?:-v\d+)?$/;
const registry = new Map<string, EnvironmentRegistration>();

/**
 * Registers `factory` under `id`. Registering an id twice is an error unless `replace` is set, so
 * two libraries cannot silently take each other's names.
 */
export function register(
  id: string,
  factory: EnvironmentFactory,
  defaults: Record<string, unknown> = {},
  options: { replace?: boolean } = {},
): void {
  if (typeof id !== 'string' || !ID.test(id)) {
    throw new TypeError(`id must look like "[namespace/]Name[-vN]", got ${JSON.stringify(id)}`);
  }
  if (typeof factory !== 'function')
    throw new TypeError(`factory of ${id} must be a function, got ${typeof factory}`);
  if (defaults === null || typeof defaults !== 'object' || Array.isArray(defaults)) {
    throw new TypeError(`defaults of ${id} must be an object of options`);
  }
  if (registry.has(id) && !options.replace) {
    throw new Error(`${id} is already registered; pass { replace: true } to register it again`);
  }
  registry.set(id, { id, factory, defaults: Object.freeze({ ...defaults }) });
}

/** A new environment registered as `id`, with `options` over the registered defaults. */
export function make(id: string, options: Record<string, unknown> = {}): AnyEnvironment {
  const entry = registry.get(id);
  if (!entry) throw new RangeError(unknownId(id));
  return entry.factory({ ...entry.defaults, ...options });
}

/** The registration of `id` (its factory and defaults). */
export function registration(id: string): EnvironmentRegistration {
  const entry = registry.get(id);
  if (!entry) throw new RangeError(unknownId(id));
  return entry;
}

/** Every registered id, sorted. */
export function registeredIds(): string[] {
  return [...registry.keys()].sort();
}

function unknownId(id: string): string {
  const base = (s: string) => s.replace(/-v\d+$/, '').toLowerCase();
  const near = registeredIds().filter((known) => base(known) === base(String(id)));
  const hint =
    near.length > 0 ? `; did you mean ${near.join(' or ')}?` : `; registered: ${registeredIds().join(', ')}`;
  return `unknown environment id ${JSON.stringify(id)}${hint}`;
}

register('CartPole-v1', (o) => new CartPole(o as ConstructorParameters<typeof CartPole>[0]), {
  maxEpisodeSteps: 500,
});
register('Acrobot-v1', (o) => new Acrobot(o as ConstructorParameters<typeof Acrobot>[0]), {
  maxEpisodeSteps: 500,
});
register('MountainCar-v0', (o) => new MountainCar(o as ConstructorParameters<typeof MountainCar>[0]), {
  maxEpisodeSteps: 200,
});
register(
  'MountainCarContinuous-v0',
  (o) => new MountainCarContinuous(o as ConstructorParameters<typeof MountainCarContinuous>[0]),
  { maxEpisodeSteps: 999 },
);
register('Pendulum-v1', (o) => new Pendulum(o as ConstructorParameters<typeof Pendulum>[0]), {
  maxEpisodeSteps: 200,
});
register('Catch', (o) => new Catch(o as ConstructorParameters<typeof Catch>[0]));
register('Breakout', (o) => new Breakout(o as ConstructorParameters<typeof Breakout>[0]));
