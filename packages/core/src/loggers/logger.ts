/** Acme's Logger: `write(data)` sends one record (usually one episode or one learner step) somewhere. */
export type LoggingData = Record<string, unknown>;

export interface Logger {
  write(data: LoggingData): void;
  /** Flushes and releases resources; no writes follow. */
  close(): void;
}

/** Drops everything: for quiet components, and for timing the code around a logger. */
export class NoOpLogger implements Logger {
  write(_data: LoggingData): void {}
  close(): void {}
}
