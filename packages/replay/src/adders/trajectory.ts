/**
 * Acme's `Trajectory` (the reverb adders' `Step` with a time axis): what the sequence and episode
 * adders write. Row t holds the observation o_t, the action a_t taken from it, the reward r_t and
 * discount d_t that action produced, and whether o_t started an episode. The last row of an
 * episode holds its final observation with zero action, reward and discount.
 */
import { ArraySpec, type EnvironmentSpec, type NestedSpec } from '@acme-ts/core';
import { isPlainObject, type Key, specLeaves } from '../nest.js';
import type { Table } from '../table.js';

export interface Trajectory<O = unknown, A = unknown, R = unknown, D = unknown, E = unknown> {
  readonly observation: O;
  readonly action: A;
  readonly reward: R;
  readonly discount: D;
  /** uint8 (acme-ts has no bool dtype): 1 where the row's observation started an episode. */
  readonly startOfEpisode: Uint8Array;
  readonly extras?: E;
}

/** A Trajectory of specs, usable wherever a nested spec is (a table signature). */
export type TrajectorySpec = {
  readonly observation: NestedSpec;
  readonly action: NestedSpec;
  readonly reward: NestedSpec;
  readonly discount: NestedSpec;
  readonly startOfEpisode: NestedSpec;
  readonly extras?: NestedSpec;
};

export type StepField = 'observation' | 'action' | 'reward' | 'discount' | 'startOfEpisode' | 'extras';
const FIELDS: readonly StepField[] = [
  'observation',
  'action',
  'reward',
  'discount',
  'startOfEpisode',
  'extras',
];

function withTime(spec: NestedSpec, length: number): NestedSpec {
  if (spec instanceof ArraySpec) return new ArraySpec([length, ...spec.shape], spec.dtype, spec.name);
  if (Array.isArray(spec)) return spec.map((s) => withTime(s as NestedSpec, length));
  const out: Record<string, NestedSpec> = {};
  for (const k of Object.keys(spec)) out[k] = withTime((spec as Record<string, NestedSpec>)[k]!, length);
  return out;
}

/**
 * Acme's `SequenceAdder.signature` / `EpisodeAdder.signature`: every spec with a leading time
 * axis of `sequenceLength` (for episodes and truncated sequences, the longest item: make the
 * table `variableLength`). Bounds are dropped (a padded row need not respect them).
 */
export function trajectorySignature(
  environmentSpec: EnvironmentSpec,
  extrasSpec: NestedSpec | undefined,
  sequenceLength: number,
): TrajectorySpec {
  if (!(Number.isInteger(sequenceLength) && sequenceLength >= 1)) {
    throw new RangeError(`sequenceLength must be an integer >= 1, got ${sequenceLength}`);
  }
  const hasExtras = extrasSpec !== undefined && specLeaves(extrasSpec).length > 0;
  return {
    observation: withTime(environmentSpec.observations, sequenceLength),
    action: withTime(environmentSpec.actions, sequenceLength),
    reward: withTime(environmentSpec.rewards, sequenceLength),
    discount: withTime(environmentSpec.discounts, sequenceLength),
    startOfEpisode: new ArraySpec([sequenceLength], 'uint8', 'startOfEpisode'),
    ...(hasExtras ? { extras: withTime(extrasSpec, sequenceLength) } : {}),
  };
}

/** One leaf of one step: where it comes from in the step's inputs and which column it goes to. */
export interface StepLeaf {
  readonly field: StepField;
  /** Keys inside the field's value. */
  readonly keys: readonly Key[];
  /** The item column (the signature path). */
  readonly path: string;
  /** The spec of one step's value (the signature leaf without its time axis). */
  readonly spec: ArraySpec;
  readonly size: number;
}

/** The step leaves of a table whose signature is a Trajectory, and its time length. */
export function stepLeaves(table: Table): { leaves: StepLeaf[]; length: number; hasExtras: boolean } {
  const signature = table.signature;
  if (!isPlainObject(signature)) throw new RangeError(`table "${table.name}" signature is not a Trajectory`);
  const keys = Object.keys(signature);
  const missing = FIELDS.slice(0, 5).filter((k) => !keys.includes(k));
  const extra = keys.filter((k) => !FIELDS.includes(k as StepField));
  if (missing.length > 0 || extra.length > 0) {
    throw new RangeError(
      `table "${table.name}" signature must be a Trajectory { ${FIELDS.join(', ')}? } (SequenceAdder.signature): ` +
        `${missing.length ? `missing ${missing.join(', ')}` : ''}${extra.length ? ` unexpected ${extra.join(', ')}` : ''}`,
    );
  }
  let length = 0;
  const leaves = table.layout.leaves.map((leaf) => {
    const shape = leaf.spec.shape;
    if (shape.length === 0 || (length !== 0 && shape[0] !== length)) {
      throw new RangeError(
        `table "${table.name}": every signature leaf needs the same leading time axis ("${leaf.path}")`,
      );
    }
    length = shape[0]!;
    const spec = new ArraySpec(shape.slice(1), leaf.spec.dtype, leaf.spec.name);
    return {
      field: leaf.keys[0] as StepField,
      keys: leaf.keys.slice(1),
      path: leaf.path,
      spec,
      size: spec.size,
    };
  });
  return { leaves, length, hasExtras: keys.includes('extras') };
}
