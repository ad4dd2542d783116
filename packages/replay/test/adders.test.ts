/**
 * What the adders share: priorities per table, several tables, inserts that wait for a rate
 * limiter (queued, flushed, bounded by maxInFlightItems), and the n-step adder's frame path
 * (each frame stored once, transitions gathered back into exactly the observed stacks).
 */
import {
  ArraySpec,
  DiscreteArray,
  type EnvironmentSpec,
  restart,
  termination,
  transition,
  truncation,
} from '@acme-ts/core';
import { describe, expect, it } from 'vitest';
import { NStepTransitionAdder, RateLimiters, Selectors, Table, type Transition } from '../src/index.js';
import { drain, rounded, scalarSpec } from './helpers.js';

describe('adders: priorities and tables', () => {
  it('gives each table the priority its function computes from the item', () => {
    const signature = NStepTransitionAdder.signature(scalarSpec());
    const a = Table.queue('a', 10, signature);
    const b = Table.queue('b', 10, signature);
    const adder = new NStepTransitionAdder([a, b], 1, 1, {
      priorityFns: { a: (t: Transition) => (t.reward as number) * 10, b: 0.5 },
    });
    adder.addFirst(restart(1));
    adder.add(0, transition(2, 2));
    adder.add(0, termination(3, 3));
    expect(Array.from(a.trySample(1)!.priorities)).toEqual([20]);
    expect(Array.from(b.trySample(1)!.priorities)).toEqual([0.5]);
    expect(rounded(drain(a))).toEqual(rounded(drain(b)));
  });

  it('refuses unknown table names, bad priorities, and inserts nothing when a function fails', () => {
    const t = Table.queue('t', 10, NStepTransitionAdder.signature(scalarSpec()));
    expect(() => new NStepTransitionAdder(t, 1, 1, { priorityFns: { other: null } })).toThrow(
      /names table "other"/,
    );
    const adder = new NStepTransitionAdder(t, 1, 1, { priorityFns: { t: () => Number.NaN } });
    adder.addFirst(restart(1));
    expect(() => adder.add(0, transition(1, 2))).toThrow(/priority function of table "t" returned NaN/);
    expect(t.size).toBe(0);
  });

  it('queues items the rate limiter refuses, inserts them in order as samples free room, and flushes', async () => {
    const t = Table.queue('q', 2, NStepTransitionAdder.signature(scalarSpec()));
    const adder = new NStepTransitionAdder(t, 1, 1);
    adder.addFirst(restart(1));
    for (let o = 2; o <= 5; o++) adder.add(0, transition(o, o));
    expect(t.size).toBe(2);
    expect(adder.pendingItems).toBe(2);
    const rewards: number[] = [];
    const flushed = adder.flush();
    for (let i = 0; i < 4; i++) rewards.push((await t.sample(1)).column('reward')[0]!);
    await flushed;
    expect(rewards).toEqual([2, 3, 4, 5]);
    expect(adder.pendingItems).toBe(0);
  });

  it('throws once more than maxInFlightItems wait, instead of queueing without bound', () => {
    const t = Table.queue('q', 1, NStepTransitionAdder.signature(scalarSpec()));
    const adder = new NStepTransitionAdder(t, 1, 1, { maxInFlightItems: 1 });
    adder.addFirst(restart(1));
    adder.add(0, transition(1, 2));
    adder.add(0, transition(1, 3));
    expect(() => adder.add(0, transition(1, 4))).toThrow(
      /2 items wait for a rate limiter \(maxInFlightItems 1.*disableInsertBlocking/,
    );
    t.close();
  });
});

describe('NStepTransitionAdder with frame deduplication (Atari path)', () => {
  const H = 3;
  const W = 2;
  const K = 4;
  const FRAME = H * W;

  /** A frame stacker as Acme's (zeros before the first frame, stack axis last). */
  function stacker() {
    const frames: Uint8Array[] = [];
    return {
      reset() {
        frames.length = 0;
      },
      push(frame: Uint8Array): Uint8Array {
        frames.push(frame);
        const stack = new Uint8Array(FRAME * K);
        for (let k = 0; k < K; k++) {
          const f = frames[frames.length - K + k];
          if (!f) continue;
          for (let p = 0; p < FRAME; p++) stack[p * K + k] = f[p]!;
        }
        return stack;
      },
    };
  }

  const spec: EnvironmentSpec = {
    observations: new ArraySpec([H, W, K], 'uint8'),
    actions: new DiscreteArray(4),
    rewards: new ArraySpec([], 'float64'),
    discounts: new ArraySpec([], 'float64'),
  };

  it('stores each frame once and gathers observation and next-observation stacks identical to those observed', () => {
    const table = new Table({
      name: 'atari',
      sampler: Selectors.fifo(),
      remover: Selectors.fifo(),
      maxSize: 1000,
      maxTimesSampled: 1,
      rateLimiter: RateLimiters.minSize(1),
      signature: NStepTransitionAdder.signature(spec),
      frames: { shape: [H, W], stack: K, fields: ['observation', 'nextObservation'] },
    });
    const adder = new NStepTransitionAdder(table, 3, 0.9);
    const stack = stacker();
    const expected: { observation: Uint8Array; next: Uint8Array; action: number }[] = [];
    let frameValue = 1;
    for (const length of [7, 2]) {
      stack.reset();
      const observations = [stack.push(new Uint8Array(FRAME).fill(frameValue++))];
      adder.addFirst(restart(observations[0]));
      for (let t = 1; t <= length; t++) {
        const frame = Uint8Array.from({ length: FRAME }, (_, p) => frameValue * 10 + p);
        frameValue++;
        observations.push(stack.push(frame));
        const ts = t === length ? truncation(1, observations[t]!) : transition(1, observations[t]!);
        adder.add(t % 4, ts);
      }
      // Acme's windows: head (s0 -> s1..s3), full n-step, then the tail ending at s_T.
      const T = length;
      for (let t = 1; t <= T; t++) {
        const first = Math.max(0, t - 3);
        expected.push({ observation: observations[first]!, next: observations[t]!, action: (first + 1) % 4 });
      }
      for (let first = Math.max(0, T - 3) + 1; first < T; first++) {
        expected.push({ observation: observations[first]!, next: observations[T]!, action: (first + 1) % 4 });
      }
    }
    // Two episodes of 7 and 2 steps: 11 observations, each stored as one frame.
    expect(table.info().nextFrameId).toBe(11);
    expect(table.size).toBe(expected.length);
    const s = table.createSample(1);
    for (const e of expected) {
      table.trySample(s);
      expect(s.column('observation')).toEqual(e.observation);
      expect(s.column('nextObservation')).toEqual(e.next);
      expect(s.column('action')[0]).toBe(e.action);
    }
  });

  it('checks observations against the stack shape before storing a frame', () => {
    const table = new Table({
      name: 'atari',
      sampler: Selectors.uniform(),
      remover: Selectors.fifo(),
      maxSize: 10,
      rateLimiter: RateLimiters.minSize(1),
      signature: NStepTransitionAdder.signature(spec),
      frames: { shape: [H, W], stack: K, fields: ['observation', 'nextObservation'] },
    });
    const adder = new NStepTransitionAdder(table, 1, 0.99);
    expect(() => adder.addFirst(restart(new Uint8Array(FRAME)))).toThrow(
      /timestep\.observation must be a uint8 of shape \[3, 2, 4\] \(24 elements\), got Uint8Array\(6\)/,
    );
    expect(table.addFrame(new Uint8Array(FRAME))).toBe(0);
  });
});
