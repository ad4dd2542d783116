/**
 * One JSON object per line in `{directory}/{uid}/logs/{label}/logs.jsonl` (or `file`): unlike CSV,
 * every write keeps all its keys, and nested values (vector returns, dicts) stay structured.
 * Typed arrays become arrays; NaN and ±Infinity become the strings "NaN" and "Infinity".
 */
import { join } from 'node:path';
import { FileWriter } from './file_writer.js';
import { toPlain } from './format.js';
import type { Logger, LoggingData } from './logger.js';
import { processPath } from './paths.js';

export interface JSONLLoggerOptions {
  directory?: string;
  file?: string;
  label?: string;
  addUid?: boolean;
  flushEvery?: number;
}

export class JSONLLogger implements Logger {
  readonly #writer: FileWriter;
  readonly #flushEvery: number;
  #writes = 0;

  constructor(options: JSONLLoggerOptions = {}) {
    const { directory = '~/acme', file, label = '', addUid = true, flushEvery = 30 } = options;
    if (!Number.isInteger(flushEvery) || flushEvery <= 0) {
      throw new RangeError(`flushEvery must be a positive integer, got ${flushEvery}`);
    }
    this.#flushEvery = flushEvery;
    const path = file ?? join(processPath(directory, ['logs', label], addUid), 'logs.jsonl');
    this.#writer = new FileWriter(path);
  }

  get filePath(): string {
    return this.#writer.path;
  }

  write(data: LoggingData): void {
    this.#writer.append(`${JSON.stringify(toPlain(data))}\n`);
    this.#writes += 1;
    if (this.#writes % this.#flushEvery === 0) this.#writer.flush();
  }

  flush(): void {
    this.#writer.flush();
  }

  close(): void {
    this.#writer.close();
  }
}
