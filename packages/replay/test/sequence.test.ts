/**
 * SequenceAdder against Acme's TEST_CASES_FOR_SEQUENCE_ADDER and EpisodeAdder against
 * episode_test.py: rows are (observation, action, reward, discount, startOfEpisode).
 */
import { restart, type TimeStep, termination, transition, truncation } from '@acme-ts/core';
import { describe, expect, it } from 'vitest';
import { EndBehavior, EpisodeAdder, SequenceAdder, Table } from '../src/index.js';
import { drain, rounded, scalarSpec } from './helpers.js';

type Row = [number, number, number, number, boolean];
type Step = [number, TimeStep<unknown, unknown, unknown>];

/** An item as the table returns it: one array per field, time first. */
function columns(rows: Row[]) {
  return {
    observation: rows.map((r) => r[0]),
    action: rows.map((r) => r[1]),
    reward: rows.map((r) => r[2]),
    discount: rows.map((r) => r[3]),
    startOfEpisode: rows.map((r) => (r[4] ? 1 : 0)),
  };
}

const first = restart(1);
const FOUR: Step[] = [
  [0, transition(2, 2)],
  [0, transition(3, 3)],
  [0, transition(5, 4)],
  [0, termination(7, 5)],
];
const EARLY: Step[] = [
  [0, transition(2, 2)],
  [0, termination(3, 3)],
];
const LONG: Step[] = [
  [0, transition(2, 2)],
  [0, transition(3, 3)],
  [0, transition(5, 4)],
  [0, transition(7, 5)],
  [0, transition(9, 6)],
  [0, transition(11, 7)],
  [0, termination(13, 8)],
];

interface Case {
  name: string;
  length: number;
  period: number;
  steps: Step[];
  expected: Row[][];
  behavior: EndBehavior;
  repeat?: number;
}

