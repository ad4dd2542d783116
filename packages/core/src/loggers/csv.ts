/**
 * Acme's CSVLogger: rows appended to `{directory}/{uid}/logs/{label}/logs.csv` (or to `file`).
 * The columns are the sorted keys of the first write; later extra keys are ignored and missing
 * ones left empty. The header is written only into an empty file, so a resumed run appends.
 */
import { join } from 'node:path';
import { FileWriter } from './file_writer.js';
import { toPlain } from './format.js';
import type { Logger, LoggingData } from './logger.js';
import { processPath } from './paths.js';

export interface CSVLoggerOptions {
  /** Root directory (default '~/acme'); ignored when `file` is given. */
  directory?: string;
  /** Append to this file instead of the directory layout. */
  file?: string;
  label?: string;
  /** Seconds between kept writes; others are dropped. Default 0. */
  timeDelta?: number;
  /** Add the per-process unique id to the path. Default true. */
  addUid?: boolean;
  /** Writes between flushes to disk. Default 30. */
  flushEvery?: number;
}

function csvCell(value: unknown): string {
  if (value === undefined || value === null) return '';
  const plain = toPlain(value);
  const text =
    typeof plain === 'string' ? plain : typeof plain === 'object' ? JSON.stringify(plain) : String(plain);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export class CSVLogger implements Logger {
  readonly #writer: FileWriter;
  readonly #timeDelta: number;
  readonly #flushEvery: number;
  #fields: string[] | undefined;
  #lastLogTime: number;
  #writes = 0;

  constructor(options: CSVLoggerOptions = {}) {
    const { directory = '~/acme', file, label = '', timeDelta = 0, addUid = true, flushEvery = 30 } = options;
    if (!Number.isInteger(flushEvery) || flushEvery <= 0) {
      throw new RangeError(`flushEvery must be a positive integer, got ${flushEvery}`);
    }
    this.#timeDelta = timeDelta;
    this.#flushEvery = flushEvery;
    this.#lastLogTime = performance.now() / 1000 - timeDelta;
    const path = file ?? join(processPath(directory, ['logs', label], addUid), 'logs.csv');
    this.#writer = new FileWriter(path);
  }

  get filePath(): string {
    return this.#writer.path;
  }

  write(data: LoggingData): void {
    const now = performance.now() / 1000;
    if (now - this.#lastLogTime < this.#timeDelta) return;
    this.#lastLogTime = now;
    if (this.#fields === undefined) {
      this.#fields = Object.keys(data).sort();
      if (this.#writer.isEmpty()) this.#writer.append(`${this.#fields.map(csvCell).join(',')}\r\n`);
    }
    this.#writer.append(`${this.#fields.map((k) => csvCell(data[k])).join(',')}\r\n`);
    if (this.#writes % this.#flushEvery === 0) this.#writer.flush();
    this.#writes += 1;
  }

  flush(): void {
    this.#writer.flush();
  }

  close(): void {
    this.#writer.close();
  }
}
