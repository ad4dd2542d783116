/** Acme's TimeFilter: forwards a write only if `timeDelta` seconds passed since the last forwarded one. */
import type { Logger, LoggingData } from './logger.js';

export class TimeFilter implements Logger {
  readonly #timeDelta: number;
  readonly #clock: () => number;
  #time = Number.NEGATIVE_INFINITY;

  /** @param clock seconds, monotonic; tests pass a fake one. */
  constructor(
    readonly to: Logger,
    timeDelta: number,
    clock: () => number = () => performance.now() / 1000,
  ) {
    if (typeof timeDelta !== 'number' || !(timeDelta >= 0)) {
      throw new RangeError(`timeDelta must be a number >= 0, got ${timeDelta}`);
    }
    this.#timeDelta = timeDelta;
    this.#clock = clock;
  }

  write(values: LoggingData): void {
    const now = this.#clock();
    // The first write always passes (Acme starts its clock at 0).
    if (now - this.#time > this.#timeDelta) {
      this.to.write(values);
      this.#time = now;
    }
  }

  close(): void {
    this.to.close();
  }
}
