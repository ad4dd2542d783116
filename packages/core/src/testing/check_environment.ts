/**
 * A conformance check of the dm_env contract (dm_env's EnvironmentTestMixin, plus what acme-ts
 * promises on top), runnable on any environment or wrapper stack from any test runner:
 *
 * - reset() gives FIRST with null reward and discount, twice in a row;
 * - a step on a fresh environment is FIRST, the next one is not;
 * - over a long run every observation, reward and discount validates against its spec, every
 *   discount lies in [0, 1], the step after LAST is FIRST and no other step is FIRST;
 * - returned observations are never modified later by the environment (the ownership rule);
 * - invalid actions throw an error that names the action spec, and leave the state untouched
 *   (the run afterwards equals that of a twin that never saw them);
 * - two environments built with the same seed produce the same trajectory.
 *
 * Throws an Error describing the first violation; returns what it saw.
 */
import type { Environment } from '../environment.js';
import { Random } from '../random.js';
import { ArraySpec } from '../specs/array.js';
import { BoundedArray } from '../specs/bounded_array.js';
import { DiscreteArray } from '../specs/discrete_array.js';
import { TYPED_ARRAY, type TypedArray } from '../specs/dtype.js';
import { flattenSpec, type NestedSpec, validateNested } from '../specs/nested.js';
import { StepType, TimeStep } from '../time_step.js';
import { makeActionSampler } from './random_actor.js';

type AnyEnvironment = Environment<unknown, unknown, unknown, unknown>;
type AnyTimeStep = TimeStep<unknown, unknown, unknown>;

export interface EnvironmentCheckOptions {
  /** Builds a fresh environment for a seed; called several times. */
  make: (seed: number) => AnyEnvironment;
  /** The action at step `t` of a run (default: uniform over the action spec from `rng`). */
  actionFor?: (t: number, rng: Random) => unknown;
  /** Steps of the long run and of the determinism run (default 300). */
  steps?: number;
  seed?: number;
  /** Fail when the long run never reaches LAST (default true): the LAST -> FIRST rule needs one. */
  requireLast?: boolean;
  /** Values the action spec must reject (default: derived from the spec). */
  invalidActions?: unknown[];
}

export interface EnvironmentCheckReport {
  steps: number;
  episodes: number;
  invalidActionsChecked: number;
}

class ConformanceError extends Error {
  override name = 'ConformanceError';
}

function check(condition: boolean, message: string): asserts condition {
  if (!condition) throw new ConformanceError(message);
}

