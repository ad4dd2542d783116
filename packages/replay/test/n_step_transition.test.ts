/**
 * NStepTransitionAdder against Acme's TEST_CASES_FOR_TRANSITION_ADDER (acme/adders/reverb/
 * test_cases.py): the same trajectories must give exactly the same transitions, written into a
 * queue table and read back in order. Observations are the integers of the test cases, actions 0.
 */
import {
  ArraySpec,
  type EnvironmentSpec,
  type NestedSpec,
  restart,
  StepType,
  type TimeStep,
  TimeStep as TS,
  termination,
  transition,
  truncation,
} from '@acme-ts/core';
import { describe, expect, it } from 'vitest';
import { NStepTransitionAdder, RateLimiters, Selectors, Table } from '../src/index.js';
import { drain, f64, rounded, scalarSpec } from './helpers.js';

type Step = [number, TimeStep<unknown, unknown, unknown>, unknown?];

interface Case {
  name: string;
  nStep: number;
  discount: number;
  first: TimeStep<unknown, unknown, unknown>;
  steps: Step[];
  expected: Record<string, unknown>[];
  spec?: EnvironmentSpec;
  extrasSpec?: NestedSpec;
}

const T = (
  observation: unknown,
  action: number,
  reward: unknown,
  discount: unknown,
  next: unknown,
  extras?: unknown,
) => ({
  observation,
  action,
  reward,
  discount,
  nextObservation: next,
  ...(extras === undefined ? {} : { extras }),
});

/** dm_env's `termination(...)._replace(discount=d)`. */
const lastWith = (reward: unknown, observation: unknown, discount: unknown) =>
  new TS(StepType.LAST, reward, discount, observation);

const f64a = (...x: number[]) => Float64Array.from(x);

