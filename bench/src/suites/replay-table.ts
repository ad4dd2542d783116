/**
 * @acme-ts/replay end to end, as a DQN step uses it: `adder.add` of one environment step (an
 * n-step transition written into a prioritized table), then `table.trySample(32)` (draw + gather
 * into preallocated buffers) and `updatePriorities` of the 32 keys. Environment work is excluded:
 * timesteps come from a pool prepared ahead. Cases:
 *
 * - CartPole: float32[4] observations, n = 5 (Acme's DQNConfig), table of 100k, 50k filled.
 * - Atari: 84x84x4 uint8 stacks stored as deduplicated frames, n = 1 (Acme's Atari example),
 *   table of 20k, full; each step stores one 84x84 frame and gathers 2 x 32 stacks.
 *
 * Each case also times its parts (add alone; sample+gather+update alone) and counts garbage
 * collections over 100k steps (0 when nothing is allocated per step). napi is the baseline of
 * the ratio column.
 */

import { PerformanceObserver } from 'node:perf_hooks';
import {
  ArraySpec,
  BoundedArray,
  DiscreteArray,
  type EnvironmentSpec,
  restart,
  type TimeStep,
  termination,
  transition,
  truncation,
} from '@acme-ts/core';
import { type Binding, loadBinding } from '@acme-ts/native';
import { NStepTransitionAdder, RateLimiters, Selectors, Table } from '@acme-ts/replay';
import { type Row, type Suite, timeCase, withRatios } from '../harness.js';

const BATCH = 32;
const EXPONENT = 0.6;

type Step = TimeStep<unknown, unknown, unknown>;

interface Workload {
  name: string;
  spec: EnvironmentSpec;
  nStep: number;
  maxSize: number;
  prefill: number;
  episode: number;
  frames?: { shape: number[]; stack: number };
  /** Pool of observations the timesteps cycle through. */
  observations: unknown[];
}

function cartPole(): Workload {
  const observations = Array.from({ length: 256 }, (_, i) =>
    Float32Array.of(Math.sin(i), Math.cos(i) * 0.5, Math.sin(i * 0.3) * 0.2, Math.cos(i * 0.7)),
  );
  return {
    name: 'CartPole (obs float32[4], n=5)',
    spec: {
      observations: new BoundedArray([4], 'float32', -5, 5),
      actions: new DiscreteArray(2),
      rewards: new ArraySpec([], 'float64'),
      discounts: new BoundedArray([], 'float64', 0, 1),
    },
    nStep: 5,
    maxSize: 100_000,
    prefill: 50_000,
    episode: 200,
    observations,
  };
}

function atari(): Workload {
  // Stacks as a frame stacker builds them (axis last), from 64 distinct frames.
  const frame = 84 * 84;
  const frames = Array.from({ length: 64 }, (_, i) =>
    Uint8Array.from({ length: frame }, (_, p) => (p * 7 + i * 13) & 255),
  );
  const observations = frames.map((_, i) => {
    const stack = new Uint8Array(frame * 4);
    for (let k = 0; k < 4; k++) {
      const f = frames[(i + 61 + k) % 64]!;
      for (let p = 0; p < frame; p++) stack[p * 4 + k] = f[p]!;
    }
    return stack;
  });
  return {
    name: 'Atari (obs 84x84x4 uint8 as frames, n=1)',
    spec: {
      observations: new ArraySpec([84, 84, 4], 'uint8'),
      actions: new DiscreteArray(18),
      rewards: new ArraySpec([], 'float64'),
      discounts: new BoundedArray([], 'float64', 0, 1),
    },
    nStep: 1,
    maxSize: 20_000,
    prefill: 20_000,
    episode: 500,
    frames: { shape: [84, 84], stack: 4 },
    observations,
  };
}

