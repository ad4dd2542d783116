/**
 * Training progress for people: a one-line bar redrawn in place on a terminal (steps, episodes,
 * recent return, steps/s, ETA), or a plain line every few seconds when output is a file or a pipe
 * (CI logs stay readable). It is a Logger, so it plugs into the environment loop's dispatcher.
 */
import type { Logger, LoggingData } from '@acme-ts/core';

export interface ProgressOptions {
  /** Environment steps the run aims for (for the bar and the ETA). */
  totalSteps: number;
  /** Where to draw; defaults to stderr so stdout stays clean for data. */
  stream?: NodeJS.WriteStream | { write(s: string): unknown; isTTY?: boolean; columns?: number };
  /** Seconds between plain lines when the stream is not a terminal. */
  plainEverySeconds?: number;
  now?: () => number;
}

function clock(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const mm = String(m).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

export class ProgressBar implements Logger {
  readonly #total: number;
  readonly #stream: NonNullable<ProgressOptions['stream']>;
  readonly #tty: boolean;
  readonly #plainEvery: number;
  readonly #now: () => number;
  readonly #start: number;
  #lastPlain = Number.NEGATIVE_INFINITY;
  #steps = 0;
  #episodes = 0;
  readonly #recent: number[] = [];

  constructor(options: ProgressOptions) {
    this.#total = options.totalSteps;
    this.#stream = options.stream ?? process.stderr;
    this.#tty = Boolean(this.#stream.isTTY);
    this.#plainEvery = options.plainEverySeconds ?? 5;
    this.#now = options.now ?? (() => performance.now() / 1000);
    this.#start = this.#now();
  }

  /** Mean return of the last 20 episodes. */
  get recentReturn(): number {
    return this.#recent.length ? this.#recent.reduce((a, b) => a + b, 0) / this.#recent.length : Number.NaN;
  }

  /** One episode record from the environment loop (episode_return, and counts like actor_steps). */
  write(data: LoggingData): void {
    const steps = data.actor_steps ?? data.steps;
    if (typeof steps === 'number') this.#steps = steps;
    const episodes = data.actor_episodes ?? data.episodes;
    this.#episodes = typeof episodes === 'number' ? episodes : this.#episodes + 1;
    if (typeof data.episode_return === 'number') {
      this.#recent.push(data.episode_return);
      if (this.#recent.length > 20) this.#recent.shift();
    }
    this.#draw(false);
  }

  /** The line as it would be drawn now. */
  line(): string {
    const elapsed = this.#now() - this.#start;
    const rate = elapsed > 0 ? this.#steps / elapsed : 0;
    const fraction = Math.min(1, this.#total > 0 ? this.#steps / this.#total : 0);
    const eta = rate > 0 ? (this.#total - this.#steps) / rate : Number.NaN;
    const ret = Number.isNaN(this.recentReturn) ? '-' : this.recentReturn.toFixed(1);
    return (
      `${(fraction * 100).toFixed(0).padStart(3)}% ${this.#steps}/${this.#total} steps | ` +
      `${this.#episodes} episodes | return ${ret} | ${rate.toFixed(0)} steps/s | ` +
      `elapsed ${clock(elapsed)} | ETA ${clock(Math.max(0, eta))}`
    );
  }

  #draw(final: boolean): void {
    const text = this.line();
    if (this.#tty) {
      const width = Math.max(10, (this.#stream.columns ?? 100) - 24);
      const fraction = Math.min(1, this.#total > 0 ? this.#steps / this.#total : 0);
      const filled = Math.round(fraction * 20);
      const bar = `[${'#'.repeat(filled)}${'.'.repeat(20 - filled)}] `;
      this.#stream.write(`\r${bar}${text.slice(0, width)}\x1b[K${final ? '\n' : ''}`);
      return;
    }
    const now = this.#now();
    if (final || now - this.#lastPlain >= this.#plainEvery) {
      this.#lastPlain = now;
      this.#stream.write(`${text}\n`);
    }
  }

  close(): void {
    this.#draw(true);
  }
}
