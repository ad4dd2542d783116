/**
 * Checkpoints that never lose a run, for every agent: a checkpoint folder holds numbered
 * generations, each a folder of files with a manifest that lists every file's size and SHA-256.
 *
 * ```text
 * checkpoint/
 *   gen-000000007/   weights.bin  table.ckpt  state.json  MANIFEST.json
 *   gen-000000008/   ...
 * ```
 *
 * Writing (`save`): the files go into `gen-N.tmp/`; each is read back, hashed and fsynced; the
 * manifest (format, version, counters, files) is written and fsynced last; the folder is fsynced,
 * renamed to `gen-N` and the parent fsynced. Only then are generations older than the newest
 * `keep` removed. A crash at any instant therefore leaves every earlier complete generation in
 * place, plus at most a `*.tmp` folder that readers ignore.
 *
 * Reading (`restore`): newest generation first, every file is checked against the manifest before
 * the caller's loader sees any of it; a generation that fails (a missing, truncated or altered file,
 * or a loader that rejects what it reads) is renamed `gen-N.damaged` and the previous one is tried,
 * with a warning naming the file and the damage. When no generation is usable the error lists each
 * one's damage. Nothing here ever starts a run from zero: that is the caller's explicit choice.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { jsonDecode, jsonEncode, writeTextAtomic } from '@acme-ts/core';

export const MANIFEST = 'MANIFEST.json';
const FORMAT = 'acme-ts checkpoint';
const VERSION = 1;
const ANY_GENERATION = /^gen-(\d{9})(\.tmp|\.damaged)?$/;

export interface ManifestFile {
  name: string;
  bytes: number;
  sha256: string;
}

export interface CheckpointManifest {
  format: typeof FORMAT;
  version: number;
  generation: number;
  createdAt: string;
  /** The run's counters when it was written (steps, episodes, ...), for people and tools. */
  counters: Record<string, number>;
  files: ManifestFile[];
}

/** MANIFEST.json: the manifest and the SHA-256 of its own encoding, so damage to it is named as such. */
interface ManifestFileContent {
  manifest: CheckpointManifest;
  sha256: string;
}

export interface RestoredCheckpoint<T> {
  value: T;
  generation: number;
  /** The generation's folder. */
  path: string;
  manifest: CheckpointManifest;
  /** One line per newer generation that could not be used, naming the file and the damage. */
  warnings: string[];
}

/** No generation of a checkpoint could be used; the message names each one's damage. */
export class CheckpointError extends Error {
  override name = 'CheckpointError';
}

export interface CheckpointerOptions {
  /** Complete generations kept after a save (default 2: the new one and the one before). */
  keep?: number;
}

export class Checkpointer {
  readonly directory: string;
  readonly keep: number;

  constructor(directory: string, options: CheckpointerOptions = {}) {
    const { keep = 2 } = options;
    if (!(Number.isInteger(keep) && keep >= 1))
      throw new RangeError(`keep must be an integer >= 1, got ${keep}`);
    this.directory = directory;
    this.keep = keep;
  }

  /** Numbers of the complete-looking generations (named `gen-N`), oldest first. */
  async generations(): Promise<number[]> {
    return (await this.#entries()).filter((e) => e.kind === '').map((e) => e.generation);
  }

  /**
   * Writes a new generation: `write(folder)` puts its files into an empty folder (flat: no
   * subfolders), then they are verified, listed in the manifest and made durable as described above.
   */
  async save(
    write: (folder: string) => Promise<void>,
    counters: Record<string, number> = {},
  ): Promise<CheckpointManifest> {
    await mkdir(this.directory, { recursive: true });
    await syncDirectory(dirname(this.directory));
    const entries = await this.#entries();
    const generation = Math.max(0, ...entries.map((e) => e.generation)) + 1;
    const name = generationName(generation);
    const tmp = join(this.directory, `${name}.tmp`);
    // Leftovers of saves cut short by a crash: never complete, never read.
    for (const e of entries)
      if (e.kind === '.tmp') await rm(join(this.directory, e.name), { recursive: true, force: true });
    await mkdir(tmp);
    try {
      await write(tmp);
      const files: ManifestFile[] = [];
      for (const file of (await readdir(tmp, { withFileTypes: true })).sort((a, b) =>
        a.name.localeCompare(b.name),
      )) {
        if (!file.isFile())
          throw new Error(`checkpoint ${tmp}: ${file.name} is not a plain file (only files are kept)`);
        if (file.name === MANIFEST)
          throw new Error(`checkpoint ${tmp}: ${MANIFEST} is the checkpointer's own file`);
        const path = join(tmp, file.name);
        const { bytes, sha256 } = await hashFile(path);
        await syncFile(path);
        files.push({ name: file.name, bytes, sha256 });
      }
      const manifest: CheckpointManifest = {
        format: FORMAT,
        version: VERSION,
        generation,
        createdAt: new Date().toISOString(),
        counters,
        files,
      };
      const content: ManifestFileContent = { manifest, sha256: sha256Of(jsonEncode(manifest)) };
      // Core's atomic writer fsyncs the manifest and then the folder that holds it.
      await writeTextAtomic(join(tmp, MANIFEST), `${jsonEncode(content, { indent: 2 })}\n`);
      await rename(tmp, join(this.directory, name));
      await syncDirectory(this.directory);
      await this.#prune();
      return manifest;
    } catch (err) {
      await rm(tmp, { recursive: true, force: true }).catch(() => {});
      throw err;
    }
  }

  /**
   * The newest generation that verifies and that `load` accepts (it throws to reject one), or
   * `undefined` when the folder holds no generation at all. Throws a CheckpointError when
   * generations exist but none is usable.
   */
  async restore<T>(
    load: (folder: string, manifest: CheckpointManifest) => Promise<T>,
  ): Promise<RestoredCheckpoint<T> | undefined> {
    const generations = (await this.generations()).reverse();
    if (generations.length === 0) return undefined;
    const damage: string[] = [];
    for (const generation of generations) {
      const path = join(this.directory, generationName(generation));
      try {
        const manifest = await verify(path, generation);
        const value = await load(path, manifest);
        // Set the damaged newer generations aside, so they are neither tried again nor counted as
        // one of the generations a later save keeps.
        for (const g of generations) {
          if (g <= generation) break;
          const name = generationName(g);
          await rename(join(this.directory, name), join(this.directory, `${name}.damaged`)).catch(() => {});
        }
        return { value, generation, path, manifest, warnings: damage };
      } catch (err) {
        damage.push(`${path}: ${(err as Error).message}`);
      }
    }
    throw new CheckpointError(
      `no usable checkpoint in ${this.directory}; every generation is damaged:\n  ${damage.join('\n  ')}`,
    );
  }

  async #prune(): Promise<void> {
    const complete = await this.generations();
    for (const generation of complete.slice(0, Math.max(0, complete.length - this.keep))) {
      await rm(join(this.directory, generationName(generation)), { recursive: true, force: true });
    }
  }

