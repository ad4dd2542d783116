/** Acme's Saveable: an object whose state can be captured and put back (checkpointing). */
export interface Saveable<T = unknown> {
  save(): T;
  restore(state: T): void;
}