const CASES: Case[] = [
  {
    name: 'OneStepFinalReward',
    nStep: 1,
    discount: 1,
    first: restart(1),
    steps: [
      [0, transition(0, 2)],
      [0, transition(0, 3)],
      [0, termination(1, 4)],
    ],
    expected: [T(1, 0, 0, 1, 2), T(2, 0, 0, 1, 3), T(3, 0, 1, 0, 4)],
  },
  {
    name: 'OneStepDict',
    nStep: 1,
    discount: 1,
    first: restart({ foo: 1 }),
    steps: [
      [0, transition(0, { foo: 2 })],
      [0, transition(0, { foo: 3 })],
      [0, termination(1, { foo: 4 })],
    ],
    expected: [
      T({ foo: 1 }, 0, 0, 1, { foo: 2 }),
      T({ foo: 2 }, 0, 0, 1, { foo: 3 }),
      T({ foo: 3 }, 0, 1, 0, { foo: 4 }),
    ],
    spec: scalarSpec({ observations: { foo: new ArraySpec([], 'int32') } }),
  },
  {
    name: 'OneStepExtras',
    nStep: 1,
    discount: 1,
    first: restart(1),
    steps: [
      [0, transition(0, 2), { state: 0 }],
      [0, transition(0, 3), { state: 1 }],
      [0, termination(1, 4), { state: 2 }],
    ],
    expected: [
      T(1, 0, 0, 1, 2, { state: 0 }),
      T(2, 0, 0, 1, 3, { state: 1 }),
      T(3, 0, 1, 0, 4, { state: 2 }),
    ],
    extrasSpec: { state: new ArraySpec([], 'int32') },
  },
  {
    name: 'OneStepExtrasZeroes',
    nStep: 1,
    discount: 1,
    first: restart(1),
    steps: [
      [0, transition(0, 2), f64a(0)],
      [0, transition(0, 3), f64a(0)],
      [0, termination(1, 4), f64a(0)],
    ],
    expected: [T(1, 0, 0, 1, 2, [0]), T(2, 0, 0, 1, 3, [0]), T(3, 0, 1, 0, 4, [0])],
    extrasSpec: f64([1]),
  },
  {
    name: 'TwoStep',
    nStep: 2,
    discount: 1,
    first: restart(1),
    steps: [
      [0, transition(1, 2, 0.5)],
      [0, transition(1, 3, 0.5)],
      [0, termination(1, 4)],
    ],
    expected: [T(1, 0, 1.0, 0.5, 2), T(1, 0, 1.5, 0.25, 3), T(2, 0, 1.5, 0, 4), T(3, 0, 1.0, 0, 4)],
  },
  {
    name: 'TwoStepStructuredReward',
    nStep: 2,
    discount: 1,
    first: restart(1),
    steps: [
      [0, transition([1, 2], 2, 0.5)],
      [0, transition([1, 2], 3, 0.5)],
      [0, termination([1, 2], 4)],
    ],
    // The scalar discount is tiled into the reward's structure, as Acme's broadcast_structures does.
    expected: [
      T(1, 0, [1, 2], [0.5, 0.5], 2),
      T(1, 0, [1.5, 3], [0.25, 0.25], 3),
      T(2, 0, [1.5, 3], [0, 0], 4),
      T(3, 0, [1, 2], [0, 0], 4),
    ],
    spec: scalarSpec({ rewards: [f64(), f64()] }),
  },
  {
    name: 'TwoStepNDArrayReward',
    nStep: 2,
    discount: 1,
    first: restart(1),
    steps: [
      [0, transition(f64a(1, 2), 2, 0.5)],
      [0, transition(f64a(1, 2), 3, 0.5)],
      [0, termination(f64a(1, 2), 4)],
    ],
    // D keeps the discount's shape (a scalar): Acme's expected (0.5, 0.5) equals it under broadcasting.
    expected: [
      T(1, 0, [1, 2], 0.5, 2),
      T(1, 0, [1.5, 3], 0.25, 3),
      T(2, 0, [1.5, 3], 0, 4),
      T(3, 0, [1, 2], 0, 4),
    ],
    spec: scalarSpec({ rewards: f64([2]) }),
  },
  {
    name: 'TwoStepStructuredDiscount',
    nStep: 2,
    discount: 1,
    first: restart(1),
    steps: [
      [0, transition(1, 2, { a: 0.5, b: 0.1 })],
      [0, transition(1, 3, { a: 0.5, b: 0.1 })],
      [0, lastWith(1, 4, { a: 0, b: 0 })],
    ],
    expected: [
      T(1, 0, { a: 1, b: 1 }, { a: 0.5, b: 0.1 }, 2),
      T(1, 0, { a: 1.5, b: 1.1 }, { a: 0.25, b: 0.01 }, 3),
      T(2, 0, { a: 1.5, b: 1.1 }, { a: 0, b: 0 }, 4),
      T(3, 0, { a: 1, b: 1 }, { a: 0, b: 0 }, 4),
    ],
    spec: scalarSpec({ discounts: { a: f64(), b: f64() } }),
  },
  {
    name: 'TwoStepNDArrayDiscount',
    nStep: 2,
    discount: 1,
    first: restart(1),
    steps: [
      [0, transition(1, 2, f64a(0.5, 0.1))],
      [0, transition(1, 3, f64a(0.5, 0.1))],
      [0, lastWith(1, 4, f64a(0, 0))],
    ],
    expected: [
      T(1, 0, [1, 1], [0.5, 0.1], 2),
      T(1, 0, [1.5, 1.1], [0.25, 0.01], 3),
      T(2, 0, [1.5, 1.1], [0, 0], 4),
      T(3, 0, [1, 1], [0, 0], 4),
    ],
    spec: scalarSpec({ discounts: f64([2]) }),
  },
  {
    name: 'TwoStepBroadcastedNDArrays',
    nStep: 2,
    discount: 1,
    first: restart(1),
    steps: [
      [0, transition(f64a(1, 2), 2, f64a(0.5, 0.1))],
      [0, transition(f64a(1, 2), 3, f64a(0.5, 0.1))],
      [0, lastWith(f64a(1, 2), 4, f64a(0, 0))],
    ],
    expected: [
      T(1, 0, [1, 2, 1, 2], [0.5, 0.1], 2),
      T(1, 0, [1.5, 3, 1.1, 2.2], [0.25, 0.01], 3),
      T(2, 0, [1.5, 3, 1.1, 2.2], [0, 0], 4),
      T(3, 0, [1, 2, 1, 2], [0, 0], 4),
    ],
    spec: scalarSpec({ rewards: f64([1, 2]), discounts: f64([2, 1]) }),
  },
  {
    name: 'TwoStepStructuredBroadcastedNDArrays',
    nStep: 2,
    discount: 1,
    first: restart(1),
    steps: [
      [0, transition({ a: f64a(1, 2) }, 2, f64a(0.5, 0.1))],
      [0, transition({ a: f64a(1, 2) }, 3, f64a(0.5, 0.1))],
      [0, lastWith({ a: f64a(1, 2) }, 4, f64a(0, 0))],
    ],
    expected: [
      T(1, 0, { a: [1, 2, 1, 2] }, { a: [0.5, 0.1] }, 2),
      T(1, 0, { a: [1.5, 3, 1.1, 2.2] }, { a: [0.25, 0.01] }, 3),
      T(2, 0, { a: [1.5, 3, 1.1, 2.2] }, { a: [0, 0] }, 4),
      T(3, 0, { a: [1, 2, 1, 2] }, { a: [0, 0] }, 4),
    ],
    spec: scalarSpec({ rewards: { a: f64([1, 2]) }, discounts: f64([2, 1]) }),
  },
  {
    name: 'TwoStepWithExtras',
    nStep: 2,
    discount: 1,
    first: restart(1),
    steps: [
      [0, transition(1, 2, 0.5), { state: 0 }],
      [0, transition(1, 3, 0.5), { state: 1 }],
      [0, termination(1, 4), { state: 2 }],
    ],
    expected: [
      T(1, 0, 1.0, 0.5, 2, { state: 0 }),
      T(1, 0, 1.5, 0.25, 3, { state: 0 }),
      T(2, 0, 1.5, 0, 4, { state: 1 }),
      T(3, 0, 1.0, 0, 4, { state: 2 }),
    ],
    extrasSpec: { state: new ArraySpec([], 'int32') },
  },
  {
    name: 'ThreeStepDiscounted',
    nStep: 3,
    discount: 0.4,
    first: restart(1),
    steps: [
      [0, transition(1, 2, 0.5)],
      [0, transition(1, 3, 0.5)],
      [0, termination(1, 4)],
    ],
    expected: [
      T(1, 0, 1.0, 0.5, 2),
      T(1, 0, 1.2, 0.1, 3),
      T(1, 0, 1.24, 0, 4),
      T(2, 0, 1.2, 0, 4),
      T(3, 0, 1.0, 0, 4),
    ],
  },
  {
    name: 'ThreeStepVaryingReward',
    nStep: 3,
    discount: 0.5,
    first: restart(1),
    steps: [
      [0, transition(2, 2)],
      [0, transition(3, 3)],
      [0, transition(5, 4)],
      [0, termination(7, 5)],
    ],
    expected: [
      T(1, 0, 2, 1, 2),
      T(1, 0, 2 + 0.5 * 3, 0.5, 3),
      T(1, 0, 2 + 0.5 * 3 + 0.25 * 5, 0.25, 4),
      T(2, 0, 3 + 0.5 * 5 + 0.25 * 7, 0, 5),
      T(3, 0, 5 + 0.5 * 7, 0, 5),
      T(4, 0, 7, 0, 5),
    ],
  },
  {
    name: 'SingleTransitionEpisode',
    nStep: 4,
    discount: 1,
    first: restart(1),
    steps: [[0, termination(1, 2)]],
    expected: [T(1, 0, 1, 0, 2)],
  },
  {
    name: 'EpisodeShorterThanN',
    nStep: 4,
    discount: 1,
    first: restart(1),
    steps: [
      [0, transition(1, 2)],
      [0, termination(1, 3)],
    ],
    expected: [T(1, 0, 1, 1, 2), T(1, 0, 2, 0, 3), T(2, 0, 1, 0, 3)],
  },
  {
    name: 'EpisodeEqualToN',
    nStep: 3,
    discount: 1,
    first: restart(1),
    steps: [
      [0, transition(1, 2)],
      [0, termination(1, 3)],
    ],
    expected: [T(1, 0, 1, 1, 2), T(1, 0, 2, 0, 3), T(2, 0, 1, 0, 3)],
  },
];

