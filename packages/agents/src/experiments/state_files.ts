/**
 * A run's state as files of one checkpoint generation, for any agent:
 *
 * ```text
 * state.json    the state tree (core's jsonEncode: Infinity and small typed arrays kept), where each
 *               large typed array is a reference {"$array": i}
 * weights.bin   the large typed arrays, one after another, each at an 8-byte boundary
 * table.ckpt    the replay tables (table.1.ckpt, ... when an agent has several)
 * ```
 *
 * Weights, Adam's moments and best weights are megabytes of floats: as raw bytes they cost no
 * encoding and no base64 growth. The Checkpointer verifies every file before these are read.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { jsonDecode, jsonEncode, TYPED_ARRAY, type TypedArray } from '@acme-ts/core';
import { Table } from '@acme-ts/replay';

export const STATE = 'state.json';
export const ARRAYS = 'weights.bin';
const STATE_VERSION = 3;
/** Typed arrays with at least this many elements go to weights.bin. */
const INLINE_LIMIT = 64;

interface ArrayRef {
  $array: number;
}

interface ArrayEntry {
  dtype: string;
  offset: number;
  length: number;
}

export function tableFile(index: number): string {
  return index === 0 ? 'table.ckpt' : `table.${index}.ckpt`;
}

/** Writes `state` and `tables` into `folder` (a generation being written). */
export async function writeStateFiles(
  folder: string,
  state: unknown,
  tables: readonly Table[],
): Promise<void> {
  const arrays: TypedArray[] = [];
  const tree = extract(state, arrays);
  const layout: ArrayEntry[] = [];
  let offset = 0;
  for (const a of arrays) {
    offset = Math.ceil(offset / 8) * 8;
    layout.push({ dtype: dtypeName(a), offset, length: a.length });
    offset += a.byteLength;
  }
  const bytes = new Uint8Array(offset);
  arrays.forEach((a, i) => {
    bytes.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), layout[i]!.offset);
  });
  await writeFile(join(folder, ARRAYS), bytes);
  for (const [i, table] of tables.entries()) await table.checkpoint(join(folder, tableFile(i)));
  await writeFile(
    join(folder, STATE),
    `${jsonEncode({ version: STATE_VERSION, tables: tables.length, arrays: layout, state: tree })}\n`,
  );
}

/** Reads what `writeStateFiles` wrote; throws naming the file and what is wrong. */
export async function readStateFiles(folder: string): Promise<{ state: unknown; tables: Table[] }> {
  const file = jsonDecode(await readFile(join(folder, STATE), 'utf8'), STATE) as {
    version?: unknown;
    tables?: unknown;
    arrays?: unknown;
    state?: unknown;
  };
  if (file?.version !== STATE_VERSION) {
    throw new Error(
      `${STATE}: version ${JSON.stringify(file?.version)}, this version of acme-ts reads ${STATE_VERSION}`,
    );
  }
  if (!(Number.isInteger(file.tables) && (file.tables as number) >= 0))
    throw new Error(`${STATE}: bad table count`);
  if (!Array.isArray(file.arrays)) throw new Error(`${STATE}: no array layout`);
  const bytes = await readFile(join(folder, ARRAYS));
  const arrays = (file.arrays as ArrayEntry[]).map((entry, i) => {
    const ctor = TYPED_ARRAY[entry?.dtype as keyof typeof TYPED_ARRAY];
    const ok =
      ctor !== undefined &&
      Number.isInteger(entry.offset) &&
      Number.isInteger(entry.length) &&
      entry.offset >= 0 &&
      entry.length >= 0 &&
      entry.offset % ctor.BYTES_PER_ELEMENT === 0 &&
      entry.offset + entry.length * ctor.BYTES_PER_ELEMENT <= bytes.byteLength;
    if (!ok)
      throw new Error(
        `${STATE}: array ${i} (${JSON.stringify(entry)}) does not lie inside ${ARRAYS} (${bytes.byteLength} bytes)`,
      );
    const copy = bytes.buffer.slice(
      bytes.byteOffset + entry.offset,
      bytes.byteOffset + entry.offset + entry.length * ctor.BYTES_PER_ELEMENT,
    );
    return new (ctor as unknown as new (b: ArrayBuffer) => TypedArray)(copy);
  });
  const state = insert(file.state, arrays);
  const tables: Table[] = [];
  try {
    for (let i = 0; i < (file.tables as number); i++) {
      try {
        tables.push(await Table.restore(join(folder, tableFile(i))));
      } catch (err) {
        throw new Error(`${tableFile(i)}: ${(err as Error).message}`);
      }
    }
  } catch (err) {
    for (const t of tables) t.close();
    throw err;
  }
  return { state, tables };
}

function dtypeName(a: TypedArray): string {
  for (const [name, ctor] of Object.entries(TYPED_ARRAY)) if (a instanceof ctor) return name;
  throw new TypeError(`a ${a.constructor.name} cannot be checkpointed`);
}

/** The tree with large typed arrays replaced by references into `out`. */
function extract(value: unknown, out: TypedArray[]): unknown {
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const a = value as TypedArray;
    if (a.length < INLINE_LIMIT) return a;
    out.push(a);
    return { $array: out.length - 1 } satisfies ArrayRef;
  }
  if (Array.isArray(value)) return value.map((v) => extract(v, out));
  if (value !== null && typeof value === 'object') {
    const obj: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) obj[k] = extract(v, out);
    return obj;
  }
  return value;
}

function insert(value: unknown, arrays: readonly TypedArray[]): unknown {
  if (Array.isArray(value)) return value.map((v) => insert(v, arrays));
  if (value !== null && typeof value === 'object' && !ArrayBuffer.isView(value)) {
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === '$array') {
      const i = (value as ArrayRef).$array;
      const a = arrays[i];
      if (!a)
        throw new Error(
          `${STATE}: reference to array ${JSON.stringify(i)}, ${ARRAYS} holds ${arrays.length}`,
        );
      return a;
    }
    const obj: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) obj[k] = insert(v, arrays);
    return obj;
  }
  return value;
}
