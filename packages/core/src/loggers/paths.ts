/**
 * Acme's `paths.process_path` for the file loggers: `~` expanded, an optional per-process unique
 * id, then the subdirectories; the directory is created.
 */
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

let processUid: string | undefined;

/** One id per process (start time plus random bits), shared by every logger of a run. */
export function uniqueId(): string {
  if (processUid === undefined) {
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
    const words = new Uint32Array(1);
    globalThis.crypto.getRandomValues(words);
    processUid = `${stamp}-${words[0]!.toString(16).padStart(8, '0')}`;
  }
  return processUid;
}

export function processPath(directory: string, subpaths: string[], addUid: boolean): string {
  const root =
    directory === '~' || directory.startsWith('~/') ? join(homedir(), directory.slice(1)) : directory;
  const path = join(root, ...(addUid ? [uniqueId()] : []), ...subpaths.filter((s) => s !== ''));
  mkdirSync(path, { recursive: true });
  return path;
}