function queueFor(c: Case): { table: Table; adder: NStepTransitionAdder } {
  const spec = c.spec ?? scalarSpec();
  const table = Table.queue('priority_table', 1000, NStepTransitionAdder.signature(spec, c.extrasSpec));
  const adder = new NStepTransitionAdder(table, c.nStep, c.discount, { environmentSpec: spec });
  return { table, adder };
}

describe("NStepTransitionAdder: Acme's transition test cases", () => {
  for (const c of CASES) {
    it(c.name, () => {
      const { table, adder } = queueFor(c);
      adder.addFirst(c.first);
      for (const [action, ts, extras] of c.steps) adder.add(action, ts, extras);
      expect(rounded(drain(table))).toEqual(rounded(c.expected));
      // T + min(n, T) - 1 transitions per episode.
      const steps = c.steps.length;
      expect(c.expected.length).toBe(steps + Math.min(c.nStep, steps) - 1);
      table.close();
    });
  }

  it('writes the same transitions when the episode is repeated (the adder resets itself after LAST)', () => {
    const c = CASES.find((x) => x.name === 'ThreeStepVaryingReward')!;
    const { table, adder } = queueFor(c);
    for (let episode = 0; episode < 3; episode++) {
      adder.addFirst(c.first);
      for (const [action, ts] of c.steps) adder.add(action, ts);
    }
    expect(rounded(drain(table))).toEqual(rounded([...c.expected, ...c.expected, ...c.expected]));
  });
});

