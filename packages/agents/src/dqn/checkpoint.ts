/**
 * What a DQN checkpoint holds, as files of one generation of the Checkpointer (which makes them
 * durable and verifies them before anything is read): the learner (online and target weights,
 * Adam's state, step count), the replay table, the counters, the actor's generator and step count,
 * the environments' generators, and whatever the caller adds (the CLI keeps its best-so-far weights
 * there).
 *
 * ```text
 * state.json    scalars, generators, counters, extra: core's jsonEncode, so Infinity and typed
 *               arrays survive; checked against a schema when read
 * weights.bin   every float array, one after another (state.json says where each lies)
 * table.ckpt    the replay table (Table.checkpoint: its own header and checksums)
 * ```
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type CounterState, jsonDecode, jsonEncode } from '@acme-ts/core';
import { Table } from '@acme-ts/replay';
import { z } from 'zod';
import {
  Checkpointer,
  type CheckpointerOptions,
  type CheckpointManifest,
  type RestoredCheckpoint,
} from '../checkpointing/checkpointer.js';
import type { DQNLearnerState } from './learning.js';

const STATE = 'state.json';
const WEIGHTS = 'weights.bin';
const TABLE = 'table.ckpt';
const STATE_VERSION = 2;

export interface DQNCheckpoint {
  learner: DQNLearnerState;
  actorSteps: number;
  observations: number;
  /** The actor's generator state (Random.save()). */
  actorRandom: ArrayLike<number>;
  counter: CounterState;
  /** States of the environments' generators, taken between episodes (Saveable environments). */
  environments?: Record<string, unknown>;
  /** Extra values for the caller. */
  extra: Record<string, unknown>;
  /** Extra float arrays for the caller (e.g. best weights). */
  arrays: Record<string, Float32Array>;
}

const count = z.number().int().nonnegative();
const uint32 = z.number().int().min(0).max(0xffffffff);
const StateSchema = z.object({
  version: z.literal(STATE_VERSION),
  learnerSteps: count,
  adamBetaPowers: z.tuple([z.number().finite(), z.number().finite()]).optional(),
  actorSteps: count,
  observations: count,
  actorRandom: z.union([z.instanceof(Uint32Array), z.array(uint32)]).refine((r) => r.length === 4, {
    message: 'must hold 4 uint32 words',
  }),
  counter: z.object({
    counts: z.record(z.string(), z.number().finite().nonnegative()),
    cache: z.record(z.string(), z.number().finite().nonnegative()),
  }),
  environments: z.record(z.string(), z.unknown()).optional(),
  extra: z.record(z.string(), z.unknown()),
  /** Where each array lies in weights.bin, in float32 elements. */
  arrays: z.array(
    z.object({
      name: z.string(),
      offset: count,
      length: count,
      shape: z.array(count).optional(),
    }),
  ),
});
type State = z.infer<typeof StateSchema>;

/** Writes the files of one checkpoint into `folder` (a Checkpointer generation being written). */
export async function writeDQNCheckpoint(
  folder: string,
  checkpoint: DQNCheckpoint,
  table: Table,
): Promise<void> {
  const arrays: State['arrays'] = [];
  const parts: Float32Array[] = [];
  let offset = 0;
  const add = (name: string, values: Float32Array, shape?: number[]) => {
    arrays.push({ name, offset, length: values.length, ...(shape ? { shape } : {}) });
    parts.push(values);
    offset += values.length;
  };
  add('learner.online', checkpoint.learner.online);
  add('learner.target', checkpoint.learner.target);
  for (const w of checkpoint.learner.optimizer) add(`optimizer.${w.name}`, w.values, w.shape);
  for (const [name, values] of Object.entries(checkpoint.arrays)) add(`extra.${name}`, values);
  const weights = new Float32Array(offset);
  let at = 0;
  for (const p of parts) {
    weights.set(p, at);
    at += p.length;
  }
  const state: State = {
    version: STATE_VERSION,
    learnerSteps: checkpoint.learner.steps,
    ...(checkpoint.learner.adamBetaPowers ? { adamBetaPowers: checkpoint.learner.adamBetaPowers } : {}),
    actorSteps: checkpoint.actorSteps,
    observations: checkpoint.observations,
    actorRandom: Uint32Array.from(checkpoint.actorRandom),
    counter: checkpoint.counter,
    ...(checkpoint.environments ? { environments: checkpoint.environments } : {}),
    extra: checkpoint.extra,
    arrays,
  };
  // What is written is what a reader will accept: a bad value fails the save, not the resume.
  parseState(state, STATE);
  await writeFile(join(folder, WEIGHTS), new Uint8Array(weights.buffer));
  await table.checkpoint(join(folder, TABLE));
  await writeFile(join(folder, STATE), `${jsonEncode(state)}\n`);
}