export function checkEnvironment(options: EnvironmentCheckOptions): EnvironmentCheckReport {
  const { make, steps = 300, seed = 1, requireLast = true } = options;
  const probe = make(seed);
  const actionSpec = probe.actionSpec();
  const actionFor = options.actionFor ?? defaultActions(actionSpec);
  const invalidActions = options.invalidActions ?? defaultInvalidActions(actionSpec);
  const specs = {
    observation: probe.observationSpec(),
    reward: probe.rewardSpec(),
    discount: probe.discountSpec(),
  };
  probe.close();

  const validate = (ts: unknown, where: string): AnyTimeStep => {
    check(ts instanceof TimeStep, `${where}: expected a TimeStep, got ${String(ts)}`);
    check(
      ts.stepType === StepType.FIRST || ts.stepType === StepType.MID || ts.stepType === StepType.LAST,
      `${where}: invalid step type ${String(ts.stepType)}`,
    );
    const label = `${where} (${StepType[ts.stepType]})`;
    try {
      validateNested(specs.observation, ts.observation, 'observation');
    } catch (err) {
      throw new ConformanceError(`${label}: observation does not conform: ${(err as Error).message}`);
    }
    if (ts.stepType === StepType.FIRST) {
      check(ts.reward === null, `${label}: a FIRST step must have a null reward, got ${String(ts.reward)}`);
      check(
        ts.discount === null,
        `${label}: a FIRST step must have a null discount, got ${String(ts.discount)}`,
      );
      return ts;
    }
    try {
      validateNested(specs.reward, ts.reward, 'reward');
      validateNested(specs.discount, ts.discount, 'discount');
    } catch (err) {
      throw new ConformanceError(`${label}: ${(err as Error).message}`);
    }
    forEachNumber(ts.discount, (d) => check(d >= 0 && d <= 1, `${label}: discount ${d} is outside [0, 1]`));
    return ts;
  };

  // reset() twice.
  {
    const env = make(seed);
    check(validate(env.reset(), 'first reset()').stepType === StepType.FIRST, 'reset() must return FIRST');
    check(env.reset().stepType === StepType.FIRST, 'second reset() must be FIRST');
    env.close();
  }
  // A step on a fresh environment is a reset; the one after it is not.
  {
    const env = make(seed);
    const rng = new Random(seed);
    const first = validate(env.step(actionFor(0, rng)), 'step() on a fresh environment');
    check(first.stepType === StepType.FIRST, 'step() on a fresh environment must return FIRST');
    const second = validate(env.step(actionFor(1, rng)), 'second step() on a fresh environment');
    check(second.stepType !== StepType.FIRST, 'the step after the first step() must not be FIRST');
    env.close();
  }

  // The long run, keeping every observation to catch later mutation.
  const run = (env: AnyEnvironment, rng: Random, n: number, keep: boolean) => {
    const seen: AnyTimeStep[] = [];
    const snapshots: unknown[] = [];
    let previous = validate(env.reset(), 'reset()');
    seen.push(previous);
    if (keep) snapshots.push(deepCopy(previous.observation));
    let episodes = 0;
    for (let t = 0; t < n; t++) {
      const ts = validate(env.step(actionFor(t, rng)), `step ${t}`);
      if (previous.stepType === StepType.LAST) {
        check(ts.stepType === StepType.FIRST, `step ${t}: the step after a LAST step must be FIRST`);
      } else {
        check(ts.stepType !== StepType.FIRST, `step ${t}: only the step after a LAST step may be FIRST`);
      }
      if (ts.stepType === StepType.LAST) episodes += 1;
      seen.push(ts);
      if (keep) snapshots.push(deepCopy(ts.observation));
      previous = ts;
    }
    if (keep) {
      seen.forEach((ts, i) => {
        check(
          deepEqual(ts.observation, snapshots[i]),
          `the observation returned at step ${i - 1} was modified by a later step`,
        );
      });
    }
    return { seen, episodes };
  };

  const main = make(seed);
  const { seen, episodes } = run(main, new Random(seed), steps, true);
  main.close();
  if (requireLast)
    check(episodes > 0, `no LAST step in ${steps} steps: pass more steps or a terminating actionFor`);

  // Same seed, same trajectory.
  const twin = make(seed);
  const again = run(twin, new Random(seed), steps, false).seen;
  twin.close();
  for (let i = 0; i < seen.length; i++) {
    check(
      sameTimeStep(seen[i]!, again[i]!),
      `two environments made with seed ${seed} differ at step ${i - 1}`,
    );
  }

  // Invalid actions: rejected with the spec's name, and without side effects.
  const specName = actionSpec instanceof ArraySpec ? actionSpec.name : '';
  let invalidChecked = 0;
  if (invalidActions.length > 0) {
    const env = make(seed);
    const reference = make(seed);
    const rng = new Random(seed);
    const referenceRng = new Random(seed);
    env.reset();
    reference.reset();
    let t = 0;
    let ts = env.step(actionFor(t, rng));
    reference.step(actionFor(t++, referenceRng));
    // Reach a mid-episode step so that the action is really used.
    while (ts.stepType !== StepType.MID && t < steps) {
      ts = env.step(actionFor(t, rng));
      reference.step(actionFor(t++, referenceRng));
    }
    check(ts.stepType === StepType.MID, 'could not reach a MID step to test invalid actions');
    for (const bad of invalidActions) {
      let error: unknown;
      try {
        env.step(bad);
      } catch (err) {
        error = err;
      }
      check(
        error instanceof Error,
        `step(${describe(bad)}) was accepted; the action spec ${String(actionSpec)} excludes it`,
      );
      check(
        specName === '' || (error as Error).message.includes(specName),
        `the error for step(${describe(bad)}) does not name the action spec "${specName}": ${(error as Error).message}`,
      );
      invalidChecked += 1;
    }
    for (let k = 0; k < 5; k++, t++) {
      const a = env.step(actionFor(t, rng));
      const b = reference.step(actionFor(t, referenceRng));
      check(
        sameTimeStep(a, b),
        'an invalid action changed the environment (its next steps differ from a twin)',
      );
    }
    env.close();
    reference.close();
  }

  // close() twice is harmless.
  const closing = make(seed);
  closing.reset();
  closing.close();
  closing.close();

  return { steps, episodes, invalidActionsChecked: invalidChecked };
}

