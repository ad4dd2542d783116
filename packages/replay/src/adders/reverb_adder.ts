/**
 * What Acme's Reverb adders share: the tables items go to, a priority per table (a function of
 * the item, a constant, or 1.0 as Acme's default), and the inserts still waiting for a rate
 * limiter.
 *
 * `add` is synchronous, so an insert the rate limiter refuses cannot block it. Such items are
 * copied and queued in the table (they go in, in order, once the limiter allows); an async actor
 * loop awaits `flush()`. At most `maxInFlightItems` may wait: past that, `add` throws (after
 * queueing the item) instead of letting a queue grow without bound, because in a single thread
 * the learner that would let them in never gets to run — relax the limiter there
 * (`disableInsertBlocking`), as Acme's single-process runner does.
 */
import type { Table } from '../table.js';

/** An item's priority from the item (leaves as views of storage: see `ItemLayout.rowView`). */
export type PriorityFn<T = unknown> = (item: T) => number;
/** Per table name: a priority function, a constant, or null (priority 1.0). */
export type PriorityFns<T = unknown> = Readonly<Record<string, PriorityFn<T> | number | null>>;

export interface ReverbAdderOptions<T = unknown> {
  readonly priorityFns?: PriorityFns<T>;
  /** Items that may wait for a rate limiter before `add` throws. */
  readonly maxInFlightItems?: number;
}

export abstract class ReverbAdder<T = unknown> {
  readonly tables: readonly Table[];
  readonly maxInFlightItems: number;
  readonly #priorities: readonly (PriorityFn<T> | number)[];
  readonly #inFlight = new Set<Promise<number>>();
  /** This item's priority per table, all computed before any insert (a throwing function inserts nothing). */
  readonly #current: Float64Array;
  #error: unknown;

  protected constructor(
    tables: Table | readonly Table[],
    options: ReverbAdderOptions<T>,
    defaultMaxInFlight: number,
  ) {
    const list = Array.isArray(tables) ? [...tables] : [tables as Table];
    if (list.length === 0) throw new RangeError('an adder needs at least one table');
    const names = new Set<string>();
    for (const t of list) {
      if (typeof t?.tryInsertRow !== 'function') throw new TypeError('tables must be Table instances');
      if (names.has(t.name)) throw new RangeError(`table "${t.name}" is given twice`);
      names.add(t.name);
    }
    const fns = options.priorityFns ?? {};
    for (const name of Object.keys(fns)) {
      if (!names.has(name))
        throw new RangeError(`priorityFns names table "${name}", which the adder does not write to`);
    }
    this.#priorities = list.map((t) => {
      const fn = fns[t.name];
      if (fn === undefined || fn === null) return 1;
      if (typeof fn === 'function') return fn;
      if (!(typeof fn === 'number' && fn >= 0 && Number.isFinite(fn))) {
        throw new RangeError(`priorityFns["${t.name}"] must be a function, a finite number >= 0 or null`);
      }
      return fn;
    });
    const max = options.maxInFlightItems ?? defaultMaxInFlight;
    if (!(Number.isInteger(max) && max >= 0))
      throw new RangeError(`maxInFlightItems must be an integer >= 0, got ${max}`);
    this.maxInFlightItems = max;
    this.tables = list;
    this.#current = new Float64Array(list.length);
  }

  /** Items queued behind a rate limiter, not yet in their table. */
  get pendingItems(): number {
    return this.#inFlight.size;
  }

  /** Waits until every queued item is in its table; rethrows an insert that failed. */
  async flush(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
    this.#throwPending();
  }

  /** Inserts, into every table, the item its `row` holds. */
  protected insertRows(): void {
    this.#throwPending();
    const tables = this.tables;
    const current = this.#current;
    for (let i = 0; i < tables.length; i++) {
      const p = this.#priorities[i]!;
      current[i] = typeof p === 'number' ? p : this.#call(p, tables[i]!);
    }
    for (let i = 0; i < tables.length; i++) {
      const table = tables[i]!;
      const priority = current[i]!;
      if (table.tryInsertRow(priority) >= 0) continue;
      this.#track(table.enqueueRow(priority));
    }
    if (this.#inFlight.size > this.maxInFlightItems) {
      throw new Error(
        `${this.#inFlight.size} items wait for a rate limiter (maxInFlightItems ${this.maxInFlightItems}, ` +
          `tables ${tables.map((t) => `"${t.name}"`).join(', ')}): await adder.flush() between steps, ` +
          'or, when actor and learner share one thread, relax the limiter with disableInsertBlocking(table)',
      );
    }
  }

  #call(fn: PriorityFn<T>, table: Table): number {
    const priority = fn(table.layout.rowView(table.row) as T);
    if (!(typeof priority === 'number' && priority >= 0 && Number.isFinite(priority))) {
      throw new RangeError(
        `the priority function of table "${table.name}" returned ${String(priority)}; priorities are finite numbers >= 0`,
      );
    }
    return priority;
  }

  #track(promise: Promise<number>): void {
    this.#inFlight.add(promise);
    promise.then(
      () => this.#inFlight.delete(promise),
      (err: unknown) => {
        this.#inFlight.delete(promise);
        this.#error ??= err;
      },
    );
  }

  #throwPending(): void {
    if (this.#error === undefined) return;
    const err = this.#error;
    this.#error = undefined;
    throw err;
  }
}