/** Reads and checks the files of one checkpoint; throws naming the file and what is wrong. */
export async function readDQNCheckpoint(
  folder: string,
): Promise<{ checkpoint: DQNCheckpoint; table: Table }> {
  const state = parseState(jsonDecode(await readFile(join(folder, STATE), 'utf8'), STATE), STATE);
  const bytes = await readFile(join(folder, WEIGHTS));
  if (bytes.byteLength % 4 !== 0)
    throw new Error(`${WEIGHTS} has ${bytes.byteLength} bytes, not whole float32 values`);
  const all = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  for (const a of state.arrays) {
    if (a.offset + a.length > all.length) {
      throw new Error(
        `${STATE}: array ${a.name} ends at ${a.offset + a.length}, ${WEIGHTS} holds ${all.length} values`,
      );
    }
    if (a.shape && a.shape.reduce((x, y) => x * y, 1) !== a.length) {
      throw new Error(`${STATE}: array ${a.name} has shape [${a.shape}] but ${a.length} values`);
    }
  }
  const get = (a: State['arrays'][number]) => all.slice(a.offset, a.offset + a.length);
  const byName = new Map(state.arrays.map((a) => [a.name, a]));
  const required = (name: string) => {
    const a = byName.get(name);
    if (!a) throw new Error(`${STATE} has no array ${name}`);
    return get(a);
  };
  const optimizer = state.arrays
    .filter((a) => a.name.startsWith('optimizer.'))
    .map((a) => ({ name: a.name.slice('optimizer.'.length), shape: a.shape ?? [a.length], values: get(a) }));
  const arrays: Record<string, Float32Array> = {};
  for (const a of state.arrays)
    if (a.name.startsWith('extra.')) arrays[a.name.slice('extra.'.length)] = get(a);
  let table: Table;
  try {
    table = await Table.restore(join(folder, TABLE));
  } catch (err) {
    throw new Error(`${TABLE}: ${(err as Error).message}`);
  }
  return {
    table,
    checkpoint: {
      learner: {
        steps: state.learnerSteps,
        online: required('learner.online'),
        target: required('learner.target'),
        optimizer,
        ...(state.adamBetaPowers ? { adamBetaPowers: state.adamBetaPowers } : {}),
      },
      actorSteps: state.actorSteps,
      observations: state.observations,
      actorRandom: Uint32Array.from(state.actorRandom),
      counter: state.counter,
      ...(state.environments ? { environments: state.environments } : {}),
      extra: state.extra,
      arrays,
    },
  };
}

/** Writes `checkpoint` and the replay `table` as a new generation in the checkpoint folder `dir`. */
export async function saveCheckpoint(
  dir: string,
  checkpoint: DQNCheckpoint,
  table: Table,
  options: CheckpointerOptions = {},
): Promise<CheckpointManifest> {
  return new Checkpointer(dir, options).save(
    (folder) => writeDQNCheckpoint(folder, checkpoint, table),
    checkpoint.counter.counts,
  );
}

/**
 * The newest usable checkpoint in `dir` (see Checkpointer.restore: damaged generations are skipped
 * with a warning), or undefined when `dir` holds none.
 */
export async function loadCheckpoint(
  dir: string,
): Promise<RestoredCheckpoint<{ checkpoint: DQNCheckpoint; table: Table }> | undefined> {
  return new Checkpointer(dir).restore((folder) => readDQNCheckpoint(folder));
}

function parseState(value: unknown, source: string): State {
  const result = StateSchema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const key = issue.path.join('.') || '(top level)';
  const got = issue.path.reduce<unknown>(
    (v, k) => (v as Record<PropertyKey, unknown>)?.[k as PropertyKey],
    value,
  );
  throw new Error(`${source}: ${key} ${issue.message} (got ${describe(got)})`);
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (ArrayBuffer.isView(value)) return `${value.constructor.name} of ${(value as Uint8Array).length}`;
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (value !== null && typeof value === 'object') return 'an object';
  return String(value);
}
