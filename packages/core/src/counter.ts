/**
 * Acme's hierarchical Counter. A child counts locally and, at most every `timeDelta` seconds,
 * pushes its counts to its parent under `{prefix}_{key}` and caches the parent's totals, so that
 * `getCounts()` reports local counts plus everything the parent knows (other children included).
 *
 * JavaScript runs one thread per realm, so no lock is needed; a counter shared across worker
 * threads goes through a proxy that serialises calls.
 */
import type { Saveable } from './saveable.js';

export type Counts = Record<string, number>;

export interface CounterState {
  counts: Counts;
  cache: Counts;
}

export interface CounterOptions {
  /** Counter to sync with (none: this counter is a root). */
  parent?: Counter;
  /** Prefix of this counter's keys in the parent and in `getCounts()`. */
  prefix?: string;
  /** Seconds between syncs with the parent; 0 syncs on every call. Default 1. */
  timeDelta?: number;
  /** With a prefix: report only this counter's keys, without the prefix. */
  returnOnlyPrefixed?: boolean;
}

/** Wall-clock seconds with sub-millisecond resolution (Acme uses time.time()). */
function nowSeconds(): number {
  return (performance.timeOrigin + performance.now()) / 1000;
}

export class Counter implements Saveable<CounterState> {
  readonly #parent: Counter | undefined;
  readonly #prefix: string;
  readonly #timeDelta: number;
  readonly #returnOnlyPrefixed: boolean;
  #counts: Counts = {};
  #cache: Counts = {};
  #lastSyncTime = 0;

  constructor(options: CounterOptions = {}) {
    const { parent, prefix = '', timeDelta = 1.0, returnOnlyPrefixed = false } = options;
    if (parent !== undefined && !(parent instanceof Counter)) {
      throw new TypeError('parent must be a Counter');
    }
    if (typeof prefix !== 'string') throw new TypeError(`prefix must be a string, got ${typeof prefix}`);
    if (typeof timeDelta !== 'number' || !(timeDelta >= 0)) {
      throw new RangeError(`timeDelta must be a number >= 0, got ${timeDelta}`);
    }
    this.#parent = parent;
    this.#prefix = prefix;
    this.#timeDelta = timeDelta;
    this.#returnOnlyPrefixed = returnOnlyPrefixed;
  }

  /** Adds each increment to its count and returns every count (as `getCounts()`). */
  increment(counts: Counts): Counts {
    for (const key of Object.keys(counts)) {
      const value = counts[key]!;
      if (typeof value !== 'number' || Number.isNaN(value)) {
        throw new TypeError(`increment of ${JSON.stringify(key)} must be a number, got ${value}`);
      }
      this.#counts[key] = (this.#counts[key] ?? 0) + value;
    }
    return this.getCounts();
  }

  /** Local counts (prefixed) plus the parent's cached totals, syncing first when due. */
  getCounts(): Counts {
    const now = nowSeconds();
    // `timeDelta` 0 means "always": two reads of the clock can return the same value.
    if (this.#parent && (this.#timeDelta === 0 || now - this.#lastSyncTime > this.#timeDelta)) {
      const pending = this.#prefixed(this.#counts);
      this.#counts = {};
      this.#cache = this.#parent.increment(pending);
      this.#lastSyncTime = now;
    }
    const counts = this.#prefixed(this.#counts);
    for (const key of Object.keys(this.#cache)) {
      counts[key] = (counts[key] ?? 0) + this.#cache[key]!;
    }
    if (this.#prefix && this.#returnOnlyPrefixed) {
      const head = `${this.#prefix}_`;
      const only: Counts = {};
      for (const key of Object.keys(counts)) {
        if (key.startsWith(head)) only[key.slice(head.length)] = counts[key]!;
      }
      return only;
    }
    return counts;
  }

  /** The key under which this counter's `steps` appear in `getCounts()`. */
  getStepsKey(): string {
    return !this.#prefix || this.#returnOnlyPrefixed ? 'steps' : `${this.#prefix}_steps`;
  }

  save(): CounterState {
    return { counts: { ...this.#counts }, cache: { ...this.#cache } };
  }

  restore(state: CounterState): void {
    if (
      state === null ||
      typeof state !== 'object' ||
      typeof state.counts !== 'object' ||
      typeof state.cache !== 'object'
    ) {
      throw new TypeError('state must be { counts, cache } as returned by save()');
    }
    for (const part of ['counts', 'cache'] as const) {
      for (const [key, value] of Object.entries(state[part])) {
        if (!(typeof value === 'number' && Number.isFinite(value) && value >= 0)) {
          throw new RangeError(`state.${part}.${key} must be a finite number >= 0, got ${String(value)}`);
        }
      }
    }
    // Force a sync on the next getCounts().
    this.#lastSyncTime = 0;
    this.#counts = { ...state.counts };
    this.#cache = { ...state.cache };
  }

  #prefixed(counts: Counts): Counts {
    const out: Counts = {};
    for (const key of Object.keys(counts)) {
      out[this.#prefix ? `${this.#prefix}_${key}` : key] = counts[key]!;
    }
    return out;
  }
}
