/** Keeps every record in `data` (Acme's InMemoryLogger): for tests, notebooks and plots. */
import type { Logger, LoggingData } from './logger.js';

export class InMemoryLogger implements Logger {
  readonly data: LoggingData[] = [];

  write(values: LoggingData): void {
    this.data.push({ ...values });
  }

  close(): void {}
}