const CASES: Case[] = [
  {
    name: 'PeriodOne',
    length: 3,
    period: 1,
    steps: FOUR,
    behavior: EndBehavior.ZERO_PAD,
    expected: [
      [
        [1, 0, 2, 1, true],
        [2, 0, 3, 1, false],
        [3, 0, 5, 1, false],
      ],
      [
        [2, 0, 3, 1, false],
        [3, 0, 5, 1, false],
        [4, 0, 7, 0, false],
      ],
      [
        [3, 0, 5, 1, false],
        [4, 0, 7, 0, false],
        [5, 0, 0, 0, false],
      ],
    ],
  },
  {
    name: 'PeriodTwo',
    length: 3,
    period: 2,
    steps: FOUR,
    behavior: EndBehavior.ZERO_PAD,
    expected: [
      [
        [1, 0, 2, 1, true],
        [2, 0, 3, 1, false],
        [3, 0, 5, 1, false],
      ],
      [
        [3, 0, 5, 1, false],
        [4, 0, 7, 0, false],
        [5, 0, 0, 0, false],
      ],
    ],
  },
  ...[1, 2].map(
    (period): Case => ({
      name: `EarlyTerminationPeriod${period === 1 ? 'One' : 'Two'}`,
      length: 3,
      period,
      steps: EARLY,
      behavior: EndBehavior.ZERO_PAD,
      expected: [
        [
          [1, 0, 2, 1, true],
          [2, 0, 3, 0, false],
          [3, 0, 0, 0, false],
        ],
      ],
    }),
  ),
  ...[1, 2].map(
    (period): Case => ({
      name: `EarlyTerminationPaddingPeriod${period === 1 ? 'One' : 'Two'}`,
      length: 4,
      period,
      steps: EARLY,
      behavior: EndBehavior.ZERO_PAD,
      expected: [
        [
          [1, 0, 2, 1, true],
          [2, 0, 3, 0, false],
          [3, 0, 0, 0, false],
          [0, 0, 0, 0, false],
        ],
      ],
    }),
  ),
  {
    name: 'EarlyTerminationNoPadding',
    length: 4,
    period: 1,
    steps: EARLY,
    behavior: EndBehavior.TRUNCATE,
    expected: [
      [
        [1, 0, 2, 1, true],
        [2, 0, 3, 0, false],
        [3, 0, 0, 0, false],
      ],
    ],
  },
  {
    name: 'LongEpisodePadding',
    length: 3,
    period: 3,
    steps: LONG,
    behavior: EndBehavior.ZERO_PAD,
    expected: [
      [
        [1, 0, 2, 1, true],
        [2, 0, 3, 1, false],
        [3, 0, 5, 1, false],
      ],
      [
        [4, 0, 7, 1, false],
        [5, 0, 9, 1, false],
        [6, 0, 11, 1, false],
      ],
      [
        [7, 0, 13, 0, false],
        [8, 0, 0, 0, false],
        [0, 0, 0, 0, false],
      ],
    ],
  },
  {
    name: 'LongEpisodeNoPadding',
    length: 3,
    period: 3,
    steps: LONG,
    behavior: EndBehavior.TRUNCATE,
    expected: [
      [
        [1, 0, 2, 1, true],
        [2, 0, 3, 1, false],
        [3, 0, 5, 1, false],
      ],
      [
        [4, 0, 7, 1, false],
        [5, 0, 9, 1, false],
        [6, 0, 11, 1, false],
      ],
      [
        [7, 0, 13, 0, false],
        [8, 0, 0, 0, false],
      ],
    ],
  },
  {
    name: 'EndBehavior_WRITE',
    length: 3,
    period: 2,
    steps: [
      [0, transition(2, 2)],
      [0, transition(3, 3)],
      [0, transition(5, 4)],
      [0, transition(7, 5)],
      [0, termination(8, 6)],
    ],
    behavior: EndBehavior.WRITE,
    expected: [
      [
        [1, 0, 2, 1, true],
        [2, 0, 3, 1, false],
        [3, 0, 5, 1, false],
      ],
      [
        [3, 0, 5, 1, false],
        [4, 0, 7, 1, false],
        [5, 0, 8, 0, false],
      ],
      [
        [4, 0, 7, 1, false],
        [5, 0, 8, 0, false],
        [6, 0, 0, 0, false],
      ],
    ],
  },
  {
    name: 'NonBreakingSequenceOnEpisodeReset',
    length: 3,
    period: 2,
    steps: LONG,
    behavior: EndBehavior.CONTINUE,
    repeat: 1,
    expected: [
      [
        [1, 0, 2, 1, true],
        [2, 0, 3, 1, false],
        [3, 0, 5, 1, false],
      ],
      [
        [3, 0, 5, 1, false],
        [4, 0, 7, 1, false],
        [5, 0, 9, 1, false],
      ],
      [
        [5, 0, 9, 1, false],
        [6, 0, 11, 1, false],
        [7, 0, 13, 0, false],
      ],
    ],
  },
  ...(
    [
      ['NonBreakingSequenceMultipleTerminatedEpisodes', termination(13, 7), 0],
      ['NonBreakingSequenceMultipleTruncatedEpisodes', truncation(13, 7), 1],
    ] as const
  ).map(([name, last, d]): Case => {
    const episode: Step[] = [...LONG.slice(0, 5), [0, last]];
    const one: Row[][] = [
      [
        [1, 0, 2, 1, true],
        [2, 0, 3, 1, false],
        [3, 0, 5, 1, false],
      ],
      [
        [3, 0, 5, 1, false],
        [4, 0, 7, 1, false],
        [5, 0, 9, 1, false],
      ],
      [
        [5, 0, 9, 1, false],
        [6, 0, 13, d, false],
        [7, 0, 0, 0, false],
      ],
      [
        [7, 0, 0, 0, false],
        [1, 0, 2, 1, true],
        [2, 0, 3, 1, false],
      ],
      [
        [2, 0, 3, 1, false],
        [3, 0, 5, 1, false],
        [4, 0, 7, 1, false],
      ],
      [
        [4, 0, 7, 1, false],
        [5, 0, 9, 1, false],
        [6, 0, 13, d, false],
      ],
      [
        [6, 0, 13, d, false],
        [7, 0, 0, 0, false],
        [1, 0, 2, 1, true],
      ],
      [
        [1, 0, 2, 1, true],
        [2, 0, 3, 1, false],
        [3, 0, 5, 1, false],
      ],
      [
        [3, 0, 5, 1, false],
        [4, 0, 7, 1, false],
        [5, 0, 9, 1, false],
      ],
      [
        [5, 0, 9, 1, false],
        [6, 0, 13, d, false],
        [7, 0, 0, 0, false],
      ],
    ];
    return {
      name,
      length: 3,
      period: 2,
      steps: episode,
      behavior: EndBehavior.CONTINUE,
      repeat: 3,
      expected: one,
    };
  }),
];