describe('NStepTransitionAdder: termination versus truncation', () => {
  it('bootstraps after a truncation (D = g^(k-1) prod d) and not after a termination (D = 0)', () => {
    for (const [last, discountOfLast] of [
      [termination(1, 3), 0],
      [truncation(1, 3), 1],
    ] as const) {
      const table = Table.queue('q', 100, NStepTransitionAdder.signature(scalarSpec()));
      const adder = new NStepTransitionAdder(table, 2, 0.9);
      adder.addFirst(restart(1));
      adder.add(0, transition(1, 2));
      adder.add(0, last);
      const g = Math.fround(0.9);
      expect(rounded(drain(table))).toEqual(
        rounded([T(1, 0, 1, 1, 2), T(1, 0, 1 + g, g * discountOfLast, 3), T(2, 0, 1, discountOfLast, 3)]),
      );
    }
  });
});

describe('NStepTransitionAdder: usage errors', () => {
  const table = () => Table.queue('q', 100, NStepTransitionAdder.signature(scalarSpec()));

  it('needs addFirst before add, and a FIRST timestep for addFirst', () => {
    const adder = new NStepTransitionAdder(table(), 1, 1);
    expect(() => adder.add(0, transition(0, 2))).toThrow(/addFirst must be called before/);
    expect(() => adder.addFirst(transition(0, 2))).toThrow(/FIRST timestep/);
    adder.addFirst(restart(1));
    expect(() => adder.addFirst(restart(1))).toThrow(/reset must be called/);
    adder.reset();
    adder.addFirst(restart(1));
  });

  it('names the field and the expected dtype when an input does not fit the signature, and changes nothing', () => {
    const t = table();
    const adder = new NStepTransitionAdder(t, 1, 1);
    adder.addFirst(restart(1));
    expect(() => adder.add(0.5, transition(0, 2))).toThrow(
      /action must be a int32 of shape \[\] \(an integer/,
    );
    expect(() => adder.add(0, transition(0, new Float32Array(2)))).toThrow(
      /nextTimestep\.observation must be a int32 of shape \[\] \(a number\), got Float32Array\(2\)/,
    );
    expect(() => adder.add(0, transition(null, 2))).toThrow(/nextTimestep\.reward must be a number/);
    expect(() => adder.add(0, transition(0, 2), { state: 1 })).toThrow(/extras were given/);
    expect(t.size).toBe(0);
    adder.add(0, transition(0, 2));
    expect(t.size).toBe(1);
  });

  it('refuses tables whose signature is not a transition', () => {
    const other = new Table({
      name: 'x',
      sampler: Selectors.uniform(),
      remover: Selectors.fifo(),
      maxSize: 10,
      rateLimiter: RateLimiters.minSize(1),
      signature: { observation: new ArraySpec([], 'int32') },
    });
    expect(() => new NStepTransitionAdder(other, 1, 1)).toThrow(/must be a Transition/);
    expect(() => new NStepTransitionAdder(table(), 0, 1)).toThrow(/nStep must be an integer >= 1/);
  });
});