  async #entries(): Promise<{ name: string; generation: number; kind: string }[]> {
    let names: string[];
    try {
      names = await readdir(this.directory);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const out: { name: string; generation: number; kind: string }[] = [];
    for (const name of names) {
      const m = ANY_GENERATION.exec(name);
      if (m) out.push({ name, generation: Number(m[1]), kind: m[2] ?? '' });
    }
    return out.sort((a, b) => a.generation - b.generation);
  }
}

function generationName(generation: number): string {
  return `gen-${String(generation).padStart(9, '0')}`;
}

/** Checks every file of a generation against its manifest; throws naming the file and the damage. */
async function verify(path: string, generation: number): Promise<CheckpointManifest> {
  let text: string;
  try {
    text = await readFile(join(path, MANIFEST), 'utf8');
  } catch (err) {
    throw new Error(
      `${MANIFEST} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
    );
  }
  const content = jsonDecode(text, MANIFEST) as Partial<ManifestFileContent> | null;
  const manifest = (content?.manifest ?? {}) as Partial<CheckpointManifest>;
  if (manifest.format !== FORMAT) throw new Error(`${MANIFEST} is not an acme-ts checkpoint manifest`);
  // Re-encoding a decoded value gives the same text (key order and number formatting are kept).
  if (content?.sha256 !== sha256Of(jsonEncode(manifest))) {
    throw new Error(`${MANIFEST} does not match its own checksum (altered or damaged)`);
  }
  if (manifest.version !== VERSION) {
    throw new Error(
      `${MANIFEST}: format version ${manifest.version}, this version of acme-ts reads ${VERSION}`,
    );
  }
  if (manifest.generation !== generation) {
    throw new Error(
      `${MANIFEST} says generation ${manifest.generation}, the folder is generation ${generation}`,
    );
  }
  if (!Array.isArray(manifest.files)) throw new Error(`${MANIFEST} lists no files`);
  for (const file of manifest.files) {
    if (typeof file?.name !== 'string' || file.name.includes('/') || file.name.includes('\\')) {
      throw new Error(`${MANIFEST} lists an invalid file name ${JSON.stringify(file?.name)}`);
    }
    const filePath = join(path, file.name);
    let size: number;
    try {
      size = (await stat(filePath)).size;
    } catch {
      throw new Error(`${file.name} is missing`);
    }
    if (size !== file.bytes) {
      throw new Error(
        `${file.name} has ${size} bytes, the manifest says ${file.bytes} (truncated or overwritten)`,
      );
    }
    const { sha256 } = await hashFile(filePath);
    if (sha256 !== file.sha256) {
      throw new Error(
        `${file.name} does not match its checksum (sha256 ${sha256}, the manifest says ${file.sha256})`,
      );
    }
  }
  return manifest as CheckpointManifest;
}

function sha256Of(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

async function hashFile(path: string): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { bytes, sha256: hash.digest('hex') };
}

async function syncFile(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function syncDirectory(path: string): Promise<void> {
  // Windows cannot open a folder; its renames are durable enough there.
  if (process.platform === 'win32') return;
  await syncFile(path);
}
