/**
 * Acme's Adder: what an actor hands its experience to. `addFirst` takes the FIRST timestep of an
 * episode; `add` takes the action taken and the timestep it produced (plus optional extras, e.g.
 * the policy's logits); `reset` drops a partial episode.
 */
import type { TimeStep } from '@acme-ts/core';

export type AnyTimeStep = TimeStep<unknown, unknown, unknown>;

export interface Adder<A = unknown, E = unknown> {
  addFirst(timestep: AnyTimeStep): void;
  add(action: A, nextTimestep: AnyTimeStep, extras?: E): void;
  reset(): void;
}