function defaultActions(spec: NestedSpec): (t: number, rng: Random) => unknown {
  const leaves = flattenSpec(spec);
  if (leaves.every((s) => s instanceof BoundedArray)) {
    const sample = makeActionSampler(spec);
    return (_t, rng) => sample(rng);
  }
  // Unbounded actions: the spec's generated value (zeros), as dm_env's mixin does.
  return () => (spec instanceof ArraySpec ? spec.generateValue() : undefined);
}

function defaultInvalidActions(spec: NestedSpec): unknown[] {
  if (spec instanceof DiscreteArray) return [spec.numValues, -1, 0.5, Number.NaN, 'a', null];
  if (spec instanceof BoundedArray) {
    const out: unknown[] = ['a', null];
    const Ctor = TYPED_ARRAY[spec.dtype];
    if (spec.isScalar) {
      out.push(Number.NaN);
      if (Number.isFinite(spec.maximum[0]!)) out.push(spec.maximum[0]! + 1);
    } else {
      out.push(new Ctor(spec.size + 1));
      const other = spec.dtype === 'float64' ? Float32Array : Float64Array;
      out.push(new other(spec.size));
      if (Number.isFinite(spec.maximum[0]!)) {
        const above = spec.generateValue() as TypedArray;
        above[0] = spec.maximum[0]! + 1;
        out.push(above);
      }
    }
    return out;
  }
  if (spec instanceof ArraySpec) return ['a', null];
  return [];
}

function forEachNumber(value: unknown, fn: (x: number) => void): void {
  if (typeof value === 'number') {
    fn(value);
  } else if (ArrayBuffer.isView(value)) {
    for (const x of value as TypedArray) fn(x);
  } else if (Array.isArray(value)) {
    for (const v of value) forEachNumber(v, fn);
  } else if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) forEachNumber(v, fn);
  }
}

function deepCopy(value: unknown): unknown {
  if (ArrayBuffer.isView(value)) return (value as TypedArray).slice();
  if (Array.isArray(value)) return value.map(deepCopy);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, deepCopy(v)]));
  }
  return value;
}

/** Structural equality; NaN equals NaN; typed arrays must share their class. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a === b || (Number.isNaN(a) && Number.isNaN(b));
  if (ArrayBuffer.isView(a) || ArrayBuffer.isView(b)) {
    if (!ArrayBuffer.isView(a) || !ArrayBuffer.isView(b) || a.constructor !== b.constructor) return false;
    const x = a as TypedArray;
    const y = b as TypedArray;
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) {
      if (x[i] !== y[i] && !(Number.isNaN(x[i]!) && Number.isNaN(y[i]!))) return false;
    }
    return true;
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => deepEqual(v, b[i]))
    );
  }
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return (
      ka.length === kb.length &&
      ka.every(
        (k) =>
          Object.hasOwn(b, k) &&
          deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
      )
    );
  }
  return a === b;
}

function sameTimeStep(a: AnyTimeStep, b: AnyTimeStep): boolean {
  return (
    a.stepType === b.stepType &&
    deepEqual(a.reward, b.reward) &&
    deepEqual(a.discount, b.discount) &&
    deepEqual(a.observation, b.observation)
  );
}

function describe(value: unknown): string {
  if (ArrayBuffer.isView(value)) return `${value.constructor.name}(${(value as TypedArray).length})`;
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}
