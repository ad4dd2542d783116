/**
 * Buffered appends to a text file with synchronous flushes: a log line costs a string
 * concatenation, and the file is written every `flushEvery` writes and on close.
 */
import { closeSync, fstatSync, openSync, writeSync } from 'node:fs';

export class FileWriter {
  readonly path: string;
  #fd: number | undefined;
  #pending = '';

  constructor(path: string) {
    this.path = path;
    this.#fd = openSync(path, 'a');
  }

  /** Whether the file had no bytes when opened and nothing was written since. */
  isEmpty(): boolean {
    return this.#pending === '' && fstatSync(this.#requireOpen()).size === 0;
  }

  append(text: string): void {
    this.#requireOpen();
    this.#pending += text;
  }

  flush(): void {
    const fd = this.#requireOpen();
    if (this.#pending !== '') {
      writeSync(fd, this.#pending);
      this.#pending = '';
    }
  }

  close(): void {
    if (this.#fd === undefined) return;
    this.flush();
    closeSync(this.#fd);
    this.#fd = undefined;
  }

  #requireOpen(): number {
    if (this.#fd === undefined) throw new Error(`${this.path} is closed`);
    return this.#fd;
  }
}