/** An actor's stream of steps: addFirst at each episode start, then add per step. */
class StepStream {
  #t = 0;
  #i = 0;
  readonly #steps: Step[];
  readonly #first: Step;
  constructor(
    readonly w: Workload,
    readonly adder: NStepTransitionAdder,
  ) {
    const pool = w.observations;
    this.#first = restart(pool[0]);
    // One MID step per pool entry plus the two ways an episode ends.
    this.#steps = pool.map((o, i) => transition(i % 3 === 0 ? 1 : 0, o));
    this.#steps.push(termination(1, pool[1]), truncation(0, pool[2]));
  }
  step(): void {
    if (this.#t === 0) this.adder.addFirst(this.#first);
    this.#t++;
    const n = this.w.observations.length;
    const ending = this.#t === this.w.episode;
    const ts = ending ? this.#steps[n + (this.#i & 1)]! : this.#steps[this.#i++ % n]!;
    this.adder.add(this.#i % 2, ts);
    if (ending) this.#t = 0;
  }
}

function setup(w: Workload, binding: Binding) {
  const table = new Table({
    name: 'priority_table',
    sampler: Selectors.prioritized(EXPONENT),
    remover: Selectors.fifo(),
    maxSize: w.maxSize,
    rateLimiter: RateLimiters.minSize(1000),
    signature: NStepTransitionAdder.signature(w.spec),
    ...(w.frames ? { frames: { ...w.frames, fields: ['observation', 'nextObservation'] } } : {}),
    seed: 1,
    binding,
  });
  const adder = new NStepTransitionAdder(table, w.nStep, 0.99);
  const stream = new StepStream(w, adder);
  for (let i = 0; i < w.prefill; i++) stream.step();
  const sample = table.createSample(BATCH);
  // Fresh priorities every call, drawn ahead so that the loop measures only replay.
  const fresh = Array.from({ length: 64 }, (_, r) =>
    Float64Array.from({ length: BATCH }, (_, i) => 0.01 + ((r * 31 + i * 17) % 97) / 10),
  );
  let round = 0;
  const learn = () => {
    if (!table.trySample(sample)) throw new Error('the rate limiter refused a sample');
    table.updatePriorities(sample.keys, fresh[round++ & 63]!);
  };
  return { table, stream, learn };
}

/** Garbage collections while running `steps` full steps: what the loop allocates shows up here. */
async function collections(run: ReturnType<typeof setup>, steps: number): Promise<number> {
  let count = 0;
  const observer = new PerformanceObserver((list) => {
    count += list.getEntries().length;
  });
  observer.observe({ entryTypes: ['gc'] });
  for (let i = 0; i < steps; i++) {
    run.stream.step();
    run.learn();
  }
  // GC entries are delivered asynchronously.
  await new Promise((resolve) => setTimeout(resolve, 50));
  observer.disconnect();
  return count;
}

export const replayTable: Suite = {
  name: 'replay-table',
  description: `@acme-ts/replay end to end: adder.add + table.trySample(${BATCH}) + updatePriorities, napi vs wasm`,
  async run() {
    const bindings = { napi: loadBinding('napi'), wasm: loadBinding('wasm') };
    const rows: Row[] = [];
    const counts: Row[] = [];
    for (const w of [cartPole(), atari()]) {
      const runs = { napi: setup(w, bindings.napi), wasm: setup(w, bindings.wasm) };
      const variants = (fn: (r: (typeof runs)['napi']) => () => void) =>
        (['napi', 'wasm'] as const).map((kind) => ({ variant: kind, fn: fn(runs[kind]) }));
      rows.push(
        ...(await timeCase(
          'replay-table',
          `${w.name}: add + sample(${BATCH}) + updatePriorities`,
          variants((r) => () => {
            r.stream.step();
            r.learn();
          }),
          { unit: 'µs/step', timeMs: 1000 },
        )),
        ...(await timeCase(
          'replay-table',
          `${w.name}: adder.add alone`,
          variants((r) => () => r.stream.step()),
          { unit: 'µs/step', timeMs: 500 },
        )),
        ...(await timeCase(
          'replay-table',
          `${w.name}: sample(${BATCH}) + gather + updatePriorities alone`,
          variants((r) => r.learn),
          { unit: 'µs/batch', timeMs: 500 },
        )),
      );
      for (const kind of ['napi', 'wasm'] as const) {
        counts.push({
          suite: 'replay-table',
          case: `${w.name}: garbage collections per 100k steps (0: nothing allocated per step)`,
          variant: kind,
          value: await collections(runs[kind], 100_000),
          unit: 'GCs',
        });
      }
      runs.napi.table.close();
      runs.wasm.table.close();
    }
    // Ratios only for timings (a count of 0 has none).
    return [...withRatios(rows, 'napi'), ...counts];
  },
};
