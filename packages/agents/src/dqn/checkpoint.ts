/**
 * Checkpoints of a DQN run: learner (online and target weights, Adam's state, step count), replay
 * table, counters, the actor's generator and step count, and whatever the caller adds (the CLI
 * keeps its best-so-far weights there). A checkpoint is a folder written next to the live one and
 * swapped in by renames, each file fsynced first, so a crash at any moment leaves a complete
 * checkpoint behind: the new one, or the previous one under `<dir>.prev`.
 */
import { existsSync } from 'node:fs';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Table } from '@acme-ts/replay';
import type { DQNLearnerState } from './learning.js';

const FORMAT = 1;

export interface DQNCheckpoint {
  learner: DQNLearnerState;
  actorSteps: number;
  observations: number;
  actorRandom: number[];
  counter: unknown;
  /** Extra JSON for the caller. */
  extra: Record<string, unknown>;
  /** Extra float arrays for the caller (e.g. best weights). */
  arrays: Record<string, Float32Array>;
}

interface Manifest {
  format: number;
  learnerSteps: number;
  adamBetaPowers?: [number, number];
  actorSteps: number;
  observations: number;
  actorRandom: number[];
  counter: unknown;
  extra: Record<string, unknown>;
  /** Where each array lies in weights.bin, in float32 elements. */
  arrays: { name: string; offset: number; length: number; shape?: number[] }[];
}

async function writeSynced(path: string, data: string | Uint8Array): Promise<void> {
  const handle = await open(path, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function syncDir(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Writes `checkpoint` into folder `dir` (replacing what is there) and the replay `table` beside it. */
export async function saveCheckpoint(dir: string, checkpoint: DQNCheckpoint, table: Table): Promise<void> {
  const tmp = `${dir}.tmp`;
  const prev = `${dir}.prev`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  const arrays: Manifest['arrays'] = [];
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
  const manifest: Manifest = {
    format: FORMAT,
    learnerSteps: checkpoint.learner.steps,
    ...(checkpoint.learner.adamBetaPowers ? { adamBetaPowers: checkpoint.learner.adamBetaPowers } : {}),
    actorSteps: checkpoint.actorSteps,
    observations: checkpoint.observations,
    actorRandom: checkpoint.actorRandom,
    counter: checkpoint.counter,
    extra: checkpoint.extra,
    arrays,
  };
  await writeSynced(join(tmp, 'weights.bin'), new Uint8Array(weights.buffer));
  await table.checkpoint(join(tmp, 'table.ckpt'));
  // The manifest goes last: a folder with a manifest is complete.
  await writeSynced(join(tmp, 'state.json'), `${JSON.stringify(manifest)}\n`);
  await syncDir(tmp);
  await rm(prev, { recursive: true, force: true });
  if (existsSync(dir)) await rename(dir, prev);
  await rename(tmp, dir);
  await syncDir(dirname(dir));
  await rm(prev, { recursive: true, force: true });
}

/** The newest complete checkpoint in `dir` (or its `.prev` left by an interrupted save), if any. */
export function findCheckpoint(dir: string): string | undefined {
  for (const candidate of [dir, `${dir}.prev`]) {
    if (existsSync(join(candidate, 'state.json'))) return candidate;
  }
  return undefined;
}

export async function loadCheckpoint(dir: string): Promise<{ checkpoint: DQNCheckpoint; table: Table }> {
  const found = findCheckpoint(dir);
  if (!found) throw new Error(`no checkpoint in ${dir} (expected ${join(dir, 'state.json')})`);
  const manifest = JSON.parse(await readFile(join(found, 'state.json'), 'utf8')) as Manifest;
  if (manifest.format !== FORMAT) {
    throw new Error(`${found}: checkpoint format ${manifest.format}, this version reads ${FORMAT}`);
  }
  const bytes = await readFile(join(found, 'weights.bin'));
  const all = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const get = (a: Manifest['arrays'][number]) => all.slice(a.offset, a.offset + a.length);
  const byName = new Map(manifest.arrays.map((a) => [a.name, a]));
  const required = (name: string) => {
    const a = byName.get(name);
    if (!a) throw new Error(`${found}: checkpoint has no ${name}`);
    return get(a);
  };
  const optimizer = manifest.arrays
    .filter((a) => a.name.startsWith('optimizer.'))
    .map((a) => ({ name: a.name.slice('optimizer.'.length), shape: a.shape ?? [a.length], values: get(a) }));
  const arrays: Record<string, Float32Array> = {};
  for (const a of manifest.arrays) if (a.name.startsWith('extra.')) arrays[a.name.slice(6)] = get(a);
  const table = await Table.restore(join(found, 'table.ckpt'));
  return {
    table,
    checkpoint: {
      learner: {
        steps: manifest.learnerSteps,
        online: required('learner.online'),
        target: required('learner.target'),
        optimizer,
        ...(manifest.adamBetaPowers ? { adamBetaPowers: manifest.adamBetaPowers } : {}),
      },
      actorSteps: manifest.actorSteps,
      observations: manifest.observations,
      actorRandom: manifest.actorRandom,
      counter: manifest.counter,
      extra: manifest.extra,
      arrays,
    },
  };
}
