/**
 * ReplayDataset: batches in reused buffers, prefetching, waiting on the rate limiter, the sync
 * `tryNext()` a single-process learner uses, and conversion to tf tensors.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { ArraySpec, DiscreteArray } from '@acme-ts/core';
import { describe, expect, it } from 'vitest';
import {
  RateLimiters,
  ReplayDataset,
  Selectors,
  Table,
  TableCancelledError,
  toTensors,
} from '../src/index.js';

const SIGNATURE = { observation: new ArraySpec([2], 'float32'), action: new DiscreteArray(3) };
const item = (i: number) => ({ observation: Float32Array.of(i, i + 0.5), action: i % 3 });

function queue(size = 100): Table {
  return new Table({
    name: 'q',
    sampler: Selectors.fifo(),
    remover: Selectors.fifo(),
    maxSize: size,
    maxTimesSampled: 1,
    rateLimiter: RateLimiters.queue(size),
    signature: SIGNATURE,
  });
}

describe('ReplayDataset', () => {
  it('yields batches in order from prefetch + 1 reused buffers', async () => {
    const t = queue();
    for (let i = 0; i < 12; i++) t.tryInsert(item(i), 1);
    const ds = new ReplayDataset(t, { batchSize: 3, prefetch: 1 });
    const seen: number[][] = [];
    const buffers = new Set<unknown>();
    for (let b = 0; b < 4; b++) {
      const { value } = await ds.next();
      buffers.add(value);
      const observations = value!.column('observation');
      seen.push([observations[0]!, observations[2]!, observations[4]!]);
    }
    expect(seen).toEqual([
      [0, 1, 2],
      [3, 4, 5],
      [6, 7, 8],
      [9, 10, 11],
    ]);
    expect(buffers.size).toBe(2);
    expect(ds.retrievedElements).toBe(4);
  });

  it('works with for await, and leaving the loop closes the dataset', async () => {
    const t = queue();
    for (let i = 0; i < 10; i++) t.tryInsert(item(i), 1);
    const ds = new ReplayDataset(t, { batchSize: 2, prefetch: 2 });
    const firsts: number[] = [];
    for await (const batch of ds) {
      firsts.push(batch.column('observation')[0]!);
      if (firsts.length === 3) break;
    }
    expect(firsts).toEqual([0, 2, 4]);
    expect(ds.tryNext()).toBeUndefined();
    expect(ds.ready()).toBe(false);
  });

  it('keeps a handed-out batch intact while the next one is prefetched', async () => {
    const t = queue();
    for (let i = 0; i < 6; i++) t.tryInsert(item(i), 1);
    const ds = new ReplayDataset(t, { batchSize: 2, prefetch: 1 });
    const first = (await ds.next()).value!;
    // The prefetched batch (items 2, 3) went into the other buffer.
    expect(Array.from(first.column('observation'))).toEqual([0, 0.5, 1, 1.5]);
    expect(t.size).toBe(2);
  });

  it('tryNext() never waits: undefined until the limiter allows a batch, which then comes at once', () => {
    const t = queue();
    const ds = new ReplayDataset(t, { batchSize: 2, prefetch: 0 });
    expect(ds.ready()).toBe(false);
    expect(ds.tryNext()).toBeUndefined();
    t.tryInsert(item(0), 1);
    expect(ds.tryNext()).toBeUndefined();
    t.tryInsert(item(1), 1);
    // The draw started by the first tryNext() waited in the table and completed with this insert.
    expect(ds.ready()).toBe(true);
    const batch = ds.tryNext();
    expect(Array.from(batch!.column('action'))).toEqual([0, 1]);
    expect(ds.tryNext()).toBeUndefined();
    ds.close();
  });

  it('waits for inserts in next(), and its keys and probabilities drive priority updates', async () => {
    const t = new Table({
      name: 'p',
      sampler: Selectors.prioritized(1),
      remover: Selectors.fifo(),
      maxSize: 10,
      rateLimiter: RateLimiters.minSize(3),
      signature: SIGNATURE,
    });
    const ds = new ReplayDataset(t, { batchSize: 4, prefetch: 0 });
    const next = ds.next();
    for (let i = 0; i < 3; i++) t.tryInsert(item(i), 1);
    const batch = (await next).value!;
    expect(Array.from(batch.probabilities)).toEqual(
      [1 / 3, 1 / 3, 1 / 3, 1 / 3].map((p) => expect.closeTo(p, 12)),
    );
    expect(ds.updatePriorities(batch.keys, new Float64Array(4).fill(2))).toBe(4);
    expect(Array.from(t.prioritiesOf(batch.keys))).toEqual([2, 2, 2, 2]);
  });

  it('ends waiting draws when closed, and times out with the rate limiter error', async () => {
    const t = queue();
    const ds = new ReplayDataset(t, { batchSize: 1, prefetch: 0 });
    const next = ds.next();
    ds.close();
    expect(await next).toEqual({ done: true, value: undefined });
    const timed = new ReplayDataset(t, { batchSize: 1, prefetch: 0, timeoutMs: 10 });
    await expect(timed.next()).rejects.toThrow(/waited 10 ms/);
    const it = new ReplayDataset(t, { batchSize: 1 });
    const pending = it.next();
    await it.return();
    await expect(pending).resolves.toEqual({ done: true, value: undefined });
    // Closing the table instead ends the wait with its error.
    const other = queue();
    const waiting = new ReplayDataset(other, { batchSize: 1, prefetch: 0 }).next();
    other.close();
    await expect(waiting).rejects.toThrow(TableCancelledError);
  });

  it('turns a batch into tf tensors of shape [batch, ...shape], copies that the next batch cannot change', async () => {
    await tf.setBackend('cpu');
    const t = queue();
    for (let i = 0; i < 4; i++) t.tryInsert(item(i), 1);
    const s = t.trySample(2)!;
    const tensors = toTensors(tf, s) as { observation: tf.Tensor; action: tf.Tensor };
    expect(tensors.observation.shape).toEqual([2, 2]);
    expect(tensors.observation.dtype).toBe('float32');
    expect(tensors.action.dtype).toBe('int32');
    t.trySample(s);
    expect(Array.from(tensors.observation.dataSync())).toEqual([0, 0.5, 1, 1.5]);
    expect(Array.from(tensors.action.dataSync())).toEqual([0, 1]);
    tf.dispose([tensors.observation, tensors.action]);
  });
});
