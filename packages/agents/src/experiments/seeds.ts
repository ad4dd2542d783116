/** Seeds of an experiment's parts. */
import { Random } from '@acme-ts/core';

/** Independent generator streams derived from one seed, so each part's randomness is separate. */
export function seedsFrom(seed: number): { network: number; table: number; actor: Random } {
  const root = new Random(seed);
  return { network: root.int(2 ** 31), table: root.int(2 ** 31), actor: root.split() };
}
