/**
 * Acme's VariableClient: an actor's way to its learner's parameters. Every `period`-th `update()`
 * pulls the variables from the source and applies them to the actor's own copy of the network; in
 * one process the source is the learner itself, across threads or machines a client of it.
 */
export class VariableClient<V = Float32Array> {
  readonly pull: () => V;
  readonly apply: (variables: V) => void;
  readonly period: number;
  #calls = 0;

  constructor(pull: () => V, apply: (variables: V) => void, period: number) {
    if (!(Number.isInteger(period) && period >= 1)) {
      throw new RangeError(`period must be an integer >= 1, got ${period}`);
    }
    this.pull = pull;
    this.apply = apply;
    this.period = period;
  }

  /** Counts one call; pulls on every `period`-th, or now when `wait`. */
  update(wait = false): void {
    this.#calls++;
    if (wait || this.#calls >= this.period) {
      this.#calls = 0;
      this.apply(this.pull());
    }
  }

  /** Pulls now, whatever the period. */
  updateAndWait(): void {
    this.update(true);
  }
}
