/**
 * Acme's AsyncLogger: `write` only queues, and the wrapped logger writes between turns of the
 * event loop, off the caller's path. A synchronous training loop therefore never waits on I/O;
 * its records are written when it yields (or when the queue is full, which writes them at once,
 * as Acme's bounded queue blocks the writer). `close()` writes what is queued, then closes.
 */
import type { Logger, LoggingData } from './logger.js';

export class AsyncLogger implements Logger {
  readonly #queue: LoggingData[] = [];
  readonly #maxQueueSize: number;
  #scheduled = false;
  #closed = false;

  constructor(
    readonly to: Logger,
    options: { maxQueueSize?: number } = {},
  ) {
    const { maxQueueSize = 1000 } = options;
    if (!Number.isInteger(maxQueueSize) || maxQueueSize < 1) {
      throw new RangeError(`maxQueueSize must be a positive integer, got ${maxQueueSize}`);
    }
    this.#maxQueueSize = maxQueueSize;
  }

  /** Records queued and not yet written. */
  get pending(): number {
    return this.#queue.length;
  }

  write(values: LoggingData): void {
    if (this.#closed) throw new Error('AsyncLogger.write after close()');
    this.#queue.push(values);
    if (this.#queue.length >= this.#maxQueueSize) {
      this.flush();
      return;
    }
    if (!this.#scheduled) {
      this.#scheduled = true;
      setTimeout(() => {
        this.#scheduled = false;
        this.flush();
      }, 0);
    }
  }

  /** Writes everything queued now. */
  flush(): void {
    while (this.#queue.length > 0) this.to.write(this.#queue.shift()!);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.flush();
    this.to.close();
  }
}
