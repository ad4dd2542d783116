/** Acme's NoneFilter: drops the keys whose value is null or undefined. */
import type { Logger, LoggingData } from './logger.js';

export class NoneFilter implements Logger {
  constructor(readonly to: Logger) {}

  write(values: LoggingData): void {
    const kept: LoggingData = {};
    for (const key of Object.keys(values)) {
      if (values[key] !== null && values[key] !== undefined) kept[key] = values[key];
    }
    this.to.write(kept);
  }

  close(): void {
    this.to.close();
  }
}
