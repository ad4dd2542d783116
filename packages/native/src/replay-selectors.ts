/**
 * Reverb's item selectors, as descriptions a `ReplayEngine` is built from (the sampler chooses
 * what to sample, the remover what to delete when the table is full). Semantics:
 *
 * - `prioritized(a)`: item i is drawn with probability p_i^a / Σ p^a; priority 0 is never drawn,
 *   even with a = 0; when every priority is 0 the draw is uniform.
 * - `uniform()`: probability 1/size.
 * - `fifo()` / `lifo()`: the oldest / newest item, probability 1; priority updates do not move it.
 * - `minHeap()` / `maxHeap()`: the smallest / largest priority, probability 1; ties go to the item
 *   inserted or updated longest ago.
 */

export type SelectorSpec =
  | { readonly kind: 'uniform' }
  | { readonly kind: 'prioritized'; readonly priorityExponent: number }
  | { readonly kind: 'fifo' }
  | { readonly kind: 'lifo' }
  | { readonly kind: 'minHeap' }
  | { readonly kind: 'maxHeap' };

export const Selectors = {
  uniform: (): SelectorSpec => ({ kind: 'uniform' }),
  prioritized: (priorityExponent: number): SelectorSpec => ({ kind: 'prioritized', priorityExponent }),
  fifo: (): SelectorSpec => ({ kind: 'fifo' }),
  lifo: (): SelectorSpec => ({ kind: 'lifo' }),
  minHeap: (): SelectorSpec => ({ kind: 'minHeap' }),
  maxHeap: (): SelectorSpec => ({ kind: 'maxHeap' }),
} as const;

const CODES = { uniform: 0, prioritized: 1, fifo: 2, lifo: 3, minHeap: 4, maxHeap: 5 } as const;

/** `[kind code, priorityExponent]` as the core decodes it (crates/replay/src/selectors). */
export function encodeSelector(spec: SelectorSpec, name: string): [number, number] {
  const kind = (spec as { kind?: unknown } | undefined)?.kind;
  if (typeof kind !== 'string' || !(kind in CODES)) {
    throw new TypeError(`${name} must be a selector (Selectors.prioritized(a), uniform(), fifo(), ...)`);
  }
  if (spec.kind === 'prioritized') {
    if (typeof spec.priorityExponent !== 'number') {
      throw new TypeError(`${name}.priorityExponent must be a number`);
    }
    return [CODES.prioritized, spec.priorityExponent];
  }
  return [CODES[spec.kind], 0];
}
