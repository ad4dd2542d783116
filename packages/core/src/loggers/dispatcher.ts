/** Acme's Dispatcher: every write goes to each of several loggers. */
import type { Logger, LoggingData } from './logger.js';

export class Dispatcher implements Logger {
  readonly #to: readonly Logger[];
  readonly #serializeFn: ((values: LoggingData) => LoggingData) | undefined;

  /** `serializeFn` transforms a record once before it is dispatched (Acme: to_numpy). */
  constructor(to: readonly Logger[], serializeFn?: (values: LoggingData) => LoggingData) {
    this.#to = [...to];
    this.#serializeFn = serializeFn;
  }

  write(values: LoggingData): void {
    const data = this.#serializeFn ? this.#serializeFn(values) : values;
    for (const logger of this.#to) logger.write(data);
  }

  close(): void {
    for (const logger of this.#to) logger.close();
  }
}
