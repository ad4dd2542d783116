/**
 * The benchmark harness: a suite measures cases under several variants (napi, wasm, ts, ...),
 * prints a table with each variant's ratio to the TypeScript baseline measured in the same run,
 * and writes its rows to bench/results/<suite>.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Bench } from 'tinybench';

export interface Row {
  suite: string;
  case: string;
  variant: string;
  value: number;
  unit: string;
  /** value divided by the baseline variant's value for the same case (lower is faster). */
  ratio?: number;
}

export interface Suite {
  name: string;
  description: string;
  run(): Promise<Row[]>;
}

export interface Variant {
  variant: string;
  fn: () => void;
}

/**
 * Times each variant of one case with tinybench and reports the median time per call in µs,
 * divided by `perCall` when one call processes several items (for example µs per frame). With
 * `rounds` > 1 the variants are timed that many times in turn and each keeps its lowest median:
 * on a shared machine a burst of other work can inflate one round, not a variant's best.
 */
export async function timeCase(
  suite: string,
  caseName: string,
  variants: Variant[],
  options: { perCall?: number; unit?: string; timeMs?: number; rounds?: number } = {},
): Promise<Row[]> {
  const best = new Map<string, number>();
  for (let round = 0; round < (options.rounds ?? 1); round++) {
    const bench = new Bench({ time: options.timeMs ?? 300, warmupTime: 50 });
    for (const v of variants) bench.add(v.variant, v.fn);
    await bench.run();
    for (const task of bench.tasks) {
      const latency = task.result?.latency;
      if (!latency)
        throw new Error(`${suite}/${caseName}/${task.name} produced no result: ${task.result?.error}`);
      const median = latency.p50 ?? latency.mean;
      best.set(task.name, Math.min(best.get(task.name) ?? Infinity, median));
    }
  }
  const perCall = options.perCall ?? 1;
  return variants.map(({ variant }) => ({
    suite,
    case: caseName,
    variant,
    value: ((best.get(variant) ?? Number.NaN) * 1000) / perCall,
    unit: options.unit ?? 'µs/call',
  }));
}

/** Adds each row's ratio to the `baseline` variant of its case. */
export function withRatios(rows: Row[], baseline = 'ts'): Row[] {
  return rows.map((row) => {
    const base = rows.find((r) => r.case === row.case && r.variant === baseline);
    return base ? { ...row, ratio: row.value / base.value } : row;
  });
}

function format(x: number): string {
  return x >= 100 ? x.toFixed(0) : x >= 1 ? x.toFixed(2) : x.toPrecision(3);
}

export function printTable(suite: Suite, rows: Row[]): void {
  console.log(`\n${suite.name}: ${suite.description}`);
  console.table(
    rows.map((r) => ({
      case: r.case,
      variant: r.variant,
      value: format(r.value),
      unit: r.unit,
      'vs ts': r.ratio === undefined ? '' : `${format(r.ratio)}x`,
    })),
  );
}

export function writeResults(dir: URL, suite: string, rows: Row[]): string {
  mkdirSync(dir, { recursive: true });
  const file = new URL(`${suite}.json`, dir);
  writeFileSync(file, `${JSON.stringify(rows, null, 2)}\n`);
  return file.pathname;
}
