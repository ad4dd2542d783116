/** Shared fixtures of the replay tests: Acme's test-case environment specs and table readers. */
import { ArraySpec, BoundedArray, type EnvironmentSpec, type NestedSpec } from '@acme-ts/core';
import type { Table } from '../src/index.js';

/** Observations and actions are small integers, rewards and discounts float64 scalars (dm_env's defaults). */
export function scalarSpec(overrides: Partial<EnvironmentSpec> = {}): EnvironmentSpec {
  return {
    observations: new ArraySpec([], 'int32', 'observation'),
    actions: new ArraySpec([], 'int32', 'action'),
    rewards: new ArraySpec([], 'float64', 'reward'),
    discounts: new BoundedArray([], 'float64', 0, 1, 'discount'),
    ...overrides,
  };
}

export const f64 = (shape: number[] = []): ArraySpec => new ArraySpec(shape, 'float64');

/** Every item of a queue table (FIFO, each sampled once), in insertion order. */
export function drain(table: Table): unknown[] {
  const out: unknown[] = [];
  const sample = table.createSample(1);
  while (table.trySample(sample)) out.push(sample.item(0));
  return out;
}

/** Replaces float32-rounded numbers and typed arrays by plain arrays of numbers rounded to 5 digits. */
export function rounded(value: unknown): unknown {
  if (typeof value === 'number') return Math.round(value * 1e5) / 1e5;
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number>, (x) => rounded(x));
  if (Array.isArray(value)) return value.map(rounded);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rounded(v)]));
  }
  return value;
}

export type Spec = NestedSpec;
