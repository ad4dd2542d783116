/** Acme's KeyFilter: keeps only the `keep` keys, or drops the `drop` keys (exactly one of them). */
import type { Logger, LoggingData } from './logger.js';

export class KeyFilter implements Logger {
  readonly #keep: readonly string[] | undefined;
  readonly #drop: ReadonlySet<string> | undefined;

  constructor(
    readonly to: Logger,
    options: { keep?: readonly string[]; drop?: readonly string[] },
  ) {
    const hasKeep = (options.keep?.length ?? 0) > 0;
    const hasDrop = (options.drop?.length ?? 0) > 0;
    if (hasKeep === hasDrop) throw new TypeError('exactly one of `keep` and `drop` must be set');
    this.#keep = hasKeep ? [...options.keep!] : undefined;
    this.#drop = hasDrop ? new Set(options.drop) : undefined;
  }

  write(data: LoggingData): void {
    const out: LoggingData = {};
    if (this.#keep) {
      for (const key of this.#keep) if (Object.hasOwn(data, key)) out[key] = data[key];
    } else {
      for (const key of Object.keys(data)) if (!this.#drop!.has(key)) out[key] = data[key];
    }
    this.to.write(out);
  }

  close(): void {
    this.to.close();
  }
}
