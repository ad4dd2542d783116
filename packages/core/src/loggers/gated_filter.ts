/** Acme's GatedFilter: forwards the t-th write (t = 0, 1, ...) when `gatingFn(t)` is true. */
import type { Logger, LoggingData } from './logger.js';

export class GatedFilter implements Logger {
  #calls = 0;

  constructor(
    readonly to: Logger,
    readonly gatingFn: (t: number) => boolean,
  ) {}

  /** Writes 0..n-1, then every n-th up to n^2, every n^2-th up to n^3, ... */
  static logarithmic(to: Logger, n = 10): GatedFilter {
    if (!Number.isInteger(n) || n < 2) throw new RangeError(`n must be an integer >= 2, got ${n}`);
    return new GatedFilter(to, (t) => {
      // Integer powers, not log10 ratios, so t = 1000 is magnitude 3 exactly.
      let scale = 1;
      while (scale * n <= t) scale *= n;
      return t % scale === 0;
    });
  }

  /** Every `interval`-th write, starting with the first. */
  static periodic(to: Logger, interval = 10): GatedFilter {
    if (!Number.isInteger(interval) || interval < 1) {
      throw new RangeError(`interval must be a positive integer, got ${interval}`);
    }
    return new GatedFilter(to, (t) => t % interval === 0);
  }

  write(values: LoggingData): void {
    if (this.gatingFn(this.#calls)) this.to.write(values);
    this.#calls += 1;
  }

  close(): void {
    this.to.close();
  }
}
