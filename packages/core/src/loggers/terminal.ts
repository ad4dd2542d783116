/** Acme's TerminalLogger: one `[Label] Key = value | ...` line per write. */
import { formatKey, serialize } from './format.js';
import type { Logger, LoggingData } from './logger.js';

export interface TerminalLoggerOptions {
  label?: string;
  /** Where lines go (default console.log). */
  printFn?: (line: string) => void;
  serializeFn?: (values: LoggingData) => string;
  /** Seconds between printed writes; writes in between are dropped. Default 0: print everything. */
  timeDelta?: number;
}

export class TerminalLogger implements Logger {
  readonly #printFn: (line: string) => void;
  readonly #serializeFn: (values: LoggingData) => string;
  readonly #label: string;
  readonly #timeDelta: number;
  #time = performance.now() / 1000;

  constructor(options: TerminalLoggerOptions = {}) {
    const { label = '', printFn = console.log, serializeFn = serialize, timeDelta = 0 } = options;
    this.#printFn = printFn;
    this.#serializeFn = serializeFn;
    this.#label = label ? `[${formatKey(label)}] ` : '';
    this.#timeDelta = timeDelta;
  }

  write(values: LoggingData): void {
    const now = performance.now() / 1000;
    // Acme compares with '>' against the construction time; a zero delta must print every write
    // even when the clock has not moved.
    if (this.#timeDelta <= 0 || now - this.#time > this.#timeDelta) {
      this.#printFn(`${this.#label}${this.#serializeFn(values)}`);
      this.#time = now;
    }
  }

  close(): void {}
}