describe("SequenceAdder: Acme's sequence test cases", () => {
  for (const c of CASES) {
    it(c.name, () => {
      const variableLength = c.behavior === EndBehavior.TRUNCATE;
      const table = Table.queue(
        'priority_table',
        1000,
        SequenceAdder.signature(scalarSpec(), undefined, c.length),
        {
          variableLength,
        },
      );
      const adder = new SequenceAdder(table, c.length, c.period, { endOfEpisodeBehavior: c.behavior });
      for (let episode = 0; episode < (c.repeat ?? 1); episode++) {
        adder.addFirst(first);
        for (const [action, ts] of c.steps) adder.add(action, ts);
      }
      expect(rounded(drain(table))).toEqual(rounded(c.expected.map(columns)));
      table.close();
    });
  }

  it('refuses a truncated item in a fixed-length table, naming the fix', () => {
    const table = Table.queue('q', 10, SequenceAdder.signature(scalarSpec(), undefined, 4));
    const adder = new SequenceAdder(table, 4, 1, { endOfEpisodeBehavior: EndBehavior.TRUNCATE });
    adder.addFirst(first);
    adder.add(0, transition(2, 2));
    expect(() => adder.add(0, termination(3, 3))).toThrow(
      /needs items of 4 steps and this one has 3: make the table variableLength/,
    );
  });

  it('writes extras per row and checks them', () => {
    const spec = scalarSpec();
    const extrasSpec = { state: spec.actions };
    const table = Table.queue('q', 10, SequenceAdder.signature(spec, extrasSpec, 2));
    const adder = new SequenceAdder(table, 2, 2);
    adder.addFirst(first);
    expect(() => adder.add(0, transition(2, 2))).toThrow(/needs them/);
    adder.add(0, transition(2, 2), { state: 7 });
    adder.add(0, termination(3, 3), { state: 8 });
    const items = rounded(drain(table)) as { extras: unknown }[];
    expect(items.map((i) => i.extras)).toEqual([{ state: [7, 8] }, { state: [0, 0] }]);
  });
});

describe('EpisodeAdder (episode_test.py)', () => {
  /** Acme's make_trajectory / make_sequence over observations 0..n-1: reward 0, discount 1, termination last. */
  function trajectory(n: number): { first: TimeStep<unknown, unknown, unknown>; steps: Step[] } {
    const steps: Step[] = [];
    for (let o = 1; o < n; o++) steps.push([0, o === n - 1 ? termination(0, o) : transition(0, o)]);
    return { first: restart(0), steps };
  }
  const expectedSequence = (n: number): Row[] => [
    ...Array.from({ length: n - 1 }, (_, o): Row => [o, 0, 0, o === n - 2 ? 0 : 1, o === 0]),
    [n - 1, 0, 0, 0, false],
  ];

  for (const max of [2, 10, 50]) {
    it(`writes one item holding the whole episode (maxSequenceLength ${max}), only at its end`, () => {
      const table = Table.queue('q', 10, EpisodeAdder.signature(scalarSpec(), undefined, max), {
        variableLength: true,
      });
      const adder = new EpisodeAdder(table, max);
      const { first: f, steps } = trajectory(max);
      adder.addFirst(f);
      for (const [a, ts] of steps.slice(0, -1)) adder.add(a, ts);
      expect(table.size).toBe(0);
      const [a, ts] = steps[steps.length - 1]!;
      adder.add(a, ts);
      expect(rounded(drain(table))).toEqual([rounded(columns(expectedSequence(max)))]);
    });

    it(`refuses a step past maxSequenceLength ${max} and leaves its state untouched`, () => {
      const table = Table.queue('q', 10, EpisodeAdder.signature(scalarSpec(), undefined, max), {
        variableLength: true,
      });
      const adder = new EpisodeAdder(table, max);
      const { first: f, steps } = trajectory(max + 1);
      adder.addFirst(f);
      for (const [a, ts] of steps.slice(0, -1)) adder.add(a, ts);
      const [a, ts] = steps[steps.length - 1]!;
      expect(() => adder.add(a, ts)).toThrow(RangeError);
      expect(table.size).toBe(0);
      // The episode is full: after a reset, a fresh episode works.
      adder.reset();
      const short = trajectory(2);
      adder.addFirst(short.first);
      adder.add(short.steps[0]![0], short.steps[0]![1]);
      expect(table.size).toBe(1);
    });
  }

  for (const [length, pad] of [
    [2, 1],
    [10, 2],
    [50, 5],
  ] as const) {
    for (const [label, fn, fill] of [
      ['zeros', (shape: readonly number[]) => (shape.length ? new Float64Array(0) : 0), 0],
      ['-1 rows', () => -1, -1],
    ] as const) {
      it(`pads an episode of ${length} rows to ${length + pad} with ${label}`, () => {
        const max = length + pad;
        const table = Table.queue('q', 10, EpisodeAdder.signature(scalarSpec(), undefined, max));
        const adder = new EpisodeAdder(table, max, { paddingFn: fn });
        const { first: f, steps } = trajectory(length);
        adder.addFirst(f);
        for (const [a, ts] of steps) adder.add(a, ts);
        const rows = expectedSequence(length);
        for (let i = 0; i < pad; i++) rows.push([fill, fill, fill, fill, false]);
        expect(rounded(drain(table))).toEqual([rounded(columns(rows))]);
      });
    }
  }
});
